"""Reading and nudging the store around a CRM push."""

from __future__ import annotations

import json
from typing import Any

from sqlalchemy import Engine, select, update

from workstation import audit, db
from workstation.models import CrmOutbox, Lead


def set_stage(engine: Engine, lead_id: int, stage: str) -> None:
    """What the leads service does to a lead's stage (the CRM push only reads it)."""
    with db.write(engine) as conn:
        conn.execute(update(Lead.__table__).where(Lead.__table__.c.id == lead_id)  # type: ignore[attr-defined]
                     .values(stage=stage))


def lead(engine: Engine, lead_id: int) -> Any:
    with db.read(engine) as conn:
        table = Lead.__table__  # type: ignore[attr-defined]
        return conn.execute(table.select().where(table.c.id == lead_id)).one()


def rows(engine: Engine, target: str | None = None) -> list[Any]:
    """The CRM outbox, oldest first."""
    table = CrmOutbox.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(table.c.id)
    if target:
        query = query.where(table.c.target == target)
    with db.read(engine) as conn:
        return list(conn.execute(query))


def actions(engine: Engine) -> list[str]:
    return [e.action for e in audit.list_events(engine, action="crm.*")]


def dump(engine: Engine) -> str:
    """Every row of the tables the push writes, as text."""
    with db.read(engine) as conn:
        return json.dumps([dict(r) for table in ("crm_outbox", "audit_event", "lead")
                           for r in conn.exec_driver_sql(f"SELECT * FROM {table}").mappings()],
                          default=str)
