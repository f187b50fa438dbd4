"""The reminders job: act on the reminders that fell due, each exactly once.

A reminder (`reminder` table) is written by automation (`remind = "24h"` in rules.toml, kind
`follow-up`) or by the leads engine. When it falls due, the handler registered for its kind
runs, inside the write transaction that marks the reminder done and writes `reminder.due` to
the audit trail: whatever the handler changes (a queued reply, a tag) commits with the mark or
not at all, so a reminder never acts twice, even across a crash. A kind with no handler is
simply marked done and audited (the audit trail and the conversation show it fell due).

A handler that raises is rolled back alone; the reminder is tried again later with backoff,
and after `MAX_ATTEMPTS` marked failed (`reminder.failed`).

Registering a handler, from the module that owns the kind (e.g. `workstation/leads/`):

    from workstation.workers.reminders import register

    def remind_lead(conn, reminder, now):   # -> dict of audit details, or None
        ...                                  # use conn: it is the reminder's transaction

    register("lead", remind_lead)

The job calls `register()` of the modules in `PLUGINS` (when they exist) before each run, so
their handlers are registered without this module naming them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from dataclasses import dataclass, fields
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db
from workstation.clock import Clock, iso, utcnow
from workstation.models import ActorKind, Reminder
from workstation.services.outbox import backoff
from workstation.text import inert

ACTOR = "reminders"
MAX_ATTEMPTS = 5
LIMIT = 200
PLUGINS = ("workstation.leads.reminders",)
"""Modules whose `register()` registers reminder handlers."""


@dataclass(frozen=True, slots=True)
class ReminderView:
    """A due reminder, as a handler receives it."""

    id: int
    conversation_id: int
    lead_id: int | None
    kind: str
    due_at: datetime
    attempts: int
    created_at: datetime


Handler = Callable[[Connection, ReminderView, datetime], dict[str, Any] | None]
"""(the reminder's write transaction, the reminder, now) → audit details or None."""
_HANDLERS: dict[str, Handler] = {}


def register(kind: str, handler: Handler) -> None:
    """Make `handler` act on due reminders of `kind` (replacing any earlier one)."""
    _HANDLERS[kind] = handler


def handler_for(kind: str) -> Handler | None:
    """The handler registered for `kind`, if any."""
    return _HANDLERS.get(kind)


def load_plugins() -> None:
    """Have the modules of `PLUGINS` register their handlers (those not installed are skipped)."""
    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name is None or not (name + ".").startswith(exc.name + "."):
                raise
            continue
        module.register()


@dataclass
class ReminderReport:
    """What a run of the reminders job did."""

    done: int = 0
    retrying: int = 0
    failed: int = 0

    def summary(self) -> str:
        """'done 3' (only what happened), '' for nothing."""
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self)
                         if getattr(self, f.name))


_R = Reminder.__table__.c  # type: ignore[attr-defined]
_TABLE = Reminder.__table__  # type: ignore[attr-defined]


def run_due(engine: Engine, *, clock: Clock = utcnow,
            guard: Callable[[], bool] = lambda: True, limit: int = LIMIT,
            log: Callable[[str], None] | None = None) -> ReminderReport:
    """Act on every pending reminder that is due (safe to run twice, or in two processes)."""
    load_plugins()
    report = ReminderReport()
    with db.read(engine) as conn:
        ids = list(conn.execute(select(_R.id).where(_R.state == "pending", _R.due_at <= clock())
                                .order_by(_R.due_at, _R.id).limit(limit)).scalars())
    for reminder_id in ids:
        if not guard():
            break
        outcome = _run_one(engine, reminder_id, clock(), log)
        if outcome:
            setattr(report, outcome, getattr(report, outcome) + 1)
    return report


def _run_one(engine: Engine, reminder_id: int, now: datetime,
             log: Callable[[str], None] | None) -> str:
    with db.write(engine) as conn:
        row = conn.execute(select(_TABLE).where(_R.id == reminder_id, _R.state == "pending")
                           .with_for_update()).one_or_none()
        if row is None:
            return ""  # done by another run, or cancelled meanwhile
        reminder = ReminderView(row.id, row.conversation_id, row.lead_id, row.kind, row.due_at,
                                row.attempts, row.created_at)
        handler = _HANDLERS.get(reminder.kind)
        details: dict[str, Any] | None = None
        try:
            with conn.begin_nested():
                details = handler(conn, reminder, now) if handler is not None else None
        except Exception as exc:  # a handler's failure must not stop the other reminders
            return _failed(conn, reminder, now, str(exc) or type(exc).__name__, log)
        conn.execute(update(_TABLE).where(_R.id == reminder.id)
                     .values(state="done", attempts=_R.attempts + 1))
        audit.record(conn, "reminder.due", actor=ACTOR, actor_kind=ActorKind.SYSTEM,
                     conversation_id=reminder.conversation_id, target_kind="reminder",
                     target_id=reminder.id, at=now,
                     details={"kind": reminder.kind, "due_at": iso(reminder.due_at),
                              "handled": handler is not None, **(details or {})})
    return "done"


def _failed(conn: Connection, reminder: ReminderView, now: datetime, error: str,
            log: Callable[[str], None] | None) -> str:
    attempts = reminder.attempts + 1
    final = attempts >= MAX_ATTEMPTS
    values: dict[str, Any] = {"attempts": attempts}
    if final:
        values["state"] = "failed"
    else:
        values["due_at"] = now + backoff(attempts)
    conn.execute(update(_TABLE).where(_R.id == reminder.id).values(**values))
    audit.record(conn, "reminder.failed" if final else "reminder.retry_scheduled", actor=ACTOR,
                 actor_kind=ActorKind.SYSTEM, conversation_id=reminder.conversation_id,
                 target_kind="reminder", target_id=reminder.id, at=now,
                 details={"kind": reminder.kind, "error": error[:500], "attempts": attempts})
    if log is not None:
        log(f"reminder #{reminder.id} ({reminder.kind}): {inert(error, limit=200)}")
    return "failed" if final else "retrying"
