"""Who gets a conversation: an agent of the routed role, who speaks its language, least loaded.

Automatic assignment is for the roles rules.toml names under `[assignment]` (by default the
seniors and supervisors who take escalations); everyone else works the queues. Among the
active agents of the role under their capacity, those who speak the conversation's language
come first; the least loaded wins, and between equals the one who waited longest since their
last assignment (round robin).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime

from sqlalchemy import Connection, bindparam, func, select, update

from workstation.models import Agent, Conversation, Status

_A = Agent.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__  # type: ignore[attr-defined]
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


@dataclass
class _Seat:
    id: int
    role: str
    languages: frozenset[str]
    capacity: int
    load: int
    last: datetime


class Router:
    """Assignments within one write transaction: agents and loads read once, kept up to date.

    Ingest assigns many escalations per batch; reading the team once per batch keeps that to
    two queries, and `flush` writes who was last assigned when.
    """

    def __init__(self, conn: Connection, now: datetime) -> None:
        self.conn = conn
        self.now = now
        self._seats: list[_Seat] | None = None
        self._picked: set[int] = set()

    def _team(self) -> list[_Seat]:
        if self._seats is None:
            # Each agent's open conversations counted through the (assignee, status) index:
            # grouping the open conversations instead walks all of them (tens of ms a batch
            # on a large store, where this takes well under one).
            load = (select(func.count()).select_from(_C)
                    .where(_C.c.assignee_id == _A.c.id, _C.c.status == Status.OPEN.value)
                    .scalar_subquery())
            self._seats = [
                _Seat(row.id, row.role, frozenset(x.strip() for x in row.languages.split(",")),
                      row.capacity, row.load, row.last_assigned_at or _NEVER)
                for row in self.conn.execute(
                    select(_A.c.id, _A.c.role, _A.c.languages, _A.c.capacity,
                           _A.c.last_assigned_at, load.label("load")).where(_A.c.active))
            ]
        return self._seats

    def pick(self, role: str, lang: str) -> int | None:
        """The agent for a conversation of `role` in `lang`; None when all are full."""
        free = [s for s in self._team() if s.role == role and s.load < s.capacity]
        pool = [s for s in free if lang in s.languages] or free
        if not pool:
            return None
        chosen = min(pool, key=lambda s: (s.load, s.last, s.id))
        chosen.load += 1
        chosen.last = self.now
        self._picked.add(chosen.id)
        return chosen.id

    def flush(self) -> None:
        """Record when the chosen agents were last assigned (the round robin's memory)."""
        if self._picked:
            self.conn.execute(
                update(_A).where(_A.c.id == bindparam("b_id")).values(last_assigned_at=self.now),
                [{"b_id": agent} for agent in sorted(self._picked)],
            )
            self._picked.clear()


def pick_agent(conn: Connection, role: str, lang: str, now: datetime) -> int | None:
    """Choose and mark the agent for one conversation of `role` in `lang` (None if all full).

    Runs inside the caller's write transaction, so two assignments never read the same loads.
    """
    router = Router(conn, now)
    chosen = router.pick(role, lang)
    router.flush()
    return chosen
