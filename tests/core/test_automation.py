"""What triage does on its own at ingest: moderation, leads, reminders, replies, audit."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from tests.factories import event, jsonl
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.ingest import Ingestor
from workstation.models import Contact, Lead, Message, Outbox, Reminder
from workstation.services.replies import compose_drafts
from workstation.workers import jobs

NOW = datetime(2026, 11, 23, 12, tzinfo=UTC)  # a Monday, office hours in Paris


def ingest(engine: Engine, *events: dict) -> None:
    Ingestor(engine, clock=FrozenClock(NOW)).run(io.BytesIO(jsonl(*events)))


def rows(engine: Engine, model: type) -> list[dict]:
    with db.read(engine) as conn:
        return [dict(r) for r in conn.execute(select(model.__table__)).mappings()]


def actions(engine: Engine) -> list[str]:
    return [e.action for e in audit.list_events(engine)]


def test_a_price_comment_becomes_a_lead_with_a_qualifier_dm_and_a_follow_up(engine: Engine) -> None:
    ingest(engine, event("c1", text="How much is the Moulin M2? I'd like to order one",
                         created_at="2026-11-23T11:00:00Z"))
    # The rule's qualifier names a flow of flows.toml: ingest asks for it, the workers'
    # flows job starts it (tests/core/leads/).
    assert rows(engine, Outbox) == [] and "lead.flow_requested" in actions(engine)
    assert jobs.flows(jobs.Context(engine, clock=FrozenClock(NOW))) == "started 1 flows"
    (lead,) = rows(engine, Lead)
    assert lead["stage"] == "qualifying" and lead["source_platform"] == "instagram"
    follow_up, nudge = sorted(rows(engine, Reminder), key=lambda r: r["kind"])
    assert (follow_up["kind"], follow_up["due_at"]) == ("follow-up",
                                                        datetime(2026, 11, 24, 11, tzinfo=UTC))
    assert (nudge["kind"], nudge["lead_id"]) == ("lead", lead["id"])
    outbox = rows(engine, Outbox)
    assert [(o["channel"], o["author_kind"], o["state"], o["template_id"]) for o in outbox] == [
        ("dm", "bot", "queued", "flow:sales-qualifier:use_case")]
    assert {"lead.created", "reminder.scheduled", "lead.flow_started", "reply.queued"} <= set(
        actions(engine))
    bot_messages = [m for m in rows(engine, Message) if m["author_kind"] == "bot"]
    assert [m["text"] for m in bot_messages] == [outbox[0]["text"]]
    assert compose_drafts(engine, clock=FrozenClock(NOW)) == 0


def test_spam_is_hidden_queued_for_the_platform_and_audited(engine: Engine) -> None:
    ingest(engine, event("s1", text="Follow for follow!! check my page, free followers here",
                         created_at="2026-11-23T11:00:00Z"))
    (message,) = rows(engine, Message)
    assert message["hidden"] and message["moderation"] == "hide"
    (queued,) = rows(engine, Outbox)
    assert (queued["channel"], queued["reply_to_external_id"]) == ("hide", "s1")
    assert "message.hidden" in actions(engine)


def test_a_threat_bans_the_author(engine: Engine) -> None:
    ingest(engine, event("t1", text="You will regret this, I am going to find you and hurt you",
                         created_at="2026-11-23T11:00:00Z"))
    (contact,) = rows(engine, Contact)
    assert contact["banned"]
    assert {"contact.banned", "conversation.escalated"} <= set(actions(engine))


def test_ingesting_twice_does_not_repeat_automation(engine: Engine) -> None:
    line = event("c1", text="How much is the Moulin M2? I'd like to order one",
                 created_at="2026-11-23T11:00:00Z")
    for _ in range(2):
        ingest(engine, line)
        jobs.flows(jobs.Context(engine, clock=FrozenClock(NOW)))
    assert len(rows(engine, Lead)) == len(rows(engine, Outbox)) == 1
    assert len(rows(engine, Reminder)) == 2  # the rule's follow-up and the lead's nudge


def test_an_automatic_reply_goes_once_into_a_conversation_within_its_cooldown(
    engine: Engine,
) -> None:
    # Saturday night: every DM gets the after-hours notice, but a customer who writes three
    # messages in a row (two in one batch, one later that night) gets it once.
    def dm(ident: str, when: str) -> dict:
        return event(ident, kind="dm", thread="t-1", text="Is my order shipped? It's been a week",
                     created_at=when)

    ingest(engine, dm("d1", "2026-11-21T22:00:00Z"), dm("d2", "2026-11-21T22:01:00Z"))
    ingest(engine, dm("d3", "2026-11-21T23:30:00Z"))
    notices = [o for o in rows(engine, Outbox) if o["template_id"] == "after-hours"]
    assert [o["reply_to_external_id"] for o in notices] == ["d1"]
    assert actions(engine).count("reply.drafted") == 1


def test_spam_in_a_dm_is_hidden_in_the_inbox_only(engine: Engine) -> None:
    # Instagram, Messenger and X cannot hide a private message: nothing goes to the platform.
    ingest(engine, event("s2", kind="dm", thread="t-9",
                         text="Follow for follow!! check my page, free followers here",
                         created_at="2026-11-23T11:00:00Z"))
    (message,) = rows(engine, Message)
    assert message["hidden"] and message["moderation"] == "hide"
    assert [o for o in rows(engine, Outbox) if o["channel"] == "hide"] == []
    (hidden,) = [e for e in audit.list_events(engine) if e.action == "message.hidden"]
    assert hidden.details["on_platform"] is False


def test_x_spam_is_hidden_on_x_only_when_it_replies_in_our_conversation(
    engine: Engine,
) -> None:
    spam = "Follow for follow!! check my page, free followers here"
    x = {"platform": "x", "kind": "mention", "created_at": "2026-11-23T11:00:00Z"}
    ingest(engine,
           event("901", text=spam, parent="900", conversation_id="900",
                 post={"id": "900", "caption": "Notre Moulin M2"}, **x),
           event("902", text=spam, parent="800", conversation_id="700", **x),
           event("903", text=spam, **x))
    assert all(m["hidden"] for m in rows(engine, Message))
    assert [(o["channel"], o["reply_to_external_id"]) for o in rows(engine, Outbox)] == [
        ("hide", "901")]
    hidden = {e.details["message"]: (e.details["on_platform"],
                                     e.details.get("platform_refusal", ""))
              for e in audit.list_events(engine, action="message.hidden")}
    assert hidden == {
        "901": (True, ""),
        "902": (False, "X lets an account hide only replies to its own posts; this one is in "
                       "a conversation someone else started"),
        "903": (False, "X lets an account hide only replies to its own posts; this post is "
                       "not a reply")}


def test_x_spam_under_our_own_message_of_an_earlier_batch_is_hidden_on_x(engine: Engine) -> None:
    # Whether an X conversation is the brand's is asked once for a whole batch: a message of
    # ours stored before counts, one in a conversation someone else started does not.
    spam = "Follow for follow!! check my page, free followers here"
    x = {"platform": "x", "kind": "mention", "created_at": "2026-11-23T11:00:00Z"}
    ingest(engine, event("800", text="Le Moulin M2 est de retour", direction="out",
                         created_at="2026-11-23T10:00:00Z", platform="x", kind="mention"))
    ingest(engine,
           event("801", text=spam, parent="800", conversation_id="800", **x),
           event("802", text=spam, parent="799", conversation_id="799", **x),
           event("803", text=spam, parent="800", **x))
    assert [(o["channel"], o["reply_to_external_id"]) for o in rows(engine, Outbox)] == [
        ("hide", "801"), ("hide", "803")]
    hidden = {e.details["message"]: e.details["on_platform"]
              for e in audit.list_events(engine, action="message.hidden")}
    assert hidden == {"801": True, "802": False, "803": True}


@pytest.mark.parametrize("batches", [1, 2])
def test_a_rule_on_the_thread_judges_the_second_insult_in_one_batch_or_two(
    engine: Engine, batches: int,
) -> None:
    # rules.toml: harassment is reviewed; from the second message of a thread it bans.
    lines = [event(f"h{i}", thread="t-h", text="you're such a moron",
                   created_at=f"2026-11-23T11:0{i}:00Z") for i in (1, 2)]
    if batches == 1:
        ingest(engine, *lines)
    else:
        ingest(engine, lines[0])
        assert not rows(engine, Contact)[0]["banned"]
        ingest(engine, lines[1])
    assert rows(engine, Contact)[0]["banned"]
    assert [m["moderation"] for m in sorted(rows(engine, Message), key=lambda m: m["id"])] == [
        "review", "ban"]
