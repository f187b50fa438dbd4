"""The CRM outbox: every lead change's journey to each target, one audited step at a time.

States: queued → sending → sent | queued (retry later) | failed; queued → superseded (a newer
change of the same lead replaced it before it left); skipped (the target cannot take this
lead, e.g. HubSpot without an e-mail). While a row is `sending`, `next_attempt_at` is its
lease: a push that dies mid-send leaves a row the next run takes again, with the same
delivery id. Each transition writes its audit event (`crm.<state>`) and the lead's
`crm_state` / `crm_id` in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, or_, select, text, update

from workstation import audit, db
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, CrmOutbox, Lead

from .payload import PUSHABLE, LeadSnapshot, snapshots

_O = CrmOutbox.__table__.c  # type: ignore[attr-defined]
_OUTBOX = CrmOutbox.__table__  # type: ignore[attr-defined]
_L = Lead.__table__.c  # type: ignore[attr-defined]
_LEAD = Lead.__table__  # type: ignore[attr-defined]
ACTOR = "crm"
LEASE = timedelta(minutes=2)
MAX_ATTEMPTS = 8
_PG_LOCK_KEY = 0x57_53_43_52  # "WSCR": serialises enqueueing across processes on PostgreSQL
_WAITING = ("queued", "sending")


def enqueue(engine: Engine, targets: Sequence[str], *, clock: Clock = utcnow) -> int:
    """Queue every lead change not yet queued for each target; returns rows queued.

    A lead goes when its stage is qualified or later, and again on any change after it went
    (see `LeadSnapshot.change_hash`). A target that cannot take a lead gets a `skipped` row,
    so the reason shows and the lead is not looked at again until it changes.
    """
    now = clock()
    queued = 0
    with db.write(engine) as conn:
        if not db.is_sqlite(conn):
            conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})
        latest = _latest(conn)
        for lead in snapshots(conn):
            digest = lead.change_hash()
            changed = False
            for target in targets:
                last = latest.get((lead.id, target))
                if last is not None and last.payload_hash == digest:
                    continue
                if last is None and lead.stage not in PUSHABLE:
                    continue
                changed = True
                queued += _queue(conn, lead, target, digest, now)
            if changed or lead.crm_state == "pending":
                refresh_lead(conn, lead.id)
    return queued


def _latest(conn: Connection) -> dict[tuple[int, str], Any]:
    """The newest row of each (lead, target)."""
    newest = select(func.max(_O.id)).group_by(_O.lead_id, _O.target)
    rows = conn.execute(select(_O.lead_id, _O.target, _O.payload_hash)
                        .where(_O.id.in_(newest)))
    return {(r.lead_id, r.target): r for r in rows}


def _queue(conn: Connection, lead: LeadSnapshot, target: str, digest: str,
           now: datetime) -> int:
    older = conn.execute(select(_O.id).where(
        _O.lead_id == lead.id, _O.target == target, _O.state == "queued")).scalars().all()
    if older:
        conn.execute(update(_OUTBOX).where(_O.id.in_(older)).values(
            state="superseded", next_attempt_at=None, updated_at=now))
        audit.record_many(conn, [_entry("crm.superseded", lead.conversation_id, lead.id, now,
                                        target=target, row=i) for i in older])
    skip = target == "hubspot" and not lead.email
    reason = "no e-mail address: HubSpot keys contacts by e-mail" if skip else ""
    row_id = conn.execute(_OUTBOX.insert().values(
        lead_id=lead.id, conversation_id=lead.conversation_id, target=target,
        payload_hash=digest, state="skipped" if skip else "queued", attempts=0,
        delivery_id=f"msg_{uuid.uuid4().hex}", remote_id="", note_id="", last_error=reason,
        created_at=now, updated_at=now,
    ).returning(_O.id)).scalar_one()
    action = "crm.skipped" if skip else "crm.queued"
    details: dict[str, Any] = {"target": target, "row": row_id, "stage": lead.stage}
    if skip:
        details["reason"] = reason
    audit.record(conn, action, **_who(), conversation_id=lead.conversation_id,
                 target_kind="lead", target_id=lead.id, at=now, details=details)
    return 0 if skip else 1


def claim(engine: Engine, target: str, *, limit: int, clock: Clock = utcnow,
          lease: timedelta = LEASE) -> list[Any]:
    """Take up to `limit` due rows of `target` for sending (queued → sending), oldest first;
    rows whose sender died (lease over) are taken again. Safe with concurrent pushes."""
    now = clock()
    due = or_(_O.next_attempt_at.is_(None), _O.next_attempt_at <= now)
    with db.write(engine) as conn:
        ids = list(conn.execute(
            select(_O.id).where(_O.target == target, _O.state.in_(_WAITING), due)
            .order_by(_O.id).limit(limit).with_for_update(skip_locked=True)
        ).scalars())
        if not ids:
            return []
        conn.execute(update(_OUTBOX).where(_O.id.in_(ids)).values(
            state="sending", attempts=_O.attempts + 1, next_attempt_at=now + lease,
            updated_at=now))
        rows = conn.execute(select(_OUTBOX).where(_O.id.in_(ids)).order_by(_O.id)).all()
        audit.record_many(conn, [_entry("crm.sending", r.conversation_id, r.lead_id, now,
                                        target=target, row=r.id, attempt=r.attempts)
                                 for r in rows])
    return rows


def note_progress(engine: Engine, row_id: int, *, remote_id: str | None = None,
                  note_id: str | None = None, clock: Clock = utcnow) -> None:
    """Keep what a CRM created mid-delivery, so a retry resumes instead of redoing it.
    Not a change of state: the row stays `sending`."""
    values: dict[str, Any] = {"updated_at": clock()}
    if remote_id is not None:
        values["remote_id"] = remote_id
    if note_id is not None:
        values["note_id"] = note_id
    with db.write(engine) as conn:
        conn.execute(update(_OUTBOX).where(_O.id == row_id, _O.state == "sending")
                     .values(**values))


def mark_sent(engine: Engine, row_id: int, *, clock: Clock = utcnow) -> bool:
    """The target took the change (sending → sent); the lead's CRM id and state follow.
    False when the row was no longer ours (another push took it over after a lost lease)."""
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, row_id)
        if row is None:
            return False
        conn.execute(update(_OUTBOX).where(_O.id == row_id).values(
            state="sent", sent_at=now, next_attempt_at=None, last_error="", updated_at=now))
        if row.target == "hubspot" and row.remote_id:
            conn.execute(update(_LEAD).where(_L.id == row.lead_id).values(crm_id=row.remote_id))
        audit.record(conn, "crm.synced", **_who(), conversation_id=row.conversation_id,
                     target_kind="lead", target_id=row.lead_id, at=now,
                     details={"target": row.target, "row": row_id, "attempts": row.attempts,
                              "crm_id": row.remote_id})
        refresh_lead(conn, row.lead_id)
    return True


def mark_retry(engine: Engine, row_id: int, error: str, *, wait: timedelta,
               counted: bool = True, clock: Clock = utcnow) -> None:
    """The attempt failed for a passing reason: back to queued, due after `wait`; after
    `MAX_ATTEMPTS` counted attempts, failed for good. A rate limit is not counted."""
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, row_id)
        if row is None:
            return
        attempts = row.attempts if counted else max(row.attempts - 1, 0)
        if counted and attempts >= MAX_ATTEMPTS:
            _fail(conn, row, f"{error} (gave up after {attempts} attempts)", now)
            return
        conn.execute(update(_OUTBOX).where(_O.id == row_id).values(
            state="queued", attempts=attempts, next_attempt_at=now + wait,
            last_error=error[:500], updated_at=now))
        audit.record(conn, "crm.retry", **_who(), conversation_id=row.conversation_id,
                     target_kind="lead", target_id=row.lead_id, at=now,
                     details={"target": row.target, "row": row_id, "error": error[:200],
                              "next_attempt_at": (now + wait).isoformat()})


def mark_failed(engine: Engine, row_id: int, error: str, *, clock: Clock = utcnow) -> None:
    """The target refused the change for good (sending → failed)."""
    with db.write(engine) as conn:
        row = _lock(conn, row_id)
        if row is not None:
            _fail(conn, row, error, clock())


def _fail(conn: Connection, row: Any, error: str, now: datetime) -> None:
    conn.execute(update(_OUTBOX).where(_O.id == row.id).values(
        state="failed", next_attempt_at=None, last_error=error[:500], updated_at=now))
    audit.record(conn, "crm.failed", **_who(), conversation_id=row.conversation_id,
                 target_kind="lead", target_id=row.lead_id, at=now,
                 details={"target": row.target, "row": row.id, "error": error[:200]})
    refresh_lead(conn, row.lead_id)


def requeue_failed(engine: Engine, *, actor: str, lead_ids: Sequence[int] | None = None,
                   clock: Clock = utcnow) -> int:
    """Give failed deliveries another round (after fixing a token, say); returns how many."""
    now = clock()
    with db.write(engine) as conn:
        query = select(_OUTBOX).where(_O.state == "failed").with_for_update()
        if lead_ids:
            query = query.where(_O.lead_id.in_(lead_ids))
        rows = conn.execute(query).all()
        if not rows:
            return 0
        conn.execute(update(_OUTBOX).where(_O.id.in_([r.id for r in rows])).values(
            state="queued", attempts=0, next_attempt_at=None, updated_at=now))
        audit.record_many(conn, [audit.entry(
            "crm.queued", actor=actor, actor_kind=ActorKind.AGENT,
            conversation_id=r.conversation_id, target_kind="lead", target_id=r.lead_id, at=now,
            details={"target": r.target, "row": r.id, "retry_of": r.last_error[:200]})
            for r in rows])
        for lead_id in {r.lead_id for r in rows}:
            refresh_lead(conn, lead_id)
    return len(rows)


def refresh_lead(conn: Connection, lead_id: int) -> None:
    """Set the lead's `crm_state` from the newest row of each target: pending while one
    waits, failed if one failed, synced once one went (skipped when every target passed)."""
    latest: dict[str, str] = {}
    for target, state in conn.execute(select(_O.target, _O.state).where(
            _O.lead_id == lead_id, _O.state != "superseded").order_by(_O.id)):
        latest[target] = state
    states = set(latest.values())
    if states & set(_WAITING):
        value = "pending"
    elif "failed" in states:
        value = "failed"
    elif "sent" in states:
        value = "synced"
    elif states:
        value = "skipped"
    else:
        value = ""
    conn.execute(update(_LEAD).where(_L.id == lead_id, _L.crm_state != value)
                 .values(crm_state=value))


def _lock(conn: Connection, row_id: int) -> Any:
    """The row, locked, if it is still being sent (else None: someone else owns it now)."""
    return conn.execute(select(_OUTBOX).where(and_(_O.id == row_id, _O.state == "sending"))
                        .with_for_update()).one_or_none()


def _who() -> dict[str, Any]:
    return {"actor": ACTOR, "actor_kind": ActorKind.SYSTEM}


def _entry(action: str, conversation_id: int, lead_id: int, now: datetime,
           **details: Any) -> dict[str, Any]:
    return audit.entry(action, **_who(), conversation_id=conversation_id, target_kind="lead",
                       target_id=lead_id, at=now, details=details)
