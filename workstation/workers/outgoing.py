"""What the sender hands a connector: which connector serves a platform, and the outbox rows
as `Outgoing` items, with where they go on the platform."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, and_, select

from workstation import db
from workstation.connectors.base import Connector, Outgoing
from workstation.models import (
    AuthorKind, Contact, Conversation, Message, Outbox, OutboxQuickReply,
)

_O = Outbox.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__  # type: ignore[attr-defined]
_P = Contact.__table__  # type: ignore[attr-defined]
_M = Message.__table__  # type: ignore[attr-defined]
_QR = OutboxQuickReply.__table__  # type: ignore[attr-defined]
ALIASES = {"messenger": "facebook", "twitter": "x"}
"""Stream prefixes that name a platform differently from the event contract."""
CHANNELS = frozenset({"public", "dm", "hide", "unhide", "delete", "ban", "unban"})


def by_platform(connectors: Iterable[Connector]) -> dict[str, Connector]:
    """Which connector serves each platform of the event contract.

    A connector may say so with a `platforms` attribute; otherwise its streams do
    ('instagram:comments' and 'messenger:dm' make meta serve instagram and facebook).
    """
    served: dict[str, Connector] = {}
    for connector in connectors:
        names = getattr(connector, "platforms", None) or {
            stream.split(":", 1)[0] for stream in connector.streams()}
        for name in names:
            served.setdefault(ALIASES.get(name, name), connector)
    return served


@dataclass(frozen=True, slots=True)
class Target:
    """An outbox row with what the connector and the DM window check need."""

    item: Outgoing
    conversation_id: int
    last_inbound_at: datetime | None


def targets(engine: Engine, outbox_ids: Sequence[int]) -> dict[int, Target]:
    """The rows `outbox_ids` as `Outgoing` items, by outbox id.

    For a ban, the author is the one who wrote the message the row points at (else the
    conversation's contact).
    """
    if not outbox_ids:
        return {}
    author = _P.alias("author")
    query = (
        select(_O.c.id, _O.c.conversation_id, _O.c.channel, _O.c.reply_to_external_id,
               _O.c.text, _O.c.idempotency_key, _O.c.author_kind, _C.c.platform, _C.c.kind,
               _C.c.thread_key, _C.c.last_inbound_at, _P.c.external_id.label("contact"),
               author.c.external_id.label("author"))
        .select_from(
            _O.join(_C, _C.c.id == _O.c.conversation_id)
            .outerjoin(_P, _P.c.id == _C.c.contact_id)
            .outerjoin(_M, and_(_M.c.platform == _C.c.platform,
                                _M.c.external_id == _O.c.reply_to_external_id))
            .outerjoin(author, author.c.id == _M.c.contact_id))
        .where(_O.c.id.in_(list(outbox_ids)))
    )
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
        buttons = {row.outbox_id: _buttons(row.options) for row in conn.execute(
            select(_QR.c.outbox_id, _QR.c.options).where(
                _QR.c.outbox_id.in_(list(outbox_ids))))}
    return {
        row.id: Target(
            item=Outgoing(
                outbox_id=row.id, channel=row.channel, platform=row.platform, kind=row.kind,
                thread_key=row.thread_key, reply_to=row.reply_to_external_id,
                author_id=row.author or row.contact or "", text=row.text,
                key=row.idempotency_key,
                human_agent=row.author_kind == AuthorKind.AGENT.value,
                quick_replies=buttons.get(row.id, ()) if row.channel == "dm" else ()),
            conversation_id=row.conversation_id, last_inbound_at=row.last_inbound_at)
        for row in rows
    }


def _buttons(options: Any) -> tuple[tuple[str, str], ...]:
    """Stored quick replies as (title, payload); a bare title (rows from before payloads)
    is its own payload."""
    out = []
    for option in options if isinstance(options, list) else []:
        if isinstance(option, str) and option:
            out.append((option, option))
        elif isinstance(option, dict) and isinstance(option.get("title"), str) \
                and option["title"]:
            out.append((option["title"], str(option.get("payload") or option["title"])))
    return tuple(out)
