"""Whether the person at the keyboard is an active member of the team: one indexed read.

Every start of the workstation asks it before painting the queue, so it is written on the
Core table clauses (`workstation.core_tables`), not the ORM. Anything other than "yes"
(a new store, an unknown or disabled login) goes through `services.agents.identify`, which
registers the first person or refuses with the reason.
"""

from __future__ import annotations

from sqlalchemy import Engine, select

from workstation import core_tables, db

_A = core_tables.agent.c


def is_active_member(engine: Engine, name: str) -> bool:
    """Whether `name` is an enabled agent of the store with a known role."""
    with db.read(engine) as conn:
        row = conn.execute(select(_A.role, _A.active).where(_A.name == name)).one_or_none()
    return row is not None and bool(row.active) and row.role in core_tables.ROLES
