"""The X connector against the sandbox over HTTP: mentions and DM events with `since_id` /
`next_token`, checkpoints, malformed items, replies, hidden replies and reconciliation."""

from __future__ import annotations

from typing import Any

import pytest

from tests.sandbox_control import Control
from workstation.connectors import paging
from workstation.connectors.base import OutcomeUnknown, Outgoing, Rejected
from workstation.connectors.x import XConnector
from workstation.sandbox import SandboxServer
from workstation.sandbox.world import X_ID


def drain(connector: XConnector, stream: str, position: str = "") -> tuple[
        list[dict[str, Any]], str, list[str]]:
    events: list[dict[str, Any]] = []
    skipped: list[str] = []
    for page in connector.poll(stream, position):
        events.extend(page.events)
        skipped.extend(page.skipped)
        position = page.position
    return events, position, skipped


def item(channel: str, kind: str, thread: str, reply_to: str, author: str,
         text: str = "Thanks, we're on it!") -> Outgoing:
    return Outgoing(7, channel, "x", kind, thread, reply_to, author, text, "key-7")


def test_mentions_follow_next_token_across_pages_oldest_first(
    x: XConnector, control: Control
) -> None:
    made = [control.inject("x_mention", f"is the M2 back in stock? #{n}") for n in range(230)]
    events, position, skipped = drain(x, "x:mentions")
    assert skipped == []
    assert [e["id"] for e in events] == [m["id"] for m in made]  # 3 pages of 100, in order
    assert position == made[-1]["id"]
    first = events[0]
    assert first["kind"] == "mention" and first["platform"] == "x"
    assert first["text"].startswith("@brulerielumen")
    assert first["author"]["handle"] and isinstance(first["author"]["followers"], int)
    assert isinstance(first["author"]["verified"], bool)
    again, same, _ = drain(x, "x:mentions", position)  # since_id: nothing new
    assert again == [] and same == position


def test_a_reply_to_our_post_carries_the_post_and_its_parent(x: XConnector, control: Control,
                                                             sandbox: SandboxServer) -> None:
    ours = next(p for p in sandbox.world.posts.values() if p.platform == "x")
    mention = control.inject("x_mention", "love it", reply_to=ours.id)
    [event] = drain(x, "x:mentions")[0]
    assert event["id"] == mention["id"] and event["parent"] == ours.id
    assert event["post"]["id"] == ours.id and event["post"]["caption"] == ours.caption


def test_resume_from_a_page_checkpoint_and_skip_a_malformed_mention(
    x: XConnector, control: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 4)
    made = [control.inject("x_mention", f"question {n}") for n in range(6)]
    broken = control.inject("x_mention", "???", broken=True)
    made.append(control.inject("x_mention", "after the broken one"))
    first = next(iter(x.poll("x:mentions", "")))
    assert first.position == made[3]["id"]
    assert len(first.skipped) == 1 and broken["id"] in first.skipped[0]
    rest, position, _ = drain(x, "x:mentions", first.position)
    assert [e["id"] for e in rest] == [m["id"] for m in made[4:]]
    assert position == made[-1]["id"]


def test_dm_events_stop_at_the_checkpoint(x: XConnector, control: Control) -> None:
    old = [control.inject("x_dm", f"hello {n}") for n in range(3)]
    events, position, _ = drain(x, "x:dm")
    assert [e["id"] for e in events] == [m["id"] for m in old]
    assert events[0]["thread"] == old[0]["root"] and events[0]["kind"] == "dm"
    new = control.inject("x_dm", "any news?", author=old[0]["author"])
    events, position, _ = drain(x, "x:dm", position)
    assert [e["id"] for e in events] == [new["id"]] and position == new["id"]


def test_replies_and_dms_are_posted_and_found_again(x: XConnector, control: Control) -> None:
    mention = control.inject("x_mention", "where is my order BL-10482?")
    reply = item("public", "mention", mention["id"], mention["id"], mention["author"])
    assert x.find_sent(reply) is None
    posted = x.send(reply)
    assert x.find_sent(reply) == posted
    dm = control.inject("x_dm", "hello")
    answer = item("dm", "dm", dm["root"], dm["id"], dm["author"], "Hi! Order number?")
    event_id = x.send(answer)
    assert x.find_sent(answer) == event_id
    by_dm = item("dm", "mention", mention["id"], mention["id"], mention["author"], "Sent you a DM")
    x.send(by_dm)  # a DM to someone who mentioned us publicly
    assert [s["action"] for s in control.sent()] == ["reply", "dm", "dm"]
    assert control.sent()[1]["conversation"] == dm["root"]
    events, _, _ = drain(x, "x:dm")
    assert {e["direction"] for e in events if e["id"] == event_id} == {"out"}


def test_hide_only_in_our_conversations_and_delete_only_our_posts(
    x: XConnector, control: Control, sandbox: SandboxServer
) -> None:
    ours = next(p for p in sandbox.world.posts.values() if p.platform == "x")
    under_ours = control.inject("x_mention", "buy followers at ...", reply_to=ours.id)
    hide = item("hide", "mention", under_ours["id"], under_ours["id"], under_ours["author"])
    assert x.send(hide) == ""
    assert x.send(hide) == ""  # idempotent, as on X
    elsewhere = control.inject("x_mention", "hey")
    elsewhere_item = item("hide", "mention", elsewhere["id"], elsewhere["id"],
                          elsewhere["author"])
    with pytest.raises(Rejected, match="HTTP 403"):
        x.send(elsewhere_item)
    delete_theirs = item("delete", "mention", elsewhere["id"], elsewhere["id"],
                         elsewhere["author"])
    with pytest.raises(Rejected):
        x.send(delete_theirs)
    mine = x.send(item("public", "mention", elsewhere["id"], elsewhere["id"],
                       elsewhere["author"], "Hello!"))
    delete_mine = item("delete", "mention", mine, mine, X_ID)
    assert x.find_sent(delete_mine) is None
    x.send(delete_mine)
    assert x.find_sent(delete_mine) == ""
    assert [s["action"] for s in control.sent()] == ["hide", "hide", "reply", "delete"]


def test_a_reply_whose_connection_dropped_is_reconciled_not_reposted(
    x: XConnector, control: Control
) -> None:
    mention = control.inject("x_mention", "do you ship to Ghent?")
    reply = item("public", "mention", mention["id"], mention["id"], mention["author"],
                 "Yes, 3 days.")
    x.me  # noqa: B018  (the account is read before the fault starts counting)
    control.faults("drop=every:1")
    with pytest.raises(OutcomeUnknown):
        x.send(reply)
    control.faults("")
    [posted] = control.sent("reply")
    assert x.find_sent(reply) == posted["id"]
