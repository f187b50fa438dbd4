"""Conversations written straight into the store, for the conversation service and screen tests.

Deterministic: fixed times, ids in creation order, the demo's agents. No ingest, no triage.
"""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Engine

from workstation import db
from workstation.models import Agent, Contact, Conversation, Message, Post

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
AGENTS = (("julie", "Julie Marchand", "agent"), ("tom", "Tom Becker", "agent"),
          ("claire", "Claire Dubois", "senior"), ("helene", "Hélène Roux", "supervisor"))
HOSTILE = ("[@click=app.quit]x[/] [link=file:///etc]y[/link] [b]bold [unbalanced "
           "\x1b[2J\x1b]52;c;ZXZpbA==\x07 \u202eevil\u202c [/x]")
"""Text that would be live markup or terminal control if it were ever interpreted."""
_COUNTER = itertools.count(1)


def add_agents(engine: Engine) -> None:
    """The team: julie and tom (agents), claire (senior), helene (supervisor)."""
    with db.write(engine) as conn:
        conn.execute(Agent.__table__.insert(), [  # type: ignore[attr-defined]
            {"name": name, "display_name": display, "role": role, "languages": "en,fr",
             "capacity": 20, "active": True, "created_at": NOW}
            for name, display, role in AGENTS
        ])


def add_thread(
    engine: Engine, *, platform: str = "instagram", kind: str = "comment", lang: str = "en",
    intents: tuple[str, ...] = ("shipping",), texts: tuple[str, ...] = ("where is my order?",),
    name: str = "Léa Martin", handle: str = "lea.m", followers: int = 120, vip: bool = False,
    contact_id: int | None = None, caption: str = "", at: datetime | None = None,
    **conv: Any,
) -> int:
    """A conversation with customer messages `texts` (replies to the first), awaiting a reply."""
    n = next(_COUNTER)
    start = at or NOW - timedelta(minutes=30)
    with db.write(engine) as conn:
        if contact_id is None:
            contact_id = conn.execute(Contact.__table__.insert().returning(  # type: ignore[attr-defined]
                Contact.__table__.c.id), {  # type: ignore[attr-defined]
                "platform": platform, "external_id": f"u-{n}", "handle": handle, "name": name,
                "followers": followers, "verified": False, "vip": vip, "banned": False,
                "email": "", "phone": "", "first_seen": start, "last_seen": start, "extra": {},
            }).scalar_one()
        post_id = None
        if caption:
            post_id = conn.execute(Post.__table__.insert().returning(Post.__table__.c.id), {  # type: ignore[attr-defined]
                "platform": platform, "external_id": f"p-{n}", "url": f"https://example.test/p/{n}",
                "caption": caption, "campaign": "moulin-m2-launch", "likes": 0, "shares": 0,
                "impressions": 0, "published_at": start,
            }).scalar_one()
        last = start + timedelta(minutes=len(texts) - 1)
        row = {
            "platform": platform, "kind": kind, "thread_key": f"t-{n}", "contact_id": contact_id,
            "post_id": post_id, "campaign": "", "status": "open", "lang": lang,
            "intents": " " + " ".join(intents) + " ", "tags": " ", "sentiment": 0.0,
            "priority": 1, "moderation": "allow", "sla_policy": "support",
            "first_response_due": start + timedelta(hours=4), "first_response_at": None,
            "awaiting_since": start, "sla_due_at": start + timedelta(hours=4),
            "last_inbound_at": last, "last_outbound_at": None, "last_message_at": last,
            "last_text": texts[-1][:200], "message_count": len(texts), "exchange_count": 0,
            "role": "agent", "escalated": False, "escalation_reason": "", "assignee_id": None,
            "claimed_by": None, "claim_expires_at": None, "snoozed_until": None,
            "resolution_code": "", "resolved_at": None, "csat": None, "created_at": start,
            "updated_at": start, "version": 1,
        }
        row.update(conv)
        conv_id = conn.execute(Conversation.__table__.insert().returning(  # type: ignore[attr-defined]
            Conversation.__table__.c.id), row).scalar_one()  # type: ignore[attr-defined]
        conn.execute(Message.__table__.insert(), [{  # type: ignore[attr-defined]
            "platform": platform, "external_id": f"m-{n}-{i}", "conversation_id": conv_id,
            "parent_external_id": f"m-{n}-0" if i else "", "direction": "in",
            "author_kind": "customer", "contact_id": contact_id, "agent_id": None, "text": text,
            "lang": lang, "sentiment": 0.0, "intents": " ", "moderation": "allow",
            "categories": " ", "hidden": False, "hidden_reason": "", "deleted": False,
            "created_at": start + timedelta(minutes=i), "received_at": start, "extra": {},
        } for i, text in enumerate(texts)])
    return int(conv_id)


def conversation(engine: Engine, conv_id: int) -> Any:
    """The conversation's row, as stored."""
    with db.read(engine) as conn:
        table = Conversation.__table__  # type: ignore[attr-defined]
        return conn.execute(table.select().where(table.c.id == conv_id)).one()


def messages(engine: Engine, conv_id: int) -> list[Any]:
    """The conversation's messages, oldest first."""
    with db.read(engine) as conn:
        table = Message.__table__  # type: ignore[attr-defined]
        return list(conn.execute(table.select().where(table.c.conversation_id == conv_id)
                                 .order_by(table.c.created_at, table.c.id)))
