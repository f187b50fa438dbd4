"""The workflow actions: each changes what it says, skips what is already so, and is audited."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, select

from tests.thread_factory import add_thread, conversation, messages
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Contact, Outbox
from workstation.permissions import PermissionDenied
from workstation.services import conversations as cs


def actions(engine: Engine, conv_id: int) -> list[str]:
    return [e.action for e in audit.list_events(engine, conversation_id=conv_id)]


def outbox(engine: Engine) -> list[tuple[str, str]]:
    table = Outbox.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return [(r.channel, r.reply_to_external_id) for r in conn.execute(
            select(table.c.channel, table.c.reply_to_external_id).order_by(table.c.id))]


def test_a_claim_is_exclusive_until_taken_over_or_expired(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    assert cs.claim(team, conv, actor="julie", clock=clock).mine
    with pytest.raises(cs.ClaimHeld) as held:
        cs.claim(team, conv, actor="tom", clock=clock)
    assert held.value.holder == "julie"
    # Taking over is a senior's right (see test_permissions for the agent's refusal).
    assert cs.claim(team, conv, actor="claire", clock=clock, take_over=True).holder == "claire"
    assert cs.renew(team, conv, actor="julie", clock=clock) is False
    assert cs.release(team, conv, actor="julie", clock=clock) is False
    assert cs.release(team, conv, actor="claire", clock=clock) is True
    assert actions(team, conv) == ["conversation.claimed", "conversation.taken_over",
                                   "conversation.released"]
    cs.claim(team, conv, actor="julie", clock=clock)
    clock.advance(seconds=cs.LEASE.total_seconds() + 1)
    assert cs.claim(team, conv, actor="tom", clock=clock).holder == "tom"


def test_renewing_extends_the_lease_quietly(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    cs.claim(team, conv, actor="julie", clock=clock)
    version = conversation(team, conv).version
    clock.advance(seconds=60)
    assert cs.renew(team, conv, actor="julie", clock=clock)
    row = conversation(team, conv)
    assert row.claim_expires_at == clock() + cs.LEASE
    assert row.version == version
    assert actions(team, conv) == ["conversation.claimed"]


def test_claims_need_an_agent_of_the_team(team: Engine) -> None:
    with pytest.raises(PermissionDenied, match="'ghost' is not on the team"):
        cs.claim(team, add_thread(team), actor="ghost")


def test_assign_in_bulk_counts_only_what_changed(team: Engine, clock: FrozenClock) -> None:
    a, b = add_thread(team), add_thread(team)
    assert cs.assign(team, [a, b, a], "tom", actor="julie", clock=clock) == 2
    assert cs.assign(team, [a, b], "tom", actor="julie", clock=clock) == 0
    assert cs.assign(team, [a], None, actor="julie", clock=clock) == 1
    assert conversation(team, a).assignee_id is None
    assert actions(team, a) == ["conversation.assigned", "conversation.unassigned"]
    with pytest.raises(cs.NotFound):
        cs.assign(team, [a], "nobody", actor="julie", clock=clock)


def test_escalate_routes_to_the_role_with_the_reason(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team, status="snoozed", priority=0)
    cs.assign(team, [conv], "julie", actor="julie", clock=clock)
    assert cs.escalate(team, [conv], "senior", "  VIP,\n still broken ", actor="julie",
                       clock=clock, auto_assign={"senior"}) == 1
    row = conversation(team, conv)
    assert (row.role, row.escalated, row.escalation_reason) == ("senior", True,
                                                                "VIP, still broken")
    assert (row.status, row.priority) == ("open", 2)
    assert row.assignee_id is not None  # claire, the only senior
    assert cs.escalate(team, [conv], "senior", "VIP, still broken", actor="julie",
                       clock=clock) == 0
    event = audit.list_events(team, conversation_id=conv)[-1]
    assert event.details == {"role": "senior", "reason": "VIP, still broken",
                             "previous_role": "agent"}


@pytest.mark.parametrize(("role", "reason"), [("boss", "x"), ("senior", "   ")])
def test_escalate_refuses_a_bad_role_or_no_reason(team: Engine, role: str, reason: str) -> None:
    with pytest.raises(cs.ActionError):
        cs.escalate(team, [add_thread(team)], role, reason, actor="julie")


def test_tags_are_normalised_slugs(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    assert cs.tag(team, [conv], " #Sales Lead ", actor="julie", clock=clock) == 1
    assert cs.tag(team, [conv], "sales-lead", actor="julie", clock=clock) == 0
    assert conversation(team, conv).tags == " sales-lead "
    assert cs.untag(team, [conv], "sales-lead", actor="julie", clock=clock) == 1
    assert conversation(team, conv).tags == " "
    with pytest.raises(cs.ActionError):
        cs.tag(team, [conv], "[b]x", actor="julie")


def test_hide_queues_the_platform_side_and_skips_dms(team: Engine, clock: FrozenClock) -> None:
    comment = add_thread(team, texts=("spam one", "spam two"))
    dm = add_thread(team, kind="dm")
    assert cs.hide(team, [comment, dm], actor="julie", clock=clock) == 1
    assert [(m.hidden, m.hidden_reason) for m in messages(team, comment)] == [
        (True, "hidden by an agent")] * 2
    assert [c for c, _ in outbox(team)] == ["hide", "hide"]
    assert cs.hide(team, [comment], actor="julie", clock=clock) == 0
    first = messages(team, comment)[0]
    assert cs.unhide_messages(team, [first.id], actor="julie", clock=clock) == 1
    assert [m.hidden for m in messages(team, comment)] == [False, True]
    assert actions(team, comment) == ["message.hidden", "message.hidden", "message.unhidden"]


def test_delete_marks_messages_deleted(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team, texts=("a", "b"))
    second = messages(team, conv)[1]
    assert cs.delete_messages(team, [second.id], actor="claire", clock=clock) == 1
    assert [m.deleted for m in messages(team, conv)] == [False, True]
    assert cs.delete(team, [conv], actor="claire", clock=clock) == 1
    assert outbox(team)[-1][0] == "delete"


def test_ban_counts_authors_once(team: Engine, clock: FrozenClock) -> None:
    first = add_thread(team)
    contact = conversation(team, first).contact_id
    second = add_thread(team, contact_id=contact, kind="dm")
    assert cs.ban(team, [first, second], actor="claire", clock=clock, reason="threats") == 1
    with db.read(team) as conn:
        table = Contact.__table__  # type: ignore[attr-defined]
        assert conn.execute(select(table.c.banned).where(table.c.id == contact)).scalar_one()
    assert outbox(team) == [("ban", messages(team, first)[-1].external_id)]
    assert cs.ban(team, [second], actor="claire", clock=clock) == 0
    assert cs.unban(team, [second], actor="helene", clock=clock) == 1
    assert actions(team, first) == ["contact.banned"]
    assert actions(team, second) == ["contact.unbanned"]


def test_snooze_until_a_time_or_a_reply(team: Engine, clock: FrozenClock) -> None:
    timed, reply = add_thread(team), add_thread(team)
    assert cs.snooze(team, [timed], clock() + timedelta(hours=1), actor="julie",
                     clock=clock) == 1
    assert cs.snooze(team, [reply], None, actor="julie", clock=clock) == 1
    assert conversation(team, reply).snoozed_until is None
    with pytest.raises(cs.ActionError):
        cs.snooze(team, [timed], clock(), actor="julie", clock=clock)
    assert cs.wake_due(team, clock=clock) == 0
    clock.advance(hours=1)
    assert cs.wake_due(team, clock=clock) == 1
    assert conversation(team, timed).status == "open"
    assert conversation(team, reply).status == "snoozed"
    assert actions(team, timed) == ["conversation.snoozed", "conversation.woken"]


def test_resolve_stops_the_clock_and_releases_the_claim(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    cs.claim(team, conv, actor="julie", clock=clock)
    assert cs.resolve(team, [conv], "answered", actor="julie", clock=clock) == 1
    row = conversation(team, conv)
    assert (row.status, row.resolution_code, row.sla_due_at, row.claimed_by) == (
        "resolved", "answered", None, None)
    assert cs.resolve(team, [conv], "answered", actor="julie", clock=clock) == 0
    with pytest.raises(cs.ActionError, match="unknown resolution code"):
        cs.resolve(team, [conv], "whatever", actor="julie", clock=clock)
    assert cs.reopen(team, [conv], actor="julie", clock=clock) == 1
    assert conversation(team, conv).resolution_code == ""


def test_notes_are_kept_verbatim_and_audited(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    note = cs.note(team, conv, "  [b]call[/b] back  ", actor="julie", clock=clock)
    assert (note.text, note.author) == ("[b]call[/b] back", "julie")
    assert actions(team, conv) == ["note.added"]
    with pytest.raises(cs.ActionError):
        cs.note(team, conv, "   ", actor="julie")
    with pytest.raises(cs.NotFound):
        cs.note(team, 999_999, "x", actor="julie")


def test_next_open_follows_the_given_order(team: Engine, clock: FrozenClock) -> None:
    a, b, c = add_thread(team), add_thread(team), add_thread(team)
    cs.resolve(team, [b], "answered", actor="julie", clock=clock)
    assert cs.next_open(team, [a, b, c], a) == c
    assert cs.next_open(team, [a, b, c], c) is None
    assert cs.next_open(team, [c, a], 12345) == c


def test_an_action_that_fails_leaves_no_audit_event(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    with pytest.raises(cs.NotFound):
        cs.assign(team, [conv], "ghost", actor="julie", clock=clock)
    assert actions(team, conv) == []


def test_x_posts_are_hidden_on_x_only_in_our_conversations_and_never_deleted_there(
    team: Engine, clock: FrozenClock,
) -> None:
    from workstation.models import Message, Post

    conv = add_thread(team, platform="x", kind="mention", caption="Notre Moulin M2",
                      texts=("spam one", "spam two", "spam three"))
    loose = add_thread(team, platform="x", kind="mention", texts=("spam four",))
    table, posts = Message.__table__, Post.__table__  # type: ignore[attr-defined]
    with db.read(team) as conn:
        ours = conn.execute(select(posts.c.external_id).where(
            posts.c.id == conversation(team, conv).post_id)).scalar_one()
    shapes = [(ours, ours), ("m-reply", ours), ("their-post", "their-root")]
    with db.write(team) as conn:
        for message, (parent, root) in zip(messages(team, conv), shapes, strict=True):
            conn.execute(table.update().where(table.c.id == message.id).values(
                parent_external_id=parent, extra={"conversation_id": root}))
    first, second, elsewhere = messages(team, conv)
    [alone] = messages(team, loose)

    assert cs.hide(team, [conv, loose], actor="julie", clock=clock) == 2
    assert all(m.hidden for m in (*messages(team, conv), *messages(team, loose)))
    assert outbox(team) == [("hide", first.external_id), ("hide", second.external_id)]
    refused = {e.details["message"]: e.details.get("platform_refusal")
               for e in audit.list_events(team, action="message.hidden")}
    assert refused == {
        first.external_id: None, second.external_id: None,
        elsewhere.external_id: "X lets an account hide only replies to its own posts; this "
                               "one is in a conversation someone else started",
        alone.external_id: "X lets an account hide only replies to its own posts; this post "
                           "is not a reply"}

    assert cs.unhide_messages(team, [elsewhere.id, first.id], actor="julie", clock=clock) == 1
    assert outbox(team)[2:] == [("unhide", first.external_id)]
    assert cs.delete_messages(team, [second.id], actor="claire", clock=clock) == 1
    assert messages(team, conv)[1].deleted and len(outbox(team)) == 3
    [deleted] = audit.list_events(team, action="message.deleted")
    assert deleted.details["on_platform"] is False
    assert deleted.details["platform_refusal"] == "X lets an account delete only its own posts"
