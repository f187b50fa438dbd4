"""Due reminders act once, with their kind's handler, in the transaction that marks them done."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Connection, Engine, select, update

from tests.thread_factory import NOW, add_thread, conversation
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Conversation, Reminder
from workstation.workers import reminders
from workstation.workers.reminders import ReminderView, run_due

_R = Reminder.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__  # type: ignore[attr-defined]


@pytest.fixture(autouse=True)
def clean_registry() -> Iterator[None]:
    saved = dict(reminders._HANDLERS)
    yield
    reminders._HANDLERS.clear()
    reminders._HANDLERS.update(saved)


def remind(engine: Engine, conv: int, due: datetime, kind: str = "follow-up") -> int:
    with db.write(engine) as conn:
        return int(conn.execute(_R.insert().returning(_R.c.id), {
            "conversation_id": conv, "lead_id": None, "kind": kind, "due_at": due,
            "state": "pending", "attempts": 0, "created_at": NOW}).scalar_one())


def state(engine: Engine, reminder: int) -> tuple[str, int]:
    with db.read(engine) as conn:
        row = conn.execute(select(_R.c.state, _R.c.attempts).where(_R.c.id == reminder)).one()
    return row.state, row.attempts


def run(engine: Engine, clock: FrozenClock) -> dict[str, int]:
    return {k: v for k, v in vars(run_due(engine, clock=clock)).items() if v}


def test_a_due_reminder_is_done_once_and_audited(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    due = remind(engine, conv, NOW - timedelta(minutes=1))
    later = remind(engine, conv, NOW + timedelta(hours=1))
    assert run(engine, clock) == {"done": 1}
    assert run(engine, clock) == {}
    assert state(engine, due) == ("done", 1) and state(engine, later) == ("pending", 0)
    (event,) = audit.list_events(engine, action="reminder.due")
    assert event.details["kind"] == "follow-up" and event.details["handled"] is False
    clock.advance(hours=1)
    assert run(engine, clock) == {"done": 1}


def test_a_registered_handler_acts_in_the_reminders_transaction(
    engine: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(engine)
    seen: list[int] = []

    def tag_lead(conn: Connection, reminder: ReminderView, now: datetime) -> dict[str, Any]:
        seen.append(reminder.id)
        conn.execute(update(_C).where(_C.c.id == reminder.conversation_id)
                     .values(tags=" hot-lead "))
        return {"tagged": "hot-lead"}

    reminders.register("lead", tag_lead)
    reminder = remind(engine, conv, NOW, kind="lead")
    assert run(engine, clock) == {"done": 1}
    assert run(engine, clock) == {}
    assert seen == [reminder]
    assert conversation(engine, conv).tags == " hot-lead "
    (event,) = audit.list_events(engine, action="reminder.due")
    assert event.details["tagged"] == "hot-lead" and event.details["handled"] is True


def test_a_failing_handler_is_rolled_back_retried_then_given_up(
    engine: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(engine)

    def broken(conn: Connection, reminder: ReminderView, now: datetime) -> None:
        conn.execute(update(_C).where(_C.c.id == reminder.conversation_id).values(tags=" x "))
        raise RuntimeError("CRM unreachable")

    reminders.register("lead", broken)
    reminder = remind(engine, conv, NOW, kind="lead")
    assert run(engine, clock) == {"retrying": 1}
    assert state(engine, reminder) == ("pending", 1)
    assert conversation(engine, conv).tags == " "  # the handler's change was rolled back
    assert run(engine, clock) == {}  # not due again before its backoff
    for _ in range(reminders.MAX_ATTEMPTS - 1):
        clock.advance(hours=2)
        run(engine, clock)
    assert state(engine, reminder) == ("failed", reminders.MAX_ATTEMPTS)
    assert [e.action for e in audit.list_events(engine, action="reminder.*")][-1] == (
        "reminder.failed")
