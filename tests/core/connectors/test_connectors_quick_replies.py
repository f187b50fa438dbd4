"""Quick replies: Meta DMs carry them as Send API buttons, X DMs as numbered options; the
sandbox takes them as Meta does and keeps them for inspection."""

from __future__ import annotations

import httpx
import pytest

from tests.sandbox_control import TOKEN, Control
from workstation.connectors.base import Outgoing
from workstation.connectors.meta import MetaConnector
from workstation.connectors.x import XConnector
from workstation.sandbox import SandboxServer
from workstation.sandbox.world import PAGE_ID

BUTTONS = (("For home", "use_case:home"), ("For a business", "use_case:business"),
           ("A gift", "use_case:gift"))


def dm(platform: str, thread: str, reply_to: str, author: str, text: str,
       buttons: tuple[tuple[str, str], ...] = BUTTONS, kind: str = "dm") -> Outgoing:
    return Outgoing(3, "dm", platform, kind, thread, reply_to, author, text, "key-3",
                    quick_replies=buttons)


@pytest.mark.parametrize("channel", ["instagram_dm", "messenger_dm"])
def test_meta_dms_carry_their_quick_replies(meta: MetaConnector, control: Control,
                                            channel: str) -> None:
    asked = control.inject(channel, "c'est pour un cadeau ?")
    platform = "instagram" if channel == "instagram_dm" else "facebook"
    item = dm(platform, f"dm:{asked['author']}", asked["id"], asked["author"],
              "Is it for home, for a business, or a gift?")
    sent_id = meta.send(item)
    [sent] = control.sent("dm")
    assert sent["id"] == sent_id and sent["text"] == item.text
    assert sent["quick_replies"] == [{"title": t, "payload": p} for t, p in BUTTONS]
    assert meta.find_sent(item) == sent_id  # the buttons are not part of the text


def test_a_private_reply_to_a_comment_carries_them_too(meta: MetaConnector,
                                                       control: Control) -> None:
    comment = control.inject("instagram_comment", "combien le moulin ?")
    meta.send(dm("instagram", comment["id"], comment["id"], comment["author"],
                 "C'est pour la maison ?", kind="comment"))
    [sent] = control.sent("dm")
    assert sent["target"] == comment["id"] and len(sent["quick_replies"]) == 3


def test_meta_limits_are_kept(meta: MetaConnector, control: Control) -> None:
    asked = control.inject("instagram_dm", "options ?")
    many = tuple((f"Option number {i} is long", f"q:o{i}") for i in range(15))
    meta.send(dm("instagram", f"dm:{asked['author']}", asked["id"], asked["author"], "Pick",
                 many))
    [sent] = control.sent("dm")
    assert len(sent["quick_replies"]) == 13
    assert all(len(b["title"]) <= 20 for b in sent["quick_replies"])
    assert sent["quick_replies"][0]["payload"] == "q:o0"


def test_x_dms_write_the_options_out_and_find_them_again(x: XConnector,
                                                         control: Control) -> None:
    asked = control.inject("x_dm", "how much is the grinder?")
    item = dm("x", asked["root"], asked["id"], asked["author"], "Is it for home?")
    event_id = x.send(item)
    [sent] = control.sent("dm")
    assert sent["text"] == "Is it for home?\n1) For home · 2) For a business · 3) A gift"
    assert "quick_replies" not in sent
    assert x.find_sent(item) == event_id


@pytest.mark.parametrize(("buttons", "reason"), [
    ([{"content_type": "text", "title": "Home"}], "payload] is required"),
    ([{"content_type": "user_email", "title": "x", "payload": "p"}], "content_type] must be"),
    ([{"content_type": "text", "title": "", "payload": "p"}], "title] must be"),
    ([{"content_type": "text", "title": "t", "payload": str(i)} for i in range(14)],
     "at most 13"),
    ("home", "non-empty array"),
])
def test_the_sandbox_refuses_quick_replies_meta_would(sandbox: SandboxServer, control: Control,
                                                      buttons: object, reason: str) -> None:
    asked = control.inject("instagram_dm", "hello")
    answer = httpx.post(f"{sandbox.meta_url}/{PAGE_ID}/messages",
                        headers={"Authorization": f"Bearer {TOKEN}"}, timeout=10,
                        json={"recipient": {"id": asked["author"]},
                              "message": {"text": "Pick one", "quick_replies": buttons}})
    assert answer.status_code == 400 and reason in answer.json()["error"]["message"]
    assert control.sent("dm") == []


def test_a_tapped_button_reaches_the_webhook_with_its_payload(control: Control) -> None:
    tapped = control.inject("messenger_dm", "A gift", quick_reply="use_case:gift")
    message = control.webhook(tapped["id"])["entry"][0]["messaging"][0]["message"]
    assert message == {"mid": tapped["id"], "text": "A gift",
                       "quick_reply": {"payload": "use_case:gift"}}
    answer = control.http.post(f"{control.url}/_sandbox/messages", json={
        "channel": "x_dm", "text": "A gift", "quick_reply": "use_case:gift"})
    assert answer.status_code == 400
