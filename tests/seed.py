"""Rows written straight into a store, for tests that need exact, hand-computed figures.

Ingest would triage, thread and time everything itself; KPI and audit tests want to choose
each timestamp, so they write conversations, their messages, leads and audit events here.
The response times the writers record as they go (`workstation.response_times`) are worked
out from the thread after each message, as the migration does for older stores.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection

from workstation import audit, response_times
from workstation.models import ActorKind, Agent, Conversation, Lead, Message

_SEQ = itertools.count(1)


def at(text: str) -> datetime:
    """An RFC 3339 time (UTC unless it carries an offset) as an aware datetime."""
    value = datetime.fromisoformat(text)
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def conversation(
    conn: Connection,
    *,
    start: datetime,
    platform: str = "instagram",
    reply: datetime | None = None,
    due: datetime | None = None,
    created: datetime | None = None,
    **columns: Any,
) -> int:
    """A conversation whose customer first wrote at `start`, answered at `reply` (if any).

    Args:
        start: the customer's first message.
        reply: our first reply; sets `first_response_at`.
        due: `first_response_due`.
        created: when the conversation reached the store (`start` by default).
        columns: any other column (`sla_policy`, `escalated`, `resolved_at`, `csat`...).
    """
    seq = next(_SEQ)
    row = {
        "platform": platform, "kind": "comment", "thread_key": f"seed-{seq}",
        "first_response_at": reply, "first_response_due": due,
        "created_at": created or start, "updated_at": reply or start,
        "last_message_at": reply or start, **columns,
    }
    table = Conversation.__table__  # type: ignore[attr-defined]
    conv_id = int(conn.execute(table.insert().returning(table.c.id), row).scalar_one())
    message(conn, conv_id, start, platform=platform, text="hello")
    if reply is not None:
        message(conn, conv_id, reply, platform=platform, direction="out", text="hi!")
    return conv_id


def message(
    conn: Connection, conversation_id: int, when: datetime, *, platform: str = "instagram",
    direction: str = "in", text: str = "",
) -> None:
    """One message of a thread."""
    seq = next(_SEQ)
    conn.execute(Message.__table__.insert(), {  # type: ignore[attr-defined]
        "platform": platform, "external_id": f"seed-m{seq}", "conversation_id": conversation_id,
        "direction": direction, "author_kind": "customer" if direction == "in" else "agent",
        "text": text, "created_at": when, "received_at": when, "extra": {},
    })
    response_times.refresh(conn, [conversation_id])


def lead(conn: Connection, conversation_id: int, *, stage: str = "new",
         when: datetime | None = None) -> None:
    """A lead found in a conversation."""
    when = when or datetime(2026, 11, 1, tzinfo=UTC)
    conn.execute(Lead.__table__.insert(), {  # type: ignore[attr-defined]
        "conversation_id": conversation_id, "stage": stage, "answers": {},
        "created_at": when, "updated_at": when,
    })


def agent(conn: Connection, name: str, *, role: str = "agent") -> int:
    """A person of the team."""
    table = Agent.__table__  # type: ignore[attr-defined]
    return int(conn.execute(table.insert().returning(table.c.id), {
        "name": name, "display_name": name.title(), "role": role,
        "created_at": datetime(2026, 1, 1, tzinfo=UTC),
    }).scalar_one())


def event(conn: Connection, action: str, *, when: datetime, actor: str = "system",
          conversation_id: int | None = None, **details: Any) -> None:
    """One audit event; `triage` acts as the bot, as it does at ingest."""
    kind = ActorKind.BOT if actor == "triage" else None
    audit.record(conn, action, actor=actor, actor_kind=kind, conversation_id=conversation_id,
                 at=when, details=details)
