"""Outbox transitions as the sender worker drives them, on both engines."""

from __future__ import annotations

import random
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.core.replies.conftest import NOW, ThreadFactory, add_message
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Conversation, Message
from workstation.replies.templates import Registry
from workstation.services import outbox, replies

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


@pytest.fixture
def queued(engine: Engine, make_thread: ThreadFactory, registry: Registry,
           clock: FrozenClock) -> outbox.OutboxView:
    conv = make_thread()
    draft = replies.compose(engine, conv, "complaint", registry=registry, clock=clock)
    return replies.send_reply(engine, draft, idempotency_key="key-1", clock=clock)


def thread_copy(engine: Engine, conv: int) -> Any:
    with db.read(engine) as conn:
        return conn.execute(select(Message.__table__).where(  # type: ignore[attr-defined]
            _M.conversation_id == conv, _M.direction == "out")).one()


def test_claim_send_and_sent(engine: Engine, queued: outbox.OutboxView,
                             clock: FrozenClock) -> None:
    (claimed,) = outbox.claim(engine, worker="w1", clock=clock)
    assert (claimed.id, claimed.state, claimed.attempts) == (queued.id, "sending", 1)
    assert outbox.claim(engine, worker="w2", clock=clock) == []
    assert thread_copy(engine, queued.conversation_id).extra["delivery"] == "sending"
    sent = outbox.mark_sent(engine, queued.id, "ig-777", clock=clock)
    assert (sent.state, sent.external_id, sent.sent_at) == ("sent", "ig-777", NOW)
    copy = thread_copy(engine, queued.conversation_id)
    assert copy.external_id == "ig-777" and copy.extra["delivery"] == "sent"
    assert [e.action for e in audit.list_events(engine, conversation_id=queued.conversation_id)
            ] == ["reply.queued", "outbox.sending", "outbox.sent"]
    with pytest.raises(outbox.OutboxStateError):
        replies.cancel_reply(engine, queued.id, actor="camille")


def test_a_reply_synced_back_before_mark_sent_is_not_shown_twice(
    engine: Engine, queued: outbox.OutboxView, clock: FrozenClock,
) -> None:
    outbox.claim(engine, worker="w1", clock=clock)
    with db.write(engine) as conn:
        add_message(conn, queued.conversation_id, "instagram", queued.text, NOW,
                    ident="ig-778", direction="out", author_kind="agent")
        conn.execute(Conversation.__table__.update().where(  # type: ignore[attr-defined]
            _C.id == queued.conversation_id).values(message_count=_C.message_count + 1))
    outbox.mark_sent(engine, queued.id, "ig-778", clock=clock)
    copy = thread_copy(engine, queued.conversation_id)
    assert copy.external_id == "ig-778" and copy.extra["outbox_id"] == queued.id
    with db.read(engine) as conn:
        count = conn.execute(select(_C.message_count).where(
            _C.id == queued.conversation_id)).scalar_one()
    assert count == 2


def test_retryable_failures_back_off_then_give_up(
    engine: Engine, queued: outbox.OutboxView, clock: FrozenClock,
) -> None:
    rng = random.Random(5)
    for attempt in range(1, 4):
        outbox.claim(engine, worker="w", clock=clock)
        row = outbox.mark_failed(engine, queued.id, "HTTP 503", clock=clock, rng=rng,
                                 max_attempts=3)
        if attempt < 3:
            assert row.state == "queued" and row.attempts == attempt
            assert row.next_attempt_at is not None and row.next_attempt_at > NOW
            assert outbox.claim(engine, worker="w", clock=clock) == []
            clock.current = row.next_attempt_at
    assert row.state == "failed" and row.last_error == "HTTP 503"
    with db.read(engine) as conn:
        conv = conn.execute(select(Conversation.__table__).where(  # type: ignore[attr-defined]
            _C.id == queued.conversation_id)).one()
    assert conv.awaiting_since is not None, "a failed reply puts the thread back in the queue"
    retried = outbox.retry(engine, queued.id, actor="camille", clock=clock)
    assert (retried.state, retried.attempts) == ("queued", 0)
    assert thread_copy(engine, queued.conversation_id).extra["delivery"] == "queued"


def test_a_permanent_error_fails_at_once(engine: Engine, queued: outbox.OutboxView,
                                         clock: FrozenClock) -> None:
    outbox.claim(engine, worker="w", clock=clock)
    row = outbox.mark_failed(engine, queued.id, "HTTP 400 bad recipient", retryable=False,
                             clock=clock)
    assert row.state == "failed"
    assert replies.cancel_reply(engine, queued.id, actor="camille").state == "cancelled"


def test_a_timeout_is_unknown_and_reconciled_before_any_retry(
    engine: Engine, queued: outbox.OutboxView, clock: FrozenClock,
) -> None:
    outbox.claim(engine, worker="w", clock=clock)
    assert outbox.mark_unknown(engine, queued.id, "timeout", clock=clock).state == "unknown"
    assert outbox.claim(engine, worker="w", clock=clock) == []
    assert outbox.resolve_unknown(engine, queued.id, external_id=None,
                                  clock=clock).state == "queued"
    outbox.claim(engine, worker="w", clock=clock)
    outbox.mark_unknown(engine, queued.id, "timeout", clock=clock)
    assert outbox.resolve_unknown(engine, queued.id, external_id="ig-9",
                                  clock=clock).state == "sent"


def test_a_dead_workers_lease_expires_into_unknown(
    engine: Engine, queued: outbox.OutboxView, clock: FrozenClock,
) -> None:
    outbox.claim(engine, worker="w", clock=clock)
    assert outbox.expire_leases(engine, clock=clock) == 0
    clock.advance(minutes=3)
    assert outbox.expire_leases(engine, clock=clock) == 1
    assert outbox.get(engine, queued.id).state == "unknown"


def test_wrong_transitions_are_refused(engine: Engine, queued: outbox.OutboxView) -> None:
    with pytest.raises(outbox.OutboxStateError, match="is queued; this needs it sending"):
        outbox.mark_sent(engine, queued.id, "x")
    with pytest.raises(outbox.OutboxStateError):
        outbox.retry(engine, queued.id, actor="camille")
    with pytest.raises(KeyError):
        outbox.get(engine, 999)


def test_backoff_grows_is_capped_and_jittered() -> None:
    rng = random.Random(1)
    delays = [outbox.backoff(n, rng).total_seconds() for n in range(1, 12)]
    assert 15 <= delays[0] <= 30 and 30 <= delays[1] <= 60
    assert all(1800 <= d <= 3600 for d in delays[8:])
    assert outbox.backoff(3, random.Random(2)) == outbox.backoff(3, random.Random(2))
    assert outbox.backoff(1) <= timedelta(seconds=30)


def test_list_filters_by_state_and_conversation(
    engine: Engine, queued: outbox.OutboxView,
) -> None:
    assert [r.id for r in outbox.list_outbox(engine, state="queued")] == [queued.id]
    assert outbox.list_outbox(engine, state="sent") == []
    assert outbox.list_outbox(engine, conversation_id=queued.conversation_id + 1) == []
