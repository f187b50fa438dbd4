"""Threads to reply to, written straight into the store (no ingest needed)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine

from workstation import db
from workstation.clock import FrozenClock, utcnow
from workstation.models import Agent, Contact, Conversation, Message
from workstation.replies import templates
from workstation.replies.templates import Registry

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


@pytest.fixture(scope="session")
def registry() -> Registry:
    """The shipped templates, loaded once."""
    return templates.load()


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


ThreadFactory = Callable[..., int]


@pytest.fixture
def make_thread(engine: Engine) -> ThreadFactory:
    """Create a conversation with one customer message; return its id."""
    counter = iter(range(1, 10_000))

    def make(
        *, platform: str = "instagram", kind: str = "comment", lang: str = "en",
        intents: tuple[str, ...] = (), text: str = "where is my order?",
        name: str = "Léa Martin", handle: str = "lea.m", email: str = "", phone: str = "",
        inbound_at: datetime | None = None, contact_id: int | None = None,
        awaiting: bool = True, **conv: Any,
    ) -> int:
        n = next(counter)
        at = inbound_at or NOW - timedelta(minutes=30)
        with db.write(engine) as conn:
            if contact_id is None:
                contact_id = conn.execute(Contact.__table__.insert().returning(  # type: ignore[attr-defined]
                    Contact.__table__.c.id), {  # type: ignore[attr-defined]
                    "platform": platform, "external_id": f"u-{n}-{platform}", "handle": handle,
                    "name": name, "followers": 10, "verified": False, "vip": False,
                    "banned": False, "email": email, "phone": phone, "first_seen": at,
                    "last_seen": at, "extra": {},
                }).scalar_one()
            row = {
                "platform": platform, "kind": kind, "thread_key": f"t-{n}-{contact_id}",
                "contact_id": contact_id, "post_id": None, "campaign": "", "status": "open",
                "lang": lang, "intents": " " + " ".join(intents) + " ", "tags": " ",
                "sentiment": 0.0, "priority": 1, "moderation": "allow", "sla_policy": "support",
                "first_response_due": at + timedelta(hours=4), "first_response_at": None,
                "awaiting_since": at if awaiting else None,
                "sla_due_at": at + timedelta(hours=4) if awaiting else None,
                "last_inbound_at": at, "last_outbound_at": None, "last_message_at": at,
                "last_text": text, "message_count": 1, "exchange_count": 0, "role": "agent",
                "escalated": False, "escalation_reason": "", "assignee_id": None,
                "claimed_by": None, "claim_expires_at": None, "snoozed_until": None,
                "resolution_code": "", "resolved_at": None, "csat": None, "created_at": at,
                "updated_at": at, "version": 1,
            }
            row.update(conv)
            conv_id = conn.execute(Conversation.__table__.insert().returning(  # type: ignore[attr-defined]
                Conversation.__table__.c.id), row).scalar_one()  # type: ignore[attr-defined]
            add_message(conn, conv_id, platform, text, at, ident=f"m-{n}-{conv_id}",
                        contact_id=contact_id)
        return int(conv_id)

    return make


def add_message(conn: Any, conv_id: int, platform: str, text: str, at: datetime, *,
                ident: str, direction: str = "in", author_kind: str = "customer",
                contact_id: int | None = None, agent_id: int | None = None,
                extra: dict[str, Any] | None = None) -> None:
    """Insert one message row."""
    conn.execute(Message.__table__.insert(), {  # type: ignore[attr-defined]
        "platform": platform, "external_id": ident, "conversation_id": conv_id,
        "parent_external_id": "", "direction": direction, "author_kind": author_kind,
        "contact_id": contact_id, "agent_id": agent_id, "text": text, "lang": "en",
        "sentiment": 0.0, "intents": " ", "moderation": "allow", "categories": " ",
        "hidden": False, "hidden_reason": "", "deleted": False, "created_at": at,
        "received_at": at, "extra": extra or {},
    })


@pytest.fixture
def agent(engine: Engine) -> str:
    """An agent named camille (display name Camille Durand); returns the login."""
    with db.write(engine) as conn:
        conn.execute(Agent.__table__.insert(), {  # type: ignore[attr-defined]
            "name": "camille", "display_name": "Camille Durand", "role": "agent",
            "languages": "en,fr", "capacity": 20, "active": True, "created_at": NOW,
        })
    return "camille"


@pytest.fixture
def recent(make_thread: ThreadFactory) -> ThreadFactory:
    """`make_thread` with the customer's message half an hour before the real now: for the
    command line, which judges a reply by today's clock (the platforms' reply windows close a
    day or a week after the customer wrote), where the tests' NOW would soon be too old."""

    def make(**fields: Any) -> int:
        fields.setdefault("inbound_at", utcnow() - timedelta(minutes=30))
        return make_thread(**fields)

    return make
