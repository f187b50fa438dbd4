"""Meta's delivery shapes mapped to the event contract, and stored through ingest."""

from __future__ import annotations

from typing import Any

from sqlalchemy import Engine, select

from tests.core.webhooks.helpers import body_of, deliver, ig_comment
from workstation import db
from workstation.models import Conversation, Message
from workstation.webhooks.meta_events import map_delivery
from workstation.webhooks.server import WebhookServer

PAGE = "page-1"


def feed(verb: str = "add", **value: Any) -> dict[str, Any]:
    change = {"item": "comment", "verb": verb, "comment_id": "post-7_c-1", "post_id": "post-7",
              "parent_id": "post-7", "from": {"id": "fb-user-1", "name": "Tom Becker"},
              "message": "Is it dishwasher safe?", "created_time": 1763636400, **value}
    return {"object": "page", "entry": [{"id": PAGE, "time": 1763636401,
                                         "changes": [{"field": "feed", "value": change}]}]}


def messaging(*items: dict[str, Any], obj: str = "page") -> dict[str, Any]:
    return {"object": obj, "entry": [{"id": PAGE, "time": 1763636401000,
                                      "messaging": list(items)}]}


def dm(mid: str, text: str, *, sender: str = "psid-1", recipient: str = PAGE,
       **message: Any) -> dict[str, Any]:
    return {"sender": {"id": sender}, "recipient": {"id": recipient},
            "timestamp": 1763636400000, "message": {"mid": mid, "text": text, **message}}


def test_an_instagram_comment_reply_keeps_its_parent_and_media() -> None:
    (event,) = map_delivery(ig_comment("c-2", text="same", parent_id="c-1")).events
    assert event["kind"] == "comment" and event["parent"] == "c-1"
    assert event["post"] == {"id": "media-9"}
    assert event["author"] == {"id": "ig-user-1", "handle": "lea.m"}
    assert event["created_at"] == "2025-11-20T12:00:00Z"  # entry.time in seconds


def test_a_facebook_comment_on_the_post_has_no_parent_and_a_reply_has_one() -> None:
    (top,) = map_delivery(feed()).events
    (reply,) = map_delivery(feed(comment_id="post-7_c-2", parent_id="post-7_c-1")).events
    assert top["platform"] == "facebook" and "parent" not in top
    assert top["post"] == {"id": "post-7"} and top["direction"] == "in"
    assert reply["parent"] == "post-7_c-1"


def test_edits_removals_hides_and_reactions_are_ignored_not_errors() -> None:
    for verb in ("edited", "remove", "hide", "unhide"):
        mapped = map_delivery(feed(verb))
        assert (mapped.events, mapped.ignored, mapped.problems) == ([], 1, [])
    reaction = feed()
    reaction["entry"][0]["changes"][0]["value"]["item"] = "reaction"
    assert map_delivery(reaction).ignored == 1


def test_messenger_dms_thread_by_customer_and_echoes_are_ours() -> None:
    mapped = map_delivery(messaging(
        dm("m-1", "Bonjour"),
        dm("m-2", "Hello, how can we help?", sender=PAGE, recipient="psid-1", is_echo=True),
        {"sender": {"id": "psid-1"}, "recipient": {"id": PAGE}, "timestamp": 1,
         "read": {"watermark": 1}},
        dm("m-3", "", attachments=[{"type": "image", "payload": {"url": "https://cdn/x.jpg"}}]),
    ))
    inbound, echo, photo = mapped.events
    assert mapped.ignored == 1  # the read receipt
    assert (inbound["platform"], inbound["kind"], inbound["thread"]) == ("facebook", "dm",
                                                                         "dm:psid-1")
    assert (echo["direction"], echo["thread"]) == ("out", "dm:psid-1")
    assert photo["attachments"] == [{"type": "image", "url": "https://cdn/x.jpg"}]


def test_items_that_should_map_but_lack_an_id_are_problems() -> None:
    mapped = map_delivery(messaging(dm("", "no id")))
    assert mapped.events == [] and len(mapped.problems) == 1
    assert "without id" in mapped.problems[0][1]
    assert map_delivery({"entry": "nope"}).problems


def test_comments_dms_and_echoes_land_in_their_threads(server: WebhookServer,
                                                       engine: Engine) -> None:
    assert deliver(server, body_of(feed())).status_code == 200
    assert deliver(server, body_of(feed(comment_id="post-7_c-2",
                                        parent_id="post-7_c-1"))).status_code == 200
    assert deliver(server, body_of(messaging(
        dm("m-1", "Bonjour, je voudrais commander"),
        dm("m-2", "Avec plaisir !", sender=PAGE, recipient="psid-1", is_echo=True),
    ))).status_code == 200
    m, c = Message.__table__.c, Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        rows = conn.execute(select(m.external_id, m.direction, c.thread_key, c.kind)
                            .join(Conversation.__table__, c.id == m.conversation_id)  # type: ignore[attr-defined]
                            .order_by(m.external_id)).all()
    assert [tuple(r) for r in rows] == [
        ("m-1", "in", "dm:psid-1", "dm"), ("m-2", "out", "dm:psid-1", "dm"),
        ("post-7_c-1", "in", "post-7_c-1", "comment"),
        ("post-7_c-2", "in", "post-7_c-1", "comment"),
    ]


def test_a_dm_joins_the_thread_the_poller_opened_with_that_customer(
    server: WebhookServer, engine: Engine
) -> None:
    import io

    from tests.factories import event, jsonl
    from workstation.ingest import Ingestor

    polled = event("m-0", platform="facebook", kind="dm", thread="t_10223344",
                   author={"id": "psid-1"}, created_at="2025-11-20T09:00:00Z")
    Ingestor(engine, source="poll").run(io.BytesIO(jsonl(polled)))
    assert deliver(server, body_of(messaging(dm("m-1", "Still there?")))).status_code == 200
    m, c = Message.__table__.c, Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        threads = conn.execute(select(c.thread_key).join(
            Message.__table__, c.id == m.conversation_id)).scalars().all()  # type: ignore[attr-defined]
    assert threads == ["t_10223344", "t_10223344"]
