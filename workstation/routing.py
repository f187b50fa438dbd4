"""Who gets a conversation: an agent of the routed role, who speaks its language, least loaded.

Automatic assignment is for the roles rules.toml names under `[assignment]` (by default the
seniors and supervisors who take escalations); everyone else works the queues. Among the
active agents of the role under their capacity, those who speak the conversation's language
come first; the least loaded wins, and between equals the one who waited longest since their
last assignment (round robin).
"""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import Connection, func, select, update

from workstation.models import Agent, Conversation, Status

_A = Agent.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__  # type: ignore[attr-defined]
_NEVER = datetime(1970, 1, 1, tzinfo=UTC)


def pick_agent(conn: Connection, role: str, lang: str, now: datetime) -> int | None:
    """Choose and mark the agent for a conversation of `role` in `lang`; None if all are full.

    Runs inside the caller's write transaction, so two assignments never read the same loads.
    """
    agents = conn.execute(
        select(_A.c.id, _A.c.languages, _A.c.capacity, _A.c.last_assigned_at)
        .where(_A.c.active, _A.c.role == role)
    ).all()
    if not agents:
        return None
    loads = dict(conn.execute(
        select(_C.c.assignee_id, func.count())
        .where(_C.c.status == Status.OPEN.value, _C.c.assignee_id.in_([a.id for a in agents]))
        .group_by(_C.c.assignee_id)
    ).all())
    free = [a for a in agents if loads.get(a.id, 0) < a.capacity]
    speakers = [a for a in free if lang in {x.strip() for x in a.languages.split(",")}]
    pool = speakers or free
    if not pool:
        return None
    chosen = min(pool, key=lambda a: (loads.get(a.id, 0), a.last_assigned_at or _NEVER, a.id))
    conn.execute(update(_A).where(_A.c.id == chosen.id).values(last_assigned_at=now))
    return int(chosen.id)
