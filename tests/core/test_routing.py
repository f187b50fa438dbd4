"""Automatic assignment: role, language, load, capacity, round robin."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine, insert

from workstation import db
from workstation.models import Agent, Conversation
from workstation.routing import pick_agent

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)


def agents(engine: Engine, *rows: tuple[str, str, str, int]) -> None:
    with db.write(engine) as conn:
        conn.execute(insert(Agent.__table__), [
            {"name": n, "display_name": n, "role": r, "languages": langs, "capacity": cap,
             "active": True, "created_at": NOW} for n, r, langs, cap in rows])


def open_for(engine: Engine, agent_id: int, count: int) -> None:
    with db.write(engine) as conn:
        conn.execute(insert(Conversation.__table__), [
            {"platform": "x", "kind": "dm", "thread_key": f"t{agent_id}-{i}", "status": "open",
             "assignee_id": agent_id, "last_message_at": NOW, "created_at": NOW,
             "updated_at": NOW} for i in range(count)])


def pick(engine: Engine, role: str, lang: str, at: datetime = NOW) -> int | None:
    with db.write(engine) as conn:
        return pick_agent(conn, role, lang, at)


def test_least_loaded_speaker_of_the_role_wins(engine: Engine) -> None:
    agents(engine, ("ana", "senior", "fr,en", 5), ("ben", "senior", "en", 5),
           ("cy", "agent", "fr", 5))
    open_for(engine, 1, 2)
    assert pick(engine, "senior", "en") == 2
    assert pick(engine, "senior", "fr") == 1  # only ana speaks French


def test_equals_take_turns(engine: Engine) -> None:
    agents(engine, ("ana", "senior", "en", 5), ("ben", "senior", "en", 5))
    first = pick(engine, "senior", "en")
    second = pick(engine, "senior", "en", NOW + timedelta(minutes=1))
    assert {first, second} == {1, 2}


def test_full_agents_are_skipped_and_nobody_free_means_none(engine: Engine) -> None:
    agents(engine, ("ana", "supervisor", "en", 1))
    assert pick(engine, "supervisor", "de") == 1  # nobody speaks German: any free agent
    open_for(engine, 1, 1)
    assert pick(engine, "supervisor", "en") is None
    assert pick(engine, "senior", "en") is None
