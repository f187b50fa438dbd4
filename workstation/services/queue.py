"""Reading the inbox: the open conversations in SLA order, as read models for any front end."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func, select

from .. import db
from ..models import Agent, Contact, Conversation, Priority, Status

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class QueueRow:
    """One conversation as a queue shows it."""

    id: int
    platform: str
    kind: str
    author: str
    vip: bool
    intents: tuple[str, ...]
    sentiment: float
    priority: Priority
    sla_due_at: datetime | None
    last_text: str
    assignee: str
    status: str
    escalated: bool
    role: str


def open_queue(engine: Engine, *, limit: int = 100) -> list[QueueRow]:
    """Open conversations, the reply due soonest first, then the highest priority."""
    query = (
        select(
            _C.id, _C.platform, _C.kind, _P.handle, _P.name, _P.vip, _C.intents, _C.sentiment,
            _C.priority, _C.sla_due_at, _C.last_text, _A.name.label("assignee"), _C.status,
            _C.escalated, _C.role,
        )
        .select_from(Conversation.__table__)  # type: ignore[attr-defined]
        .outerjoin(Contact.__table__, _P.id == _C.contact_id)  # type: ignore[attr-defined]
        .outerjoin(Agent.__table__, _A.id == _C.assignee_id)  # type: ignore[attr-defined]
        .where(_C.status == Status.OPEN.value)
        .order_by(_C.sla_due_at.is_(None), _C.sla_due_at, _C.priority.desc(), _C.id)
        .limit(limit)
    )
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
    return [
        QueueRow(
            id=r.id, platform=r.platform, kind=r.kind, author=r.handle or r.name or "",
            vip=bool(r.vip), intents=tuple(r.intents.split()), sentiment=r.sentiment,
            priority=Priority(r.priority), sla_due_at=r.sla_due_at, last_text=r.last_text,
            assignee=r.assignee or "", status=r.status, escalated=r.escalated, role=r.role,
        )
        for r in rows
    ]


def counts(engine: Engine) -> dict[str, int]:
    """How many conversations are in each status."""
    query = select(_C.status, func.count()).group_by(_C.status)
    with db.read(engine) as conn:
        return {status: n for status, n in conn.execute(query)}
