"""What the CRM push has done and has left, for `workstation crm status` and the UI."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, func, select

from workstation import db
from workstation.clock import iso
from workstation.models import CrmOutbox

_O = CrmOutbox.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class CrmRowView:
    """One delivery of a lead change to one target."""

    id: int
    lead_id: int
    conversation_id: int
    target: str
    state: str
    attempts: int
    next_attempt_at: datetime | None
    delivery_id: str
    remote_id: str
    last_error: str
    updated_at: datetime

    def to_json(self) -> dict[str, Any]:
        """JSON shape for `crm status --json`."""
        return {"id": self.id, "lead": self.lead_id, "conversation": self.conversation_id,
                "target": self.target, "state": self.state, "attempts": self.attempts,
                "next_attempt_at": iso(self.next_attempt_at), "delivery_id": self.delivery_id,
                "crm_id": self.remote_id, "last_error": self.last_error,
                "updated_at": iso(self.updated_at)}


def list_rows(engine: Engine, *, state: str | None = None, lead_id: int | None = None,
              limit: int = 50) -> list[CrmRowView]:
    """Deliveries, newest first, filtered by state and lead."""
    table = CrmOutbox.__table__  # type: ignore[attr-defined]
    query = select(table).order_by(_O.id.desc()).limit(limit)
    if state is not None:
        query = query.where(_O.state == state)
    if lead_id is not None:
        query = query.where(_O.lead_id == lead_id)
    with db.read(engine) as conn:
        rows = conn.execute(query).mappings().all()
    return [CrmRowView(**{k: r[k] for k in CrmRowView.__slots__}) for r in rows]


def counts(engine: Engine) -> dict[tuple[str, str], int]:
    """Deliveries per (target, state)."""
    with db.read(engine) as conn:
        rows = conn.execute(select(_O.target, _O.state, func.count())
                            .group_by(_O.target, _O.state).order_by(_O.target, _O.state))
        return {(target, state): n for target, state, n in rows}
