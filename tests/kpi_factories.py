"""Rows for the KPI, report and alert tests: posts, campaign results, leads with value.

`tests/seed.py` writes conversations and messages with chosen times; these add what the
business figures need, keeping every number easy to work out by hand.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection

from tests.seed import at
from workstation import response_times
from workstation.models import CampaignResult, Contact, Lead, Message, Post


def post(conn: Connection, *, campaign: str, platform: str = "instagram", likes: int = 0,
         shares: int = 0, impressions: int = 0, caption: str = "a post") -> int:
    """One of our posts with its platform counters."""
    table = Post.__table__  # type: ignore[attr-defined]
    return int(conn.execute(table.insert().returning(table.c.id), {
        "platform": platform, "external_id": f"post-{campaign}-{platform}-{caption[:20]}",
        "url": f"https://{platform}.example/p", "caption": caption, "campaign": campaign,
        "likes": likes, "shares": shares, "impressions": impressions,
    }).scalar_one())


def result(conn: Connection, campaign: str, *, start: date = date(2026, 11, 1),
           end: date = date(2026, 11, 30), **figures: Any) -> None:
    """An imported campaign row."""
    conn.execute(CampaignResult.__table__.insert(), {  # type: ignore[attr-defined]
        "campaign": campaign, "platform": figures.pop("platform", ""),
        "kind": figures.pop("kind", "paid"), "period_start": start, "period_end": end,
        "imported_at": at("2026-11-26T00:00"), **figures,
    })


def lead(conn: Connection, conversation_id: int, *, stage: str = "new", campaign: str = "",
         value: float = 0.0, promo: str = "", when: datetime | None = None,
         platform: str = "") -> None:
    """A lead with the fields the money figures read."""
    when = when or at("2026-11-10T10:00")
    conn.execute(Lead.__table__.insert(), {  # type: ignore[attr-defined]
        "conversation_id": conversation_id, "stage": stage, "campaign": campaign,
        "value": value, "promo_codes": f" {promo} " if promo else " ", "answers": {},
        "source_platform": platform, "created_at": when, "updated_at": when,
    })


def contact(conn: Connection, handle: str, followers: int, platform: str = "instagram") -> int:
    """Someone who writes to us, with an audience."""
    table = Contact.__table__  # type: ignore[attr-defined]
    return int(conn.execute(table.insert().returning(table.c.id), {
        "platform": platform, "external_id": handle, "handle": handle, "followers": followers,
        "first_seen": at("2026-01-01T00:00"), "last_seen": at("2026-01-01T00:00"),
        "extra": {},
    }).scalar_one())


def said(conn: Connection, conversation_id: int, when: datetime, *, text: str = "",
         sentiment: float = 0.0, contact_id: int | None = None,
         platform: str = "instagram") -> None:
    """A customer message with its sentiment and author."""
    from tests.seed import _SEQ

    conn.execute(Message.__table__.insert(), {  # type: ignore[attr-defined]
        "platform": platform, "external_id": f"said-{next(_SEQ)}",
        "conversation_id": conversation_id, "direction": "in", "author_kind": "customer",
        "contact_id": contact_id, "text": text, "sentiment": sentiment, "created_at": when,
        "received_at": when, "extra": {},
    })
    response_times.refresh(conn, [conversation_id])
