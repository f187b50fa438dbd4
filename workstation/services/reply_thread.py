"""How a reply shows in its thread before, while and after it is sent.

Decision: a queued reply is written into the thread at once, as a `Message` row (direction
out, author agent or bot) linked to its outbox row, in the same transaction. The thread view,
exports and KPIs then read messages only, and the conversation leaves "awaiting a reply" the
moment an agent answers instead of when a worker gets round to sending. The row carries:

- `external_id = "outbox:<idempotency key>"` until the platform gives the message its id,
  which then replaces it, so the same message synced back from the platform is deduplicated
  by ingest;
- `extra["outbox_id"]`, `extra["delivery"]` (queued, sending, sent, failed, unknown,
  cancelled, kept in step with the outbox), `extra["channel"]`, `extra["template_id"]`;
- `extra["undo"]`: the conversation's fields as they were, so a cancelled or finally failed
  reply puts the customer back in the queue as if it had never been written. A cancelled
  reply's row is kept, marked deleted, so the thread can show it struck through;
- `response_seconds`: how long the customer had waited when it answered them (see
  `workstation.response_times`), taken back with the reply.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from workstation.models import Conversation, Direction, Message
from workstation.slugs import spaced
from workstation.text import first_line

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_MESSAGE = Message.__table__  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_UNDONE = ("awaiting_since", "sla_due_at", "first_response_at", "last_outbound_at",
           "last_message_at", "last_text")


def placeholder_id(idempotency_key: str) -> str:
    """The message's external id until the platform gives it one."""
    return f"outbox:{idempotency_key}"


def post(
    conn: Connection,
    *,
    conversation_id: int,
    platform: str,
    outbox_id: int,
    idempotency_key: str,
    text: str,
    channel: str,
    lang: str,
    template_id: str,
    author_kind: str,
    agent_id: int | None,
    reply_to: str,
    now: datetime,
) -> int:
    """Write a queued reply into its thread and mark the conversation answered.

    A bot's message (an acknowledgement, a qualifier question) is not an answer: the customer
    still waits for a person, so the SLA clock keeps running.

    Returns:
        The message's id.
    """
    undo, waited = _answer(conn, conversation_id, text, now, answers=author_kind != "bot")
    row = {
        "platform": platform, "external_id": placeholder_id(idempotency_key),
        "conversation_id": conversation_id, "parent_external_id": reply_to,
        "direction": Direction.OUT.value, "author_kind": author_kind, "contact_id": None,
        "agent_id": agent_id, "text": text, "lang": lang, "sentiment": 0.0, "intents": spaced([]),
        "moderation": "allow", "categories": spaced([]), "hidden": False, "hidden_reason": "",
        "deleted": False, "created_at": now, "received_at": now,
        "extra": {"outbox_id": outbox_id, "delivery": "queued", "channel": channel,
                  "template_id": template_id, "undo": undo},
        "response_seconds": waited,
    }
    return int(conn.execute(_MESSAGE.insert().returning(_M.id), row).scalar_one())


def _answer(
    conn: Connection, conversation_id: int, text: str, now: datetime, *, new_message: bool = True,
    answers: bool = True,
) -> tuple[dict[str, Any], float | None]:
    """Mark the conversation answered now; return what is needed to take it back, and how
    long the customer had waited (None when this reply answers nobody waiting)."""
    conv = conn.execute(
        select(_C.awaiting_since, _C.sla_due_at, _C.first_response_at, _C.last_outbound_at,
               _C.last_message_at, _C.last_text, _C.first_message_at)
        .where(_C.id == conversation_id)
    ).one()
    waiting = answers and conv.awaiting_since is not None
    answered: dict[str, Any] = {}
    if answers:
        answered = {"awaiting_since": None, "sla_due_at": None,
                    "first_response_at": conv.first_response_at or now}
    conn.execute(
        update(_CONVERSATION).where(_C.id == conversation_id).values(
            **answered,
            first_message_at=min(conv.first_message_at or now, now),
            last_outbound_at=now,
            last_message_at=max(now, conv.last_message_at),
            last_text=first_line(text) if now >= conv.last_message_at else conv.last_text,
            message_count=_C.message_count + (1 if new_message else 0),
            exchange_count=_C.exchange_count + (1 if waiting else 0),
            updated_at=now, version=_C.version + 1,
        )
    )
    undo: dict[str, Any] = {k: _iso(getattr(conv, k)) for k in _UNDONE if k != "last_text"}
    undo["last_text"] = conv.last_text
    undo["counted"] = waiting
    undo["answered_at"] = now.isoformat()
    return undo, (now - conv.awaiting_since).total_seconds() if waiting else None


def _iso(value: Any) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else None


def _when(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def find(conn: Connection, outbox_id: int, keys: tuple[str, ...], conversation_id: int) -> Any:
    """The thread message of an outbox row, found by its external ids (None if gone).

    Looked up on the platform of the reply's conversation, as the message table's unique
    index (platform, external id) is keyed: by external id alone it was a scan of every
    message, a third of a second per reply on a million-message store, inside the sender's
    write transactions (agents' claims waited seconds for the lock).
    """
    platform = select(_C.platform).where(_C.id == conversation_id).scalar_subquery()
    rows = conn.execute(
        select(_M.id, _M.extra, _M.text, _M.created_at, _M.conversation_id, _M.platform,
               _M.deleted, _M.response_seconds).where(_M.platform == platform,
                                                      _M.external_id.in_(keys))
    ).all()
    for row in rows:
        if (row.extra or {}).get("outbox_id") == outbox_id:
            return row
    return None


def set_delivery(conn: Connection, message: Any, delivery: str, **fields: Any) -> None:
    """Record the outbox state on the thread message (and any message column in `fields`)."""
    extra = dict(message.extra or {})
    extra["delivery"] = delivery
    conn.execute(update(_MESSAGE).where(_M.id == message.id).values(extra=extra, **fields))


def withdraw(conn: Connection, message: Any, now: datetime, *, delivery: str) -> None:
    """Take back a reply that will not reach the customer (cancelled, or finally failed).

    The conversation owes a reply again: its waiting time and SLA due time come back, as do
    its last message and first-response time when this reply had set them, unless a newer
    message changed them since.
    """
    undo = (message.extra or {}).get("undo") or {}
    set_delivery(conn, message, delivery, deleted=delivery == "cancelled", response_seconds=None)
    conv = conn.execute(
        select(*(getattr(_C, k) for k in _UNDONE), _C.exchange_count)
        .where(_C.id == message.conversation_id)
    ).one()
    values: dict[str, Any] = {"updated_at": now, "version": _C.version + 1}
    answered_at = _when(undo.get("answered_at"))
    if undo.get("counted"):
        values["awaiting_since"] = _earliest(conv.awaiting_since, _when(undo["awaiting_since"]))
        values["sla_due_at"] = _earliest(conv.sla_due_at, _when(undo["sla_due_at"]))
        values["exchange_count"] = max(conv.exchange_count - 1, 0)
    if undo.get("first_response_at") is None and conv.first_response_at == answered_at:
        values["first_response_at"] = None
    if conv.last_outbound_at == answered_at:
        values["last_outbound_at"] = _when(undo.get("last_outbound_at"))
    if conv.last_message_at == answered_at and conv.last_text == first_line(message.text):
        values["last_message_at"] = _when(undo.get("last_message_at"))
        values["last_text"] = undo.get("last_text", "")
    if delivery == "cancelled":
        values["message_count"] = _C.message_count - 1
    conn.execute(update(_CONVERSATION).where(_C.id == message.conversation_id).values(**values))


def discard(conn: Connection, message: Any) -> None:
    """Cancel a reply already withdrawn (it had failed): mark its row deleted, uncount it."""
    set_delivery(conn, message, "cancelled", deleted=True)
    conn.execute(update(_CONVERSATION).where(_C.id == message.conversation_id).values(
        message_count=_C.message_count - 1))


def repost(conn: Connection, message: Any, now: datetime) -> None:
    """Put a withdrawn reply back in its thread (a failed reply queued again by an agent)."""
    undo, waited = _answer(conn, message.conversation_id, message.text, now, new_message=False)
    extra = dict(message.extra or {})
    extra.update(delivery="queued", undo=undo)
    conn.execute(update(_MESSAGE).where(_M.id == message.id).values(
        extra=extra, deleted=False, created_at=now, response_seconds=waited))


def _earliest(a: datetime | None, b: datetime | None) -> datetime | None:
    if a is None or b is None:
        return a or b
    return min(a, b)
