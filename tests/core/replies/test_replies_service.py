"""Composing, queueing and cancelling replies through the service layer, on both engines."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.core.replies.conftest import NOW, ThreadFactory
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Conversation, Message, Outbox
from workstation.replies.templates import Registry
from workstation.services import replies

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


def conversation(engine: Engine, conv: int) -> Any:
    with db.read(engine) as conn:
        return conn.execute(select(Conversation.__table__).where(_C.id == conv)).one()  # type: ignore[attr-defined]


def messages(engine: Engine, conv: int) -> list[Any]:
    with db.read(engine) as conn:
        return list(conn.execute(select(Message.__table__).where(_M.conversation_id == conv)  # type: ignore[attr-defined]
                                 .order_by(_M.id)))


def test_compose_fills_slots_from_the_thread_and_the_agent(
    engine: Engine, make_thread: ThreadFactory, registry: Registry, agent: str,
) -> None:
    conv = make_thread(lang="fr", intents=("shipping",))
    draft = replies.compose(engine, conv, "where-is-my-order", agent=agent,
                            registry=registry, seed=1, clock=FrozenClock(NOW))
    assert draft.lang == "fr" and draft.channel == "public" and draft.sendable
    assert "Léa" in draft.text and "Camille" in draft.text
    assert draft.values["handle"] == "@lea.m"


def test_missing_slots_unknown_slots_and_wrong_channel_are_problems(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    conv = make_thread()
    assert replies.compose(engine, conv, "order-status", registry=registry).channel == "dm"
    draft = replies.compose(engine, conv, "order-status", values={"ordr_no": "BL-1"},
                            channel="public", registry=registry, clock=FrozenClock(NOW))
    assert not draft.sendable
    assert "template 'order-status' is for private messages, not public" in draft.reasons
    assert "template 'order-status' has no slot {ordr_no}" in draft.reasons
    assert "no value for {order_no}" in draft.reasons
    with pytest.raises(replies.ReplyBlocked):
        replies.send_reply(engine, draft, clock=FrozenClock(NOW))


def test_unknown_conversation_template_or_agent(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    conv = make_thread()
    with pytest.raises(replies.NotFound, match="no conversation #999"):
        replies.compose(engine, 999, "complaint", registry=registry)
    with pytest.raises(replies.NotFound, match="no template 'nope'"):
        replies.compose(engine, conv, "nope", registry=registry)
    with pytest.raises(replies.NotFound, match="no agent named 'zed'"):
        replies.compose(engine, conv, "complaint", agent="zed", registry=registry)


def test_send_queues_mirrors_in_the_thread_answers_the_conversation_and_audits(
    engine: Engine, make_thread: ThreadFactory, registry: Registry, agent: str,
) -> None:
    clock = FrozenClock(NOW)
    conv = make_thread(intents=("complaint",))
    draft = replies.compose(engine, conv, "complaint", agent=agent, registry=registry,
                            clock=clock)
    queued = replies.send_reply(engine, draft, idempotency_key="k-1", clock=clock)
    assert (queued.state, queued.text, queued.channel) == ("queued", draft.text, "public")
    assert queued.reply_to_external_id.startswith("m-")
    out = messages(engine, conv)[-1]
    assert (out.direction, out.author_kind, out.external_id) == ("out", "agent", "outbox:k-1")
    assert out.extra["outbox_id"] == queued.id and out.extra["delivery"] == "queued"
    row = conversation(engine, conv)
    assert row.awaiting_since is None and row.sla_due_at is None
    assert row.first_response_at == NOW and row.exchange_count == 1 and row.message_count == 2
    events = audit.list_events(engine, conversation_id=conv)
    assert [e.action for e in events] == ["reply.queued"]
    assert events[0].actor == "camille" and events[0].details["outbox_id"] == queued.id


def test_the_same_idempotency_key_queues_once(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    conv = make_thread()
    draft = replies.compose(engine, conv, "complaint", registry=registry)
    first = replies.send_reply(engine, draft, idempotency_key="same")
    again = replies.send_reply(engine, draft, idempotency_key="same")
    assert first.id == again.id
    with db.read(engine) as conn:
        assert len(conn.execute(select(Outbox.__table__)).all()) == 1  # type: ignore[attr-defined]
    other = replies.compose(engine, conv, "thanks-praise", registry=registry)
    with pytest.raises(replies.ReplyError, match="already used"):
        replies.send_reply(engine, other, idempotency_key="same")


def test_a_blocked_reply_is_refused_with_reasons_and_audited(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    conv = make_thread(intents=("safety",))
    draft = replies.compose(engine, conv, text="So sorry, it's our fault. Your phone number?")
    assert {v.code for v in draft.violations} == {"liability", "private_data.phone"}
    with pytest.raises(replies.ReplyBlocked) as info:
        replies.send_reply(engine, draft)
    assert any("admit fault" in r for r in info.value.reasons)
    events = audit.list_events(engine, conversation_id=conv)
    assert [e.action for e in events] == ["reply.blocked"]
    assert set(events[0].details["codes"]) == {"liability", "private_data.phone"}
    with db.read(engine) as conn:
        assert conn.execute(select(Outbox.__table__)).all() == []  # type: ignore[attr-defined]


def test_send_rechecks_the_dm_window_at_queue_time(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    clock = FrozenClock(NOW)
    conv = make_thread(kind="dm", inbound_at=NOW - timedelta(hours=23))
    draft = replies.compose(engine, conv, "complaint-dm", registry=registry, bot=True,
                            clock=clock)
    assert draft.sendable and draft.channel == "dm"
    clock.advance(hours=2)
    with pytest.raises(replies.ReplyBlocked, match="only a person may answer"):
        replies.send_reply(engine, draft, clock=clock)


def test_bot_question_budget_counts_earlier_bot_messages(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    clock = FrozenClock(NOW)
    conv = make_thread(kind="dm", platform="x")
    for _ in range(3):  # this wording asks one question
        draft = replies.compose(engine, conv, "sales-qualifier", registry=registry, bot=True,
                                clock=clock, choices={"question": 0})
        assert draft.sendable, draft.reasons
        replies.send_reply(engine, draft, clock=clock)
    draft = replies.compose(engine, conv, "sales-qualifier", registry=registry, bot=True,
                            clock=clock, choices={"question": 0})
    assert [v.code for v in draft.violations] == ["bot.questions"]
    handoff = replies.compose(engine, conv, "human-handoff", registry=registry, bot=True,
                              clock=clock)
    assert handoff.sendable


def test_an_edited_text_replaces_the_rendering_and_is_checked(
    engine: Engine, make_thread: ThreadFactory, registry: Registry, clock: FrozenClock,
) -> None:
    conv = make_thread()
    draft = replies.compose(engine, conv, "complaint", text="Hi! Email us at x@gmail.com",
                            registry=registry, clock=clock)
    assert draft.template_id == "complaint" and draft.keys == {}
    assert [v.code for v in draft.violations] == ["private_data.email"]
    rendered = replies.compose(engine, conv, "order-status", registry=registry, seed=1,
                               clock=clock)
    edited = replies.compose(engine, conv, "order-status", registry=registry, seed=1,
                             text=rendered.text + " :)", clock=clock)
    assert edited.reasons == ["the text still shows ‹order_no›"]
    fixed = replies.compose(engine, conv, "order-status", registry=registry, seed=1,
                            text=rendered.text.replace("‹order_no›", "BL-7"), clock=clock)
    assert fixed.sendable


def test_cancel_puts_the_customer_back_in_the_queue(
    engine: Engine, make_thread: ThreadFactory, registry: Registry, agent: str,
) -> None:
    clock = FrozenClock(NOW)
    conv = make_thread()
    before = conversation(engine, conv)
    queued = replies.send_reply(engine, replies.compose(
        engine, conv, "complaint", agent=agent, registry=registry, clock=clock), clock=clock)
    clock.advance(minutes=1)
    cancelled = replies.cancel_reply(engine, queued.id, actor=agent, clock=clock)
    assert cancelled.state == "cancelled"
    after = conversation(engine, conv)
    for field in ("awaiting_since", "sla_due_at", "first_response_at", "exchange_count",
                  "message_count", "last_text", "last_message_at", "last_outbound_at"):
        assert getattr(after, field) == getattr(before, field), field
    out = messages(engine, conv)[-1]
    assert out.deleted and out.extra["delivery"] == "cancelled"
    assert [e.action for e in audit.list_events(engine, conversation_id=conv)] == [
        "reply.queued", "reply.cancelled"]
    with pytest.raises(replies.OutboxStateError, match="only a queued or failed"):
        replies.cancel_reply(engine, queued.id, actor=agent, clock=clock)
    with pytest.raises(KeyError):
        replies.cancel_reply(engine, 12345, actor=agent)


def test_the_automation_can_reply_inside_its_own_transaction(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    conv = make_thread(kind="dm", platform="facebook")
    with db.write(engine) as conn:
        draft = replies.draft_reply(conn, conv, "after-hours", bot=True, registry=registry,
                                    now=NOW)
        queued = replies.queue_reply(conn, draft, idempotency_key=f"auto:{conv}", now=NOW)
        with pytest.raises(replies.ReplyBlocked):
            replies.queue_reply(conn, replace(draft, text="Your password?"), now=NOW)
    assert queued.author_kind == "bot" and queued.idempotency_key == f"auto:{conv}"
    events = audit.list_events(engine, conversation_id=conv)
    assert [(e.action, e.actor_kind) for e in events] == [
        ("reply.queued", "bot"), ("reply.blocked", "bot")]
