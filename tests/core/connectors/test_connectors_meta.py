"""The Meta connector against the sandbox over HTTP: paging, checkpoints, malformed items,
the messaging window, moderation actions and reconciliation after an unclear send."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from tests.sandbox_control import Control
from workstation import events as contract
from workstation.connectors import meta as meta_module
from workstation.connectors import paging
from workstation.connectors.base import OutcomeUnknown, Outgoing, Rejected
from workstation.connectors.meta import MetaConnector
from workstation.sandbox import SandboxServer


def ago(**delta: float) -> str:
    return (datetime.now(UTC) - timedelta(**delta)).replace(microsecond=0).isoformat()


def drain(connector: Any, stream: str, position: str = "") -> tuple[list[dict[str, Any]], str,
                                                                    list[str]]:
    events: list[dict[str, Any]] = []
    skipped: list[str] = []
    for page in connector.poll(stream, position):
        events.extend(page.events)
        skipped.extend(page.skipped)
        position = page.position
    return events, position, skipped


def outgoing(channel: str, platform: str, kind: str, thread: str, reply_to: str, author: str,
             text: str = "Merci, on s'en occupe !", human: bool = False) -> Outgoing:
    return Outgoing(1, channel, platform, kind, thread, reply_to, author, text, "key-1",
                    human_agent=human)


def test_comments_are_paged_through_and_mapped_to_the_contract(
    meta: MetaConnector, control: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(meta_module, "LIMIT", 7)  # several Graph pages per media
    made = [control.inject("instagram_comment", f"question {n} sur le Moulin M2",
                           created_at=ago(minutes=60 - n)) for n in range(40)]
    reply = control.inject("instagram_comment", "et en noir ?", reply_to=made[3]["id"],
                           author=made[3]["author"])
    events, position, skipped = drain(meta, "instagram:comments")
    assert skipped == []
    assert [e["id"] for e in events] == [m["id"] for m in made] + [reply["id"]]
    first = events[0]
    assert first["platform"] == "instagram" and first["kind"] == "comment"
    assert first["author"]["id"] == made[0]["author"] and first["author"]["handle"]
    assert first["post"]["id"] == made[0]["root"] and first["post"]["caption"]
    assert first["created_at"].endswith("Z")
    answer = events[-1]
    assert answer["parent"] == made[3]["id"] and answer["thread"] == made[3]["id"]
    assert position == events[-1]["created_at"]
    now = datetime.now(UTC)
    for number, event in enumerate(events, start=1):  # every event passes the contract
        parsed = contract.parse_line(json.dumps(event).encode(), number, now)
        assert isinstance(parsed, contract.Event), parsed


def test_resuming_from_a_page_position_loses_and_skips_nothing(
    meta: MetaConnector, control: Control, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(paging, "PAGE_SIZE", 5)
    old = [control.inject("facebook_comment", f"avis {n}", created_at=ago(minutes=50 - n))
           for n in range(12)]
    first = next(iter(meta.poll("facebook:comments", "")))  # the worker stops after one page
    assert [e["id"] for e in first.events] == [m["id"] for m in old[:5]]
    assert first.position == first.events[-1]["created_at"]
    new = [control.inject("facebook_comment", f"nouveau {n}") for n in range(3)]
    rest, _, _ = drain(meta, "facebook:comments", first.position)
    ids = {e["id"] for e in rest}
    assert {m["id"] for m in old[5:] + new} <= ids  # nothing lost
    assert not ids & {m["id"] for m in old[:4]}  # nothing older than the checkpoint again
    assert rest == sorted(rest, key=lambda e: e["created_at"])


def test_a_malformed_item_is_reported_and_the_rest_of_the_page_kept(
    meta: MetaConnector, control: Control
) -> None:
    before = control.inject("instagram_dm", "bonjour", created_at=ago(minutes=10))
    broken = control.inject("instagram_dm", "???", author=before["author"], broken=True,
                            created_at=ago(minutes=9))
    after = control.inject("instagram_dm", "vous êtes là ?", author=before["author"],
                           created_at=ago(minutes=8))
    events, position, skipped = drain(meta, "instagram:dm")
    assert [e["id"] for e in events] == [before["id"], after["id"]]
    assert len(skipped) == 1 and broken["id"] in skipped[0]
    assert position == events[-1]["created_at"]
    # The thread names the customer, as a webhook does, not the Graph conversation.
    assert events[0]["thread"] == f"dm:{before['author']}" and events[0]["kind"] == "dm"
    assert isinstance(events[0]["author"]["followers"], int)
    again, _, skipped_again = drain(meta, "instagram:dm", position)
    assert after["id"] in {e["id"] for e in again}  # the last second is read again ...
    assert skipped_again == []  # ... but the broken item is reported once


def test_messenger_dms_are_facebook_dms_and_our_replies_come_back_as_outbound(
    meta: MetaConnector, control: Control
) -> None:
    asked = control.inject("messenger_dm", "vous livrez à Lyon ?")
    thread = f"dm:{asked['author']}"
    sent = meta.send(outgoing("dm", "facebook", "dm", thread, asked["id"], asked["author"],
                              "Oui, en 2 jours."))
    events, _, _ = drain(meta, "messenger:dm")
    by_id = {e["id"]: e for e in events}
    assert by_id[asked["id"]]["platform"] == "facebook"
    assert by_id[asked["id"]]["direction"] == "in" and by_id[asked["id"]]["thread"] == thread
    assert by_id[sent]["direction"] == "out" and by_id[sent]["thread"] == thread


@pytest.mark.parametrize(
    ("hours", "human", "expected"),
    [(2, False, ("RESPONSE", None)), (72, True, ("MESSAGE_TAG", "HUMAN_AGENT"))],
)
def test_dms_inside_the_window_go_with_the_right_messaging_type(
    meta: MetaConnector, control: Control, hours: int, human: bool,
    expected: tuple[str, str | None],
) -> None:
    asked = control.inject("instagram_dm", "ma commande ?", created_at=ago(hours=hours))
    message_id = meta.send(outgoing("dm", "instagram", "dm", f"dm:{asked['author']}",
                                    asked["id"], asked["author"], human=human))
    [dm] = control.sent("dm")
    assert dm["id"] == message_id
    assert (dm["messaging_type"], dm["tag"]) == expected


@pytest.mark.parametrize(("hours", "human"), [(72, False), (24 * 8, True)])
def test_dms_outside_the_window_are_rejected_without_posting(
    meta: MetaConnector, control: Control, hours: int, human: bool
) -> None:
    asked = control.inject("instagram_dm", "allo ?", created_at=ago(hours=hours))
    with pytest.raises(Rejected, match="outside the 24-hour messaging window"):
        meta.send(outgoing("dm", "instagram", "dm", f"dm:{asked['author']}", asked["id"],
                           asked["author"], human=human))
    assert control.sent() == []


def test_private_reply_to_a_comment_once(meta: MetaConnector, control: Control) -> None:
    comment = control.inject("instagram_comment", "mon adresse est 3 rue des Lilas")
    item = outgoing("dm", "instagram", "comment", comment["id"], comment["id"],
                    comment["author"], "Nous vous écrivons en privé.")
    meta.send(item)
    [dm] = control.sent("dm")
    assert dm["target"] == comment["id"]
    assert meta.find_sent(item) == dm["id"]
    with pytest.raises(Rejected) as refused:
        meta.send(item)
    assert refused.value.code == "10900" and str(refused.value).startswith(
        "meta: POST 104000000000001/messages: (#10900) Activity already replied to (code "
        "10900): Meta accepts one private reply per comment and this comment has one")
    assert len(control.sent("dm")) == 1


def test_hide_unhide_delete_and_their_reconciliation(meta: MetaConnector, control: Control
                                                      ) -> None:
    ig = control.inject("instagram_comment", "follow4follow!!")
    fb = control.inject("facebook_comment", "spam spam")
    hide = outgoing("hide", "instagram", "comment", ig["id"], ig["id"], ig["author"])
    assert meta.find_sent(hide) is None
    assert meta.send(hide) == ""
    assert meta.find_sent(hide) == ""
    unhide = outgoing("unhide", "instagram", "comment", ig["id"], ig["id"], ig["author"])
    meta.send(unhide)
    assert meta.find_sent(unhide) == ""
    fb_hide = outgoing("hide", "facebook", "comment", fb["id"], fb["id"], fb["author"])
    meta.send(fb_hide)
    assert meta.find_sent(fb_hide) == ""
    delete = outgoing("delete", "facebook", "comment", fb["id"], fb["id"], fb["author"])
    assert meta.find_sent(delete) is None
    meta.send(delete)
    assert meta.find_sent(delete) == ""
    assert [s["action"] for s in control.sent()] == ["hide", "unhide", "hide", "delete"]
    with pytest.raises(Rejected, match="ban"):
        meta.send(outgoing("ban", "instagram", "comment", ig["id"], ig["id"], ig["author"]))


def test_a_reply_that_timed_out_is_found_and_never_posted_twice(
    meta: MetaConnector, control: Control, sandbox: SandboxServer
) -> None:
    comment = control.inject("instagram_comment", "livraison en Belgique ?")
    item = outgoing("public", "instagram", "comment", comment["id"], comment["id"],
                    comment["author"], "Oui, en 3 jours ouvrés.")
    assert meta.find_sent(item) is None
    control.faults("timeout=every:1,hold=3")
    with pytest.raises(OutcomeUnknown):
        meta.send(item)
    control.faults("")
    [reply] = control.sent("reply")  # the platform did post it
    assert meta.find_sent(item) == reply["id"]
    assert len(control.sent("reply")) == 1


def test_a_dm_whose_connection_dropped_is_found_by_reading_the_thread(
    meta: MetaConnector, control: Control
) -> None:
    asked = control.inject("messenger_dm", "un devis pour 5 kg ?")
    item = outgoing("dm", "facebook", "dm", f"dm:{asked['author']}", asked["id"],
                    asked["author"], "Je vous prépare ça.")
    drain(meta, "messenger:dm")  # knows the accounts and the conversation before counting
    control.faults("drop=every:2")  # the window read passes, the send is dropped after posting
    with pytest.raises(OutcomeUnknown):
        meta.send(item)
    control.faults("")
    [dm] = control.sent("dm")
    assert meta.find_sent(item) == dm["id"]


def test_a_dm_thread_is_resolved_to_its_conversation_once_whatever_its_key(
    meta: MetaConnector, control: Control, sandbox: SandboxServer
) -> None:
    """A `dm:` thread the connector never polled (it came by webhook) is looked up by the
    customer's id, then remembered; a thread keyed otherwise (from a file) by its customer."""
    asked = control.inject("instagram_dm", "toujours ouvert dimanche ?")
    other = control.inject("instagram_dm", "et le samedi ?")
    meta.ids  # noqa: B018
    first = meta.send(outgoing("dm", "instagram", "dm", f"dm:{asked['author']}", other["id"],
                               "someone-else", "Oui, de 9 h à 13 h."))
    requests = control.state()["requests"]
    second = meta.send(outgoing("dm", "instagram", "dm", f"dm:{asked['author']}", asked["id"],
                                asked["author"], "Et le samedi aussi."))
    assert control.state()["requests"] - requests == 2  # the window read and the send only
    legacy = meta.send(outgoing("dm", "instagram", "dm", "imported-thread-7", other["id"],
                                other["author"], "Oui."))
    sent = {s["id"]: s for s in control.sent("dm")}
    assert sent[first]["target"] == sent[second]["target"] == asked["author"]
    assert sent[first]["conversation"] == asked["root"]
    assert sent[legacy]["conversation"] == other["root"]
    nobody = outgoing("dm", "instagram", "dm", "dm:17999999999", asked["id"], "17999999999")
    with pytest.raises(Rejected, match="has not written"):
        meta.send(nobody)
    assert meta.find_sent(nobody) is None
