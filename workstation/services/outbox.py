"""The outbox: every reply's journey from queued to sent, as the sender worker drives it.

A reply is written here before anything goes on the network (`services.replies.send_reply`),
with an idempotency key. The sender worker then claims due rows (`claim`), calls the platform,
and reports the outcome: `mark_sent`, `mark_failed` (a retry with backoff, or the end), or
`mark_unknown` when a timeout leaves it unclear whether the platform posted it (these
platforms have no idempotency keys, so such a row is reconciled by reading the thread,
`resolve_unknown`, never blindly retried). Each transition is one transaction with its audit
event and keeps the thread's copy of the reply in step (`reply_thread`).

States: queued → sending → sent | failed | unknown | queued (a retry; or `defer`: not sent,
the attempt not counted); queued/failed → cancelled (an agent); failed → queued (an agent
retries); unknown → sent | queued. While a row is `sending`, `next_attempt_at` holds its
lease: a worker that dies mid-send leaves a row that `expire_leases` turns into `unknown`.
"""

from __future__ import annotations

import random
from collections.abc import Collection
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update

from workstation import audit, db
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, Conversation, Outbox, OutboxState

from . import reply_thread

_O = Outbox.__table__.c  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
MAX_ATTEMPTS = 6
"""Attempts before a reply that keeps failing is given up (state failed)."""
LEASE = timedelta(minutes=2)
"""How long a worker may hold a reply in `sending` before it is presumed dead."""


class OutboxStateError(Exception):
    """The reply is not in a state that allows this transition."""


@dataclass(frozen=True, slots=True)
class OutboxView:
    """An outbox row as the UI, the CLI and the workers see it."""

    id: int
    conversation_id: int
    channel: str
    text: str
    state: str
    attempts: int
    last_error: str
    next_attempt_at: datetime | None
    external_id: str
    template_id: str
    idempotency_key: str
    author_kind: str
    agent_id: int | None
    reply_to_external_id: str
    created_at: datetime
    sent_at: datetime | None


def view(row: Any) -> OutboxView:
    """An `OutboxView` from a row of the outbox table."""
    return OutboxView(**{k: getattr(row, k) for k in OutboxView.__slots__})


def get(engine: Engine, outbox_id: int) -> OutboxView:
    """One outbox row.

    Raises:
        KeyError: there is no such row.
    """
    with db.read(engine) as conn:
        row = conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one_or_none()
    if row is None:
        raise KeyError(f"no reply #{outbox_id} in the outbox")
    return view(row)


def list_outbox(
    engine: Engine, *, state: str | None = None, conversation_id: int | None = None,
    limit: int = 100,
) -> list[OutboxView]:
    """Outbox rows, newest first, filtered by state and conversation."""
    query = select(_OUTBOX).order_by(_O.id.desc()).limit(limit)
    if state is not None:
        query = query.where(_O.state == state)
    if conversation_id is not None:
        query = query.where(_O.conversation_id == conversation_id)
    with db.read(engine) as conn:
        return [view(r) for r in conn.execute(query)]


def backoff(attempts: int, rng: random.Random | None = None, *, base: float = 30.0,
            cap: float = 3600.0) -> timedelta:
    """How long to wait before attempt `attempts + 1`: exponential, capped, jittered.

    "Equal jitter": half the exponential delay, plus a random share of the other half, so
    retries of many replies do not hit a recovering platform at the same second.

    Args:
        attempts: attempts made so far (1 after the first failure).
        rng: the random source; seed it for reproducible delays.
        base: the first delay, in seconds.
        cap: the longest delay, in seconds.
    """
    delay = min(cap, base * 2 ** max(attempts - 1, 0))
    return timedelta(seconds=delay / 2 + (rng or random).uniform(0, delay / 2))


def claim(
    engine: Engine, *, worker: str, limit: int = 10, clock: Clock = utcnow,
    lease: timedelta = LEASE, platforms: Collection[str] | None = None,
) -> list[OutboxView]:
    """Take up to `limit` due replies for sending (queued → sending), oldest first.

    Safe with several workers: SQLite serialises writers (BEGIN IMMEDIATE); PostgreSQL skips
    rows another worker holds (FOR UPDATE SKIP LOCKED). With `platforms`, only replies in
    conversations of those platforms are taken (the ones a connector is configured for): the
    others stay queued, untouched.
    """
    now = clock()
    query = select(_O.id).where(
        _O.state == OutboxState.QUEUED.value,
        or_(_O.next_attempt_at.is_(None), _O.next_attempt_at <= now))
    if platforms is not None:
        query = query.where(_O.conversation_id.in_(
            select(_C.id).where(_C.platform.in_(sorted(platforms)))))
    with db.write(engine) as conn:
        ids = list(conn.execute(
            query.order_by(_O.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars())
        if not ids:
            return []
        conn.execute(update(_OUTBOX).where(_O.id.in_(ids)).values(
            state=OutboxState.SENDING.value, attempts=_O.attempts + 1,
            next_attempt_at=now + lease))
        rows = conn.execute(select(_OUTBOX).where(_O.id.in_(ids)).order_by(_O.id)).all()
        for row in rows:
            _delivery(conn, row, OutboxState.SENDING)
        audit.record_many(conn, [
            _entry("outbox.sending", row, worker, now, attempt=row.attempts) for row in rows
        ])
    return [view(r) for r in rows]


def mark_sent(engine: Engine, outbox_id: int, external_id: str, *, worker: str = "sender",
              clock: Clock = utcnow) -> OutboxView:
    """The platform accepted the reply and gave it `external_id` (sending/unknown → sent)."""
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, outbox_id, OutboxState.SENDING, OutboxState.UNKNOWN)
        conn.execute(update(_OUTBOX).where(_O.id == outbox_id).values(
            state=OutboxState.SENT.value, external_id=external_id, sent_at=now,
            next_attempt_at=None, last_error=""))
        message = reply_thread.find(conn, outbox_id, _keys(row), row.conversation_id)
        if message is not None:
            _adopt(conn, message, row.conversation_id, external_id)
        audit.record(conn, "outbox.sent", **_who(worker), conversation_id=row.conversation_id,
                     target_kind="outbox", target_id=outbox_id, at=now,
                     details={"external_id": external_id, "attempts": row.attempts})
        return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def _adopt(conn: Connection, message: Any, conversation_id: int, external_id: str) -> None:
    """Give the thread message its platform id; if the sync already stored that message,
    keep the synced row and let it carry the outbox link instead."""
    from workstation.models import Message

    table = Message.__table__  # type: ignore[attr-defined]
    synced = conn.execute(select(table.c.id, table.c.extra).where(
        table.c.platform == message.platform, table.c.external_id == external_id)).one_or_none()
    if synced is None:
        reply_thread.set_delivery(conn, message, OutboxState.SENT.value,
                                  external_id=external_id)
        return
    extra = {**(synced.extra or {}), **{k: v for k, v in (message.extra or {}).items()}}
    extra["delivery"] = OutboxState.SENT.value
    # The wait this reply ended was measured when it was written: it moves with the link.
    conn.execute(update(table).where(table.c.id == synced.id).values(
        extra=extra, response_seconds=message.response_seconds))
    conn.execute(table.delete().where(table.c.id == message.id))
    conn.execute(update(Conversation.__table__).where(_C.id == conversation_id).values(  # type: ignore[attr-defined]
        message_count=_C.message_count - 1))


def mark_failed(
    engine: Engine, outbox_id: int, error: str, *, retryable: bool = True,
    worker: str = "sender", clock: Clock = utcnow, rng: random.Random | None = None,
    max_attempts: int = MAX_ATTEMPTS,
) -> OutboxView:
    """The send failed. Retry later with backoff (back to queued), or give up (failed).

    Gives up when the error is not retryable (a 4xx other than 408/429) or after
    `max_attempts`; the conversation then owes a reply again and shows in the queue.
    """
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, outbox_id, OutboxState.SENDING, OutboxState.UNKNOWN)
        final = not retryable or row.attempts >= max_attempts
        values: dict[str, Any] = {"last_error": error[:500]}
        if final:
            values.update(state=OutboxState.FAILED.value, next_attempt_at=None)
        else:
            values.update(state=OutboxState.QUEUED.value,
                          next_attempt_at=now + backoff(row.attempts, rng))
        conn.execute(update(_OUTBOX).where(_O.id == outbox_id).values(**values))
        message = reply_thread.find(conn, outbox_id, _keys(row), row.conversation_id)
        if message is not None:
            if final:
                reply_thread.withdraw(conn, message, now, delivery=OutboxState.FAILED.value)
            else:
                reply_thread.set_delivery(conn, message, OutboxState.QUEUED.value)
        action = "outbox.failed" if final else "outbox.retry_scheduled"
        audit.record(conn, action, **_who(worker), conversation_id=row.conversation_id,
                     target_kind="outbox", target_id=outbox_id, at=now,
                     details={"error": error[:500], "attempts": row.attempts,
                              "next_attempt_at": None if final else
                              values["next_attempt_at"].isoformat()})
        return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def mark_unknown(engine: Engine, outbox_id: int, error: str, *, worker: str = "sender",
                 clock: Clock = utcnow) -> OutboxView:
    """The send timed out: it may have been posted (sending → unknown, to reconcile)."""
    return _simple(engine, outbox_id, (OutboxState.SENDING,), OutboxState.UNKNOWN,
                   "outbox.unknown", worker, clock, last_error=error[:500], next_attempt_at=None)


def resolve_unknown(engine: Engine, outbox_id: int, *, external_id: str | None,
                    worker: str = "sender", clock: Clock = utcnow) -> OutboxView:
    """After reading the thread on the platform: found (→ sent) or not (→ queued, now).

    `external_id` is None when it was not found; '' is found, for an action that creates
    nothing (a hide, a delete).
    """
    if external_id is not None:
        return mark_sent(engine, outbox_id, external_id, worker=worker, clock=clock)
    return _simple(engine, outbox_id, (OutboxState.UNKNOWN,), OutboxState.QUEUED,
                   "outbox.requeued", worker, clock, next_attempt_at=None)


def defer(engine: Engine, outbox_id: int, *, until: datetime | None, reason: str,
          worker: str = "sender", clock: Clock = utcnow) -> OutboxView:
    """Give back a claimed reply that was not sent (sending → queued), due at `until`.

    For a platform that asked us to wait (a rate limit) or a worker that stops before its
    turn came: nothing went on the network, so the attempt is not counted.
    """
    return _simple(engine, outbox_id, (OutboxState.SENDING,), OutboxState.QUEUED,
                   "outbox.deferred", worker, clock, attempts=_O.attempts - 1,
                   next_attempt_at=until, last_error=reason[:500])


def expire_leases(engine: Engine, *, clock: Clock = utcnow) -> int:
    """Rows left in `sending` past their lease (a dead worker) become `unknown`; how many."""
    now = clock()
    with db.write(engine) as conn:
        rows = conn.execute(select(_OUTBOX).where(
            _O.state == OutboxState.SENDING.value, _O.next_attempt_at < now)).all()
        for row in rows:
            conn.execute(update(_OUTBOX).where(_O.id == row.id).values(
                state=OutboxState.UNKNOWN.value, next_attempt_at=None,
                last_error="the sending worker stopped before reporting"))
            _delivery(conn, row, OutboxState.UNKNOWN)
        audit.record_many(conn, [_entry("outbox.unknown", r, "system", now) for r in rows])
    return len(rows)


def retry(engine: Engine, outbox_id: int, *, actor: str, clock: Clock = utcnow) -> OutboxView:
    """An agent sends a failed reply again (failed → queued, due now)."""
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, outbox_id, OutboxState.FAILED)
        conn.execute(update(_OUTBOX).where(_O.id == outbox_id).values(
            state=OutboxState.QUEUED.value, next_attempt_at=None, attempts=0))
        message = reply_thread.find(conn, outbox_id, _keys(row), row.conversation_id)
        if message is not None:
            reply_thread.repost(conn, message, now)
        audit.record(conn, "outbox.requeued", actor=actor, conversation_id=row.conversation_id,
                     target_kind="outbox", target_id=outbox_id, at=now, details={})
        return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def _simple(engine: Engine, outbox_id: int, sources: tuple[OutboxState, ...],
            target: OutboxState, action: str, worker: str, clock: Clock,
            **values: Any) -> OutboxView:
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, outbox_id, *sources)
        conn.execute(update(_OUTBOX).where(_O.id == outbox_id).values(
            state=target.value, **values))
        _delivery(conn, row, target)
        audit.record(conn, action, **_who(worker), conversation_id=row.conversation_id,
                     target_kind="outbox", target_id=outbox_id, at=now,
                     details={k: v for k, v in values.items() if k == "last_error"})
        return view(conn.execute(select(_OUTBOX).where(_O.id == outbox_id)).one())


def _lock(conn: Connection, outbox_id: int, *states: OutboxState) -> Any:
    row = conn.execute(
        select(_OUTBOX).where(_O.id == outbox_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise KeyError(f"no reply #{outbox_id} in the outbox")
    if row.state not in {s.value for s in states}:
        allowed = " or ".join(s.value for s in states)
        raise OutboxStateError(f"reply #{outbox_id} is {row.state}; this needs it {allowed}")
    return row


def _keys(row: Any) -> tuple[str, ...]:
    keys = (reply_thread.placeholder_id(row.idempotency_key),)
    return keys + ((row.external_id,) if row.external_id else ())


def _delivery(conn: Connection, row: Any, state: OutboxState) -> None:
    message = reply_thread.find(conn, row.id, _keys(row), row.conversation_id)
    if message is not None:
        reply_thread.set_delivery(conn, message, state.value)


def _who(worker: str) -> dict[str, Any]:
    return {"actor": worker, "actor_kind": ActorKind.SYSTEM}


def _entry(action: str, row: Any, worker: str, now: datetime, **details: Any) -> dict[str, Any]:
    return audit.entry(action, **_who(worker), conversation_id=row.conversation_id,
                       target_kind="outbox", target_id=row.id, at=now, details=details)
