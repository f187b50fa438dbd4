"""The SLA sweeper: warn before a reply is due, escalate once it is overdue.

A conversation whose reply falls due within its policy's `warn` window (rules.toml) gets the
tag `sla-warning`, which the queues can filter and show, and an `sla.warning` audit event.
Once the due time passes, it gets an `sla.breached` event and is escalated one step up the
escalation matrix's roles (agent → senior → supervisor; a supervisor's thread is escalated
at its own level), through `services.conversations.escalate` like an agent's escalation, so
the seniors' automatic assignment applies. The tag goes when the warning no longer holds
(answered, resolved, snoozed or breached).

Each warning and breach is recorded in `sla_alert` under the conversation and the due time,
so it happens once per conversation and due time, whatever the number of sweeps, sweepers or
restarts: a customer who writes again sets a new due time and may be warned again.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, exists, select, update
from sqlalchemy.dialects import postgresql, sqlite

from workstation import audit, db
from workstation.clock import Clock, iso, utcnow
from workstation.models import ActorKind, Conversation, SlaAlert, Status
from workstation.rules import RuleSet
from workstation.services import conversations
from workstation.slugs import merged, spaced

WARNING_TAG = "sla-warning"
ACTOR = audit.SystemActor("sla-sweeper")
LIMIT = 500
"""Conversations handled per step and run: a backlog is worked off over several sweeps."""
LADDER = ("agent", "senior", "supervisor")
"""The escalation matrix's roles, lowest first."""

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONV = Conversation.__table__  # type: ignore[attr-defined]
_ALERT = SlaAlert.__table__  # type: ignore[attr-defined]
_A = _ALERT.c


def _always() -> bool:
    return True


@dataclass
class SweepReport:
    """What a sweep did."""

    warned: int = 0
    breached: int = 0
    escalated: int = 0
    cleared: int = 0

    def summary(self) -> str:
        """'warned 2, breached 1, escalated 1' (only what happened), '' for nothing."""
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self)
                         if getattr(self, f.name))


def escalation_role(role: str) -> str:
    """The role a breached conversation routed to `role` is escalated to."""
    if role == "bot":
        return LADDER[0]
    if role not in LADDER:
        return role  # admin: nowhere higher to go
    return LADDER[min(LADDER.index(role) + 1, len(LADDER) - 1)]


def sweep_sla(engine: Engine, rules: RuleSet, *, clock: Clock = utcnow,
              guard: Callable[[], bool] = _always, limit: int = LIMIT) -> SweepReport:
    """One sweep (safe to run twice, or in two processes at once).

    Args:
        engine: the store.
        rules: the rules in force (SLA policies and their warning windows).
        clock: the current time.
        guard: false once this process may no longer work.
        limit: conversations per step.
    """
    report = SweepReport()
    now = clock()
    warn = {name: policy.warn_before for name, policy in rules.sla.items()}
    default = warn.get(rules.default_sla, timedelta(minutes=30))
    report.warned = _warn(engine, warn, default, now, limit)
    if guard():
        report.breached = _breach(engine, now, limit)
    if guard():
        report.escalated = _escalate_pending(engine, clock, guard, limit)
    if guard():
        report.cleared = _clear(engine, warn, default, now)
    return report


def _not_alerted(kind: str) -> Any:
    return ~exists().where(_A.conversation_id == _C.id, _A.kind == kind,
                           _A.due_at == _C.sla_due_at)


def _warn(engine: Engine, warn: dict[str, timedelta], default: timedelta, now: datetime,
          limit: int) -> int:
    widest = max([default, *warn.values()])
    with db.write(engine) as conn:
        rows = conn.execute(
            select(_C.id, _C.sla_policy, _C.sla_due_at, _C.tags)
            .where(_C.status == Status.OPEN.value, _C.sla_due_at > now,
                   _C.sla_due_at <= now + widest, _not_alerted("warning"))
            .order_by(_C.sla_due_at).limit(limit).with_for_update()).all()
        rows = [r for r in rows if r.sla_due_at - now <= warn.get(r.sla_policy, default)]
        fresh = _record(conn, "warning", rows, now)
        for row in rows:
            if row.id not in fresh:
                continue
            conn.execute(update(_CONV).where(_C.id == row.id).values(
                tags=merged(row.tags, [WARNING_TAG]), updated_at=now, version=_C.version + 1))
            audit.record(conn, "sla.warning", actor=ACTOR, actor_kind=ActorKind.SYSTEM,
                         conversation_id=row.id, at=now,
                         details={"due_at": iso(row.sla_due_at), "policy": row.sla_policy})
    return len(fresh)


def _breach(engine: Engine, now: datetime, limit: int) -> int:
    with db.write(engine) as conn:
        rows = conn.execute(
            select(_C.id, _C.sla_policy, _C.sla_due_at, _C.role, _C.escalated)
            .where(_C.status == Status.OPEN.value, _C.sla_due_at <= now, _not_alerted("breach"))
            .order_by(_C.sla_due_at).limit(limit).with_for_update()).all()
        targets = {r.id: _target(r) for r in rows}
        fresh = _record(conn, "breach", rows, now, targets)
        audit.record_many(conn, [
            audit.entry("sla.breached", actor=ACTOR, actor_kind=ActorKind.SYSTEM,
                        conversation_id=r.id, at=now,
                        details={"due_at": iso(r.sla_due_at), "policy": r.sla_policy,
                                 "escalate_to": targets[r.id]})
            for r in rows if r.id in fresh])
    return len(fresh)


def _target(row: Any) -> str:
    """The role to escalate to, '' when the thread is escalated at the top already."""
    role = escalation_role(row.role)
    return "" if row.escalated and role == row.role else role


def _record(conn: Connection, kind: str, rows: Sequence[Any], now: datetime,
            targets: dict[int, str] | None = None) -> set[int]:
    """Insert the alerts of `rows`; the conversations whose alert is new (a concurrent
    sweep may have recorded some first)."""
    if not rows:
        return set()
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    values = [{"conversation_id": r.id, "kind": kind, "due_at": r.sla_due_at, "at": now,
               "escalate_to": (targets or {}).get(r.id, "")} for r in rows]
    statement = (dialect.insert(_ALERT).values(values).on_conflict_do_nothing()
                 .returning(_A.conversation_id))
    return set(conn.execute(statement).scalars())


def _escalate_pending(engine: Engine, clock: Clock, guard: Callable[[], bool],
                      limit: int) -> int:
    """Escalate the breached conversations still waiting for it, then mark them done."""
    with db.read(engine) as conn:
        pending = conn.execute(
            select(_A.id, _A.conversation_id, _A.escalate_to, _A.due_at)
            .where(_A.kind == "breach", _A.escalate_to != "")
            .order_by(_A.id).limit(limit)).all()
    groups: dict[tuple[str, str], list[Any]] = {}
    for alert in pending:
        reason = f"no reply within the SLA (due {iso(alert.due_at)})"
        groups.setdefault((alert.escalate_to, reason), []).append(alert)
    changed = 0
    for (role, reason), alerts in groups.items():
        if not guard():
            break
        # Idempotent: a thread already escalated to this role for this reason is skipped.
        changed += conversations.escalate(engine, [a.conversation_id for a in alerts], role,
                                          reason, actor=ACTOR, clock=clock)
        with db.write(engine) as conn:
            conn.execute(update(_ALERT).where(_A.id.in_([a.id for a in alerts]))
                         .values(escalate_to=""))
    return changed


def _clear(engine: Engine, warn: dict[str, timedelta], default: timedelta,
           now: datetime) -> int:
    with db.write(engine) as conn:
        rows = conn.execute(
            select(_C.id, _C.status, _C.sla_due_at, _C.sla_policy, _C.tags)
            .where(_C.tags.like(f"% {WARNING_TAG} %")).with_for_update()).all()
        stale = [r for r in rows if not (
            r.status == Status.OPEN.value and r.sla_due_at is not None
            and now < r.sla_due_at <= now + warn.get(r.sla_policy, default))]
        for row in stale:
            conn.execute(update(_CONV).where(_C.id == row.id).values(
                tags=spaced(t for t in row.tags.split() if t != WARNING_TAG), updated_at=now,
                version=_C.version + 1))
        audit.record_many(conn, [
            audit.entry("sla.warning_cleared", actor=ACTOR, actor_kind=ActorKind.SYSTEM,
                        conversation_id=r.id, at=now,
                        details={"due_at": iso(r.sla_due_at), "status": r.status})
            for r in stale])
    return len(stale)


__all__ = ["ACTOR", "LADDER", "WARNING_TAG", "SweepReport", "escalation_role", "sweep_sla"]
