"""Alerts as read by people: the TUI's list and notifications, the CLI, the reports."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.engine import Engine

from workstation import db
from workstation.clock import iso
from workstation.models import Alert

_A = Alert.__table__  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class AlertView:
    """One alert, detached from the store."""

    id: int
    kind: str
    scope: str
    severity: str
    title: str
    raised_at: datetime
    conversation_ids: tuple[int, ...]
    """The conversations behind it, newest first."""
    details: dict[str, Any]
    webhook_state: str

    def to_json(self) -> dict[str, Any]:
        """JSON-ready values."""
        return {"id": self.id, "kind": self.kind, "scope": self.scope,
                "severity": self.severity, "title": self.title,
                "raised_at": iso(self.raised_at),
                "conversation_ids": list(self.conversation_ids), "details": self.details,
                "webhook_state": self.webhook_state}


def recent(engine: Engine, *, after_id: int = 0, since: datetime | None = None,
           until: datetime | None = None, limit: int = 50) -> list[AlertView]:
    """Alerts newer than `after_id` (and raised in [since, until)), newest first."""
    c = _A.c
    query = select(c.id, c.kind, c.scope, c.severity, c.title, c.raised_at,
                   c.conversation_ids, c.details, c.webhook_state).where(c.id > after_id)
    if since is not None:
        query = query.where(c.raised_at >= since)
    if until is not None:
        query = query.where(c.raised_at < until)
    with db.read(engine) as conn:
        rows = conn.execute(query.order_by(c.id.desc()).limit(limit)).all()
    return [AlertView(r.id, r.kind, r.scope, r.severity, r.title, r.raised_at,
                      tuple(int(i) for i in r.conversation_ids or ()), dict(r.details or {}),
                      r.webhook_state) for r in rows]
