"""The SLA sweeper warns once before the due time and escalates once after it."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from tests.thread_factory import NOW, add_thread, conversation
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.models import Conversation
from workstation.rules import RuleSet, load
from workstation.workers import sweeper
from workstation.workers.sweeper import WARNING_TAG, escalation_role, sweep_sla


@pytest.fixture(scope="module")
def rules() -> RuleSet:
    return load()


def sweep(engine: Engine, rules: RuleSet, clock: FrozenClock) -> dict[str, int]:
    return {k: v for k, v in vars(sweep_sla(engine, rules, clock=clock)).items() if v}


def actions(engine: Engine, conv: int) -> list[str]:
    return [e.action for e in audit.list_events(engine, conversation_id=conv)]


def test_the_escalation_ladder() -> None:
    assert [escalation_role(r) for r in ("bot", "agent", "senior", "supervisor", "admin")] == [
        "agent", "senior", "supervisor", "supervisor", "admin"]


def test_warns_once_then_escalates_once(team: Engine, rules: RuleSet,
                                        clock: FrozenClock) -> None:
    conv = add_thread(team, sla_due_at=NOW + timedelta(minutes=20))  # support: warn 30m
    calm = add_thread(team, sla_due_at=NOW + timedelta(hours=2))
    assert sweep(team, rules, clock) == {"warned": 1}
    assert WARNING_TAG in conversation(team, conv).tags.split()
    assert sweep(team, rules, clock) == {}
    clock.advance(minutes=21)
    assert sweep(team, rules, clock) == {"breached": 1, "escalated": 1, "cleared": 1}
    row = conversation(team, conv)
    assert (row.role, row.escalated) == ("senior", True)
    assert "SLA" in row.escalation_reason
    assert row.assignee_id is not None  # seniors are assigned automatically
    assert WARNING_TAG not in row.tags.split()
    assert sweep(team, rules, clock) == {}
    assert actions(team, conv) == ["sla.warning", "sla.breached", "conversation.escalated",
                                   "sla.warning_cleared"]
    assert actions(team, calm) == []


def test_a_new_due_time_is_a_new_breach(team: Engine, rules: RuleSet,
                                         clock: FrozenClock) -> None:
    conv = add_thread(team, sla_due_at=NOW - timedelta(minutes=1))
    assert sweep(team, rules, clock)["breached"] == 1
    # The customer writes again after our reply: a new reply is owed, due later.
    _set(team, conv, sla_due_at=NOW + timedelta(minutes=10))
    assert sweep(team, rules, clock) == {"warned": 1}
    clock.advance(minutes=11)
    assert sweep(team, rules, clock) == {"breached": 1, "escalated": 1, "cleared": 1}
    assert conversation(team, conv).role == "supervisor"


def test_an_answered_conversation_loses_its_warning(team: Engine, rules: RuleSet,
                                                     clock: FrozenClock) -> None:
    conv = add_thread(team, sla_due_at=NOW + timedelta(minutes=5))
    sweep(team, rules, clock)
    _set(team, conv, sla_due_at=None, awaiting_since=None)
    assert sweep(team, rules, clock) == {"cleared": 1}
    assert WARNING_TAG not in conversation(team, conv).tags.split()
    clock.advance(hours=1)
    assert sweep(team, rules, clock) == {}


def test_a_supervisor_escalation_stays_as_it_is(team: Engine, rules: RuleSet,
                                                clock: FrozenClock) -> None:
    conv = add_thread(team, sla_due_at=NOW - timedelta(minutes=1), role="supervisor",
                      escalated=True, escalation_reason="safety issue")
    assert sweep(team, rules, clock) == {"breached": 1}
    row = conversation(team, conv)
    assert (row.role, row.escalation_reason) == ("supervisor", "safety issue")


def test_resolved_and_snoozed_conversations_are_left_alone(team: Engine, rules: RuleSet,
                                                           clock: FrozenClock) -> None:
    add_thread(team, sla_due_at=NOW - timedelta(minutes=1), status="resolved")
    add_thread(team, sla_due_at=NOW - timedelta(minutes=1), status="snoozed")
    assert sweep(team, rules, clock) == {}


def test_an_escalation_cut_short_is_finished_by_the_next_sweep(
    team: Engine, rules: RuleSet, clock: FrozenClock, monkeypatch: pytest.MonkeyPatch,
) -> None:
    conv = add_thread(team, sla_due_at=NOW - timedelta(minutes=1))

    def crash(*_args: object, **_kw: object) -> int:
        raise RuntimeError("killed")

    monkeypatch.setattr(sweeper.conversations, "escalate", crash)
    with pytest.raises(RuntimeError):
        sweep(team, rules, clock)
    monkeypatch.undo()
    assert sweep(team, rules, clock) == {"escalated": 1}
    assert conversation(team, conv).role == "senior"
    assert sweep(team, rules, clock) == {}
    assert actions(team, conv).count("conversation.escalated") == 1


def _set(engine: Engine, conv: int, **values: object) -> None:
    table = Conversation.__table__  # type: ignore[attr-defined]
    with db.write(engine) as conn:
        conn.execute(update(table).where(table.c.id == conv).values(**values))
