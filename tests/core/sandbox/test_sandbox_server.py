"""The sandbox speaks the platforms' shapes: token check, Graph paging and errors, X v2
paging and headers, the messaging window, and its own inspection endpoints."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

import httpx
import pytest

from tests.sandbox_control import TOKEN, Control
from workstation.sandbox import SandboxServer
from workstation.sandbox.world import IG_ID, PAGE_ID, X_ID


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).isoformat()


def test_the_token_is_checked_on_both_apis(sandbox: SandboxServer) -> None:
    with httpx.Client(base_url=sandbox.url) as anonymous:
        meta = anonymous.get("/v21.0/me")
        assert meta.status_code == 400 and meta.json()["error"]["code"] == 190
        assert anonymous.get("/v21.0/me", params={"access_token": TOKEN}).status_code == 200
        x = anonymous.get("/2/users/me", headers={"Authorization": "Bearer nope"})
        assert x.status_code == 401 and x.json()["title"] == "Unauthorized"


def test_graph_comments_page_with_cursors_and_next(api: httpx.Client, control: Control,
                                                   sandbox: SandboxServer) -> None:
    post = next(p.id for p in sandbox.world.posts.values() if p.platform == "facebook")
    for n in range(5):
        control.inject("facebook_comment", f"c{n}", created_at=ago(minutes=30 - n), post=post)
    params = {"fields": "id,message,from,created_time", "filter": "stream", "limit": 2}
    first = api.get(f"/v21.0/{post}/comments", params=params).json()
    assert [c["message"] for c in first["data"]] == ["c4", "c3"]  # newest first
    assert first["data"][0]["created_time"].endswith("+0000")
    assert set(first["paging"]["cursors"]) == {"before", "after"}
    following = httpx.URL(first["paging"]["next"])
    assert following.params["after"] == first["paging"]["cursors"]["after"]
    second = api.get(following.path, params=dict(following.params)).json()
    third = api.get(f"/v21.0/{post}/comments",
                    params={**params, "after": second["paging"]["cursors"]["after"]}).json()
    assert [c["message"] for c in second["data"] + third["data"]] == ["c2", "c1", "c0"]
    assert "next" not in third["paging"]
    bad = api.get(f"/v21.0/{post}/comments", params={**params, "after": "garbage"})
    assert bad.status_code == 400 and bad.json()["error"]["code"] == 100


def test_graph_usage_headers_and_missing_objects(api: httpx.Client) -> None:
    answer = api.get(f"/v21.0/{IG_ID}/media")
    usage = json.loads(answer.headers["x-app-usage"])
    assert set(usage) == {"call_count", "total_cputime", "total_time"}
    buc = json.loads(answer.headers["x-business-use-case-usage"])
    assert buc[PAGE_ID][0]["type"] == "instagram"
    missing = api.get("/v21.0/999")
    assert missing.status_code == 400
    assert missing.json()["error"]["error_subcode"] == 33


def test_x_mentions_page_with_since_id_next_token_and_rate_headers(
    api: httpx.Client, control: Control
) -> None:
    made = [control.inject("x_mention", f"m{n}") for n in range(12)]
    params = {"max_results": 5, "since_id": made[1]["id"], "tweet.fields": "created_at,author_id",
              "expansions": "author_id", "user.fields": "public_metrics,verified"}
    seen = []
    token = None
    while True:
        answer = api.get(f"/2/users/{X_ID}/mentions",
                         params={**params, **({"pagination_token": token} if token else {})})
        assert int(answer.headers["x-rate-limit-remaining"]) < int(
            answer.headers["x-rate-limit-limit"])
        assert int(answer.headers["x-rate-limit-reset"]) > datetime.now(UTC).timestamp()
        body = answer.json()
        seen += body["data"]
        assert body["meta"]["newest_id"] == body["data"][0]["id"]
        assert {u["id"] for u in body["includes"]["users"]} == {t["author_id"] for t in
                                                                   body["data"]}
        token = body["meta"].get("next_token")
        if not token:
            break
    assert [t["id"] for t in seen] == [m["id"] for m in reversed(made[2:])]
    assert seen[0]["text"].startswith("@brulerielumen")
    empty = api.get(f"/2/users/{X_ID}/mentions", params={"since_id": made[-1]["id"]}).json()
    assert empty == {"meta": {"result_count": 0}}
    assert api.get(f"/2/users/{X_ID}/mentions", params={"max_results": 500}).status_code == 400


def test_send_api_enforces_the_messaging_window(api: httpx.Client, control: Control) -> None:
    fresh = control.inject("instagram_dm", "bonjour", created_at=ago(hours=1))
    stale = control.inject("instagram_dm", "bonjour", created_at=ago(days=3))

    def send(person: str, **extra: str) -> httpx.Response:
        return api.post(f"/v21.0/{PAGE_ID}/messages",
                        json={"recipient": {"id": person}, "message": {"text": "Salut"},
                              **extra})

    assert send(fresh["author"], messaging_type="RESPONSE").status_code == 200
    refused = send(stale["author"], messaging_type="RESPONSE")
    assert refused.status_code == 400
    assert refused.json()["error"]["code"] == 10
    assert refused.json()["error"]["error_subcode"] == 2018278
    tagged = send(stale["author"], messaging_type="MESSAGE_TAG", tag="HUMAN_AGENT")
    assert tagged.status_code == 200 and tagged.json()["message_id"].startswith("m_")
    assert send(stale["author"], messaging_type="MESSAGE_TAG", tag="ACCOUNT_UPDATE"
                ).status_code == 400
    assert [s["messaging_type"] for s in control.sent("dm")] == ["RESPONSE", "MESSAGE_TAG"]


def test_send_api_takes_one_private_reply_per_comment(api: httpx.Client,
                                                     control: Control) -> None:
    comment = control.inject("instagram_comment", "c'est combien ?", created_at=ago(hours=2))
    person = comment["author"]

    def send(recipient: dict[str, str]) -> httpx.Response:
        return api.post(f"/v21.0/{PAGE_ID}/messages",
                        json={"recipient": recipient, "message": {"text": "En MP !"},
                              "messaging_type": "RESPONSE"})

    first = send({"comment_id": comment["id"]})
    assert first.status_code == 200 and first.json()["recipient_id"] == person
    second = send({"comment_id": comment["id"]})
    assert second.status_code == 400
    error = second.json()["error"]
    assert {k: error[k] for k in ("message", "type", "code")} == {
        "message": "(#10900) Activity already replied to", "type": "OAuthException",
        "code": 10900}
    assert error["fbtrace_id"]
    # Nor may the brand write in the thread the private reply opened until the person answers.
    assert send({"id": person}).json()["error"]["error_subcode"] == 2018278
    answer = control.inject("instagram_dm", "oui ?", author=person)
    assert send({"id": person}).status_code == 200
    sent = control.sent("dm")
    assert [s["target"] for s in sent] == [comment["id"], person]
    assert sent[0]["conversation"] == sent[1]["conversation"] == answer["root"]


def test_inspection_counts_what_arrived_and_injects_what_a_test_needs(
    api: httpx.Client, control: Control, sandbox: SandboxServer
) -> None:
    comment = control.inject("instagram_comment", "joli !")
    assert api.post(f"/v21.0/{comment['id']}/replies", data={"message": "Merci !"}
                    ).status_code == 200
    assert api.post(f"/v21.0/{comment['id']}", data={"hide": "true"}).json() == {"success": True}
    assert api.delete(f"/v21.0/{comment['id']}").status_code == 200
    state = control.state()
    assert state["received"] == {"reply": 1, "hide": 1, "delete": 1}
    assert state["inbound"] == {"ig_comment": 1}
    assert [s["action"] for s in control.sent()] == ["reply", "hide", "delete"]
    generated = control.http.post(f"{sandbox.url}/_sandbox/generate", json={"count": 30}).json()
    assert len(generated["created"]) == 30 and control.state()["generated"] == 30
    refused = control.http.post(f"{sandbox.url}/_sandbox/messages", json={"channel": "fax"})
    assert refused.status_code == 400
    bad_spec = control.http.post(f"{sandbox.url}/_sandbox/faults", json={"spec": "lag=1"})
    assert bad_spec.status_code == 400 and "unknown fault" in bad_spec.json()["error"]


def test_generated_traffic_is_french_and_english_on_every_channel(sandbox: SandboxServer
                                                                  ) -> None:
    made = sandbox.traffic.generate(300)
    surfaces = {m["surface"] for m in made}
    assert surfaces == {"ig_comment", "fb_comment", "ig_dm", "fb_dm", "tweet", "x_dm"}
    texts = " ".join(m["text"] for m in made).lower()
    assert " le " in texts or " la " in texts
    assert " the " in texts
    assert any(m["parent"] for m in made if m["surface"] == "ig_comment")  # threads grow


@pytest.mark.parametrize(("kind", "status"), [("timeout", None), ("drop", None),
                                              ("malformed", 200)])
def test_a_faulted_write_is_still_recorded(sandbox: SandboxServer, control: Control,
                                           kind: str, status: int | None) -> None:
    mention = control.inject("x_mention", "hello")
    control.faults(f"{kind}=every:1,hold=1")
    with httpx.Client(base_url=sandbox.url, timeout=0.3,
                      headers={"Authorization": f"Bearer {TOKEN}"}) as client:
        try:
            answer = client.post("/2/tweets", json={
                "text": "Hi!", "reply": {"in_reply_to_tweet_id": mention["id"]}})
        except httpx.HTTPError:
            answer = None
    assert (answer.status_code if answer is not None else None) == status
    if answer is not None:
        with pytest.raises(ValueError):
            answer.json()
    assert len(control.sent("reply")) == 1


def test_suspend_refuses_connections_and_resume_keeps_the_state(
    sandbox: SandboxServer, control: Control
) -> None:
    control.inject("x_dm", "still there?")
    port = sandbox.port
    sandbox.suspend()
    with pytest.raises(httpx.ConnectError):
        httpx.get(f"{sandbox.url}/_sandbox/state", timeout=1)
    sandbox.resume()
    assert sandbox.port == port
    assert Control(sandbox).state()["inbound"] == {"x_dm": 1}


def test_a_dm_webhook_carries_the_ids_polling_serves(api: httpx.Client, control: Control,
                                                      sandbox: SandboxServer) -> None:
    asked = control.inject("messenger_dm", "ouvert le lundi ?")
    sent = api.post(f"/v21.0/{PAGE_ID}/messages",
                    json={"recipient": {"id": asked["author"]}, "message": {"text": "Oui"}})
    polled = api.get(f"/v21.0/{asked['root']}/messages",
                     params={"fields": "id,from,to,message"}).json()["data"]
    by_id = {m["id"]: m for m in polled}
    found = api.get(f"/v21.0/{PAGE_ID}/conversations",
                    params={"platform": "messenger", "user_id": asked["author"]}).json()
    assert [c["id"] for c in found["data"]] == [asked["root"]]
    for mid, echo in ((asked["id"], False), (sent.json()["message_id"], True)):
        delivery = control.webhook(mid)
        assert delivery["object"] == "page" and delivery["entry"][0]["id"] == PAGE_ID
        [item] = delivery["entry"][0]["messaging"]
        assert item["message"]["mid"] == mid and item["message"]["text"] == by_id[mid]["message"]
        assert item["sender"]["id"] == by_id[mid]["from"]["id"]
        assert item["recipient"]["id"] == by_id[mid]["to"]["data"][0]["id"]
        assert item["message"].get("is_echo", False) is echo
    ig = control.inject("instagram_dm", "salut")
    assert control.webhook(ig["id"])["object"] == "instagram"
    comment = control.inject("instagram_comment", "joli")
    assert control.http.get(f"{sandbox.url}/_sandbox/webhook",
                            params={"id": comment["id"]}).status_code == 404
