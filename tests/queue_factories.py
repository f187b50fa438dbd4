"""Rows for queue tests: agents, contacts and conversations written straight to the store.

The queue reads what triage wrote; these builders write exactly that, field by field, so a
test states the one thing it is about (an SLA, a tag, a claim) and nothing else varies.
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine, insert

from workstation import db
from workstation.models import Agent, Contact, Conversation, Message

NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)
AGENTS = ("julie", "tom", "claire")
HOSTILE = (
    "[@click=app.quit]x[/]",
    "[link=file:///etc/passwd]prize[/link]",
    "unbalanced [b",
    "\x1b[2J\x1b]0;pwned\x07clear \x1b]52;c;ZXZpbA==\x07clip",
    "\u202eevil\u202c name",
)
"""Texts a platform could send that must show as themselves, inert."""


def agents(engine: Engine) -> dict[str, int]:
    """The three test agents (julie, tom, claire), by login."""
    with db.write(engine) as conn:
        for index, name in enumerate(AGENTS, start=1):
            conn.execute(insert(Agent.__table__), {  # type: ignore[attr-defined]
                "id": index, "name": name, "display_name": name.title(),
                "role": "senior" if name == "claire" else "agent", "languages": "en",
                "capacity": 20, "active": True, "created_at": NOW})
    return {name: i for i, name in enumerate(AGENTS, start=1)}


def conversation(engine: Engine, ident: int, *, author: str = "", vip: bool = False,
                 messages: tuple[str, ...] = (), **fields: Any) -> int:
    """One conversation (with its contact, and its messages if given); fields override."""
    author = author or f"user{ident}"
    with db.write(engine) as conn:
        conn.execute(insert(Contact.__table__), {  # type: ignore[attr-defined]
            "id": ident, "platform": fields.get("platform", "instagram"),
            "external_id": f"u{ident}", "handle": author, "name": author.title(),
            "followers": 10, "verified": False, "vip": vip, "banned": False, "email": "",
            "phone": "", "first_seen": NOW, "last_seen": NOW, "extra": {}})
        row = {
            "id": ident, "platform": "instagram", "kind": "comment", "thread_key": f"t{ident}",
            "contact_id": ident, "status": "open", "intents": " ", "tags": " ",
            "sentiment": 0.0, "priority": 1, "moderation": "allow", "sla_policy": "support",
            "sla_due_at": NOW + timedelta(hours=ident), "last_message_at": NOW,
            "last_text": messages[-1] if messages else f"message {ident}",
            "message_count": len(messages), "exchange_count": 0, "role": "agent",
            "escalated": False, "escalation_reason": "", "created_at": NOW,
            "updated_at": NOW, "version": 1,
        }
        row.update(fields)
        conn.execute(insert(Conversation.__table__), row)  # type: ignore[attr-defined]
        for n, text in enumerate(messages):
            conn.execute(insert(Message.__table__), {  # type: ignore[attr-defined]
                "platform": row["platform"], "external_id": f"m{ident}-{n}",
                "conversation_id": ident, "direction": "in", "author_kind": "customer",
                "contact_id": ident, "text": text, "created_at": NOW - timedelta(minutes=n),
                "received_at": NOW, "extra": {}})
    return ident
