"""The columns the queue reads, described with SQLAlchemy Core alone.

The queue is the first thing the workstation paints, and the store's SQLModel tables cost a
third of a second to import (pydantic, SQLAlchemy's ORM, every model class): more than the
rest of the paint. So the queue's read path (the views, their pages and counts, the change
token, who is at the keyboard) builds its SQL on these lightweight table clauses instead,
and the ORM is imported after the first paint. They name the same tables and columns as
`workstation.models`, with the same types (which is what converts SQLite's text timestamps
to datetimes); a test checks that they agree.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Boolean, Dialect, Float, Integer, String, column, table, types


class UtcDateTime(types.TypeDecorator[datetime]):
    """SQLModel's `UTCDateTime`, which the models' datetime columns have: aware datetimes in,
    UTC out (SQLite stores UTC without an offset). Its module cannot be imported without
    importing all of SQLModel, hence this copy."""

    impl = types.DateTime
    cache_ok = True

    def __init__(self) -> None:
        super().__init__(timezone=True)

    def coerce_compared_value(self, op: Any, value: Any) -> types.TypeEngine[Any]:
        if isinstance(value, timedelta):
            return types.Interval()
        return self

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            raise ValueError("datetimes stored must be timezone-aware")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None,
                             dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.utcoffset() is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)



conversation = table(
    "conversation",
    column("id", Integer), column("platform", String), column("kind", String),
    column("contact_id", Integer), column("status", String), column("intents", String),
    column("tags", String), column("sentiment", Float), column("priority", Integer),
    column("moderation", String), column("sla_due_at", UtcDateTime()),
    column("last_message_at", UtcDateTime()), column("last_text", String), column("role", String),
    column("escalated", Boolean), column("assignee_id", Integer), column("claimed_by", Integer),
    column("claim_expires_at", UtcDateTime()), column("version", Integer),
)
contact = table(
    "contact",
    column("id", Integer), column("handle", String), column("name", String),
    column("vip", Boolean),
)
agent = table(
    "agent",
    column("id", Integer), column("name", String), column("role", String),
    column("active", Boolean),
)
lead = table("lead", column("conversation_id", Integer), column("stage", String))
message = table(
    "message", column("id", Integer), column("conversation_id", Integer), column("text", String),
)
audit_event = table("audit_event", column("id", Integer))

ALL = (conversation, contact, agent, lead, message, audit_event)

CLOSED_LEAD_STAGES = ("customer", "lost")
"""`models.LeadStage` values of a lead that is no longer worked (a test keeps them equal)."""
ROLES = ("agent", "senior", "supervisor", "admin")
"""`models.Role` values, least trusted first (a test keeps them equal)."""
