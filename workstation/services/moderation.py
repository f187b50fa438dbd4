"""Moderation by agents: hide, unhide and delete customers' public messages; ban their authors.

The platform does the real work, so each change is queued in the outbox for the connectors
(channel `hide`, `unhide`, `delete`, `ban` or `unban`, the message's platform id in
`reply_to_external_id`, as the automation queues its own), and the store is marked at once
so the team sees the result straight away. Only customers' messages in public threads
(comments, mentions) can be hidden or deleted: platforms have no such thing for a DM. On X
a customer's post can be hidden only when it replies in a conversation the brand started,
and deleted never (`platform_rules.x_refusal`): such a change is made in the inbox only,
nothing is queued, and its audit event says why (`on_platform: false`, `platform_refusal`).
Every function takes many ids, for the queue's bulk actions, and returns how many things
changed.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Iterator
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db, permissions, platform_rules
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, Contact, Conversation, Direction, Kind, Message, Outbox

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_MESSAGE = Message.__table__  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_CONTACT = Contact.__table__  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_PUBLIC = (Kind.COMMENT.value, Kind.MENTION.value)
CHUNK = 500
"""Ids per statement: well under both engines' limits on bound parameters."""
HIDDEN_BY_AGENT = "hidden by an agent"


def chunks(ids: Iterable[int]) -> Iterator[list[int]]:
    """Distinct ids in their order, `CHUNK` at a time."""
    unique = list(dict.fromkeys(int(i) for i in ids))
    for start in range(0, len(unique), CHUNK):
        yield unique[start : start + CHUNK]


def _queue(conn: Connection, do: str, rows: list[Any], now: datetime) -> None:
    """Queue the platform side of a moderation change, one outbox row per message."""
    if rows:
        conn.execute(_OUTBOX.insert(), [{
            "conversation_id": r.conversation_id, "reply_to_external_id": r.external_id,
            "channel": do, "text": "", "author_kind": "agent", "agent_id": None,
            "idempotency_key": f"{do}:{uuid.uuid4().hex}:{r.platform}:{r.external_id}"[:128],
            "state": "queued", "attempts": 0, "last_error": "", "next_attempt_at": None,
            "external_id": "", "template_id": "", "created_at": now, "sent_at": None,
        } for r in rows])


def _touch(conn: Connection, conversation_ids: set[int], now: datetime) -> None:
    if conversation_ids:
        conn.execute(update(_CONVERSATION).where(_C.id.in_(conversation_ids))
                     .values(updated_at=now, version=_C.version + 1))


def _public_messages(conn: Connection, where: Any) -> list[Any]:
    return list(conn.execute(
        select(_M.id, _M.conversation_id, _M.platform, _M.external_id, _M.hidden, _M.deleted,
               _M.parent_external_id, _M.extra)
        .select_from(_MESSAGE.join(_CONVERSATION, _C.id == _M.conversation_id))
        .where(where, _M.direction == Direction.IN.value, _C.kind.in_(_PUBLIC))
        .order_by(_M.id)
    ))


def _change(
    engine: Engine, ids: Iterable[int], by: Any, do: str, *, actor: str, now: datetime,
    reason: str = "",
) -> int:
    """Hide, unhide or delete the public customer messages whose column `by` is in `ids`.

    Returns:
        How many conversations had messages changed.
    """
    permissions.require(engine, actor, do, clock=lambda: now)
    with db.write(engine) as conn:
        rows = [r for chunk in chunks(ids) for r in _public_messages(conn, by.in_(chunk))]
        if do == "hide":
            rows = [r for r in rows if not r.hidden and not r.deleted]
            values: dict[str, Any] = {"hidden": True, "hidden_reason": reason or HIDDEN_BY_AGENT}
        elif do == "unhide":
            rows = [r for r in rows if r.hidden and not r.deleted]
            values = {"hidden": False, "hidden_reason": ""}
        else:
            rows = [r for r in rows if not r.deleted]
            values = {"deleted": True}
        for chunk in chunks(r.id for r in rows):
            conn.execute(update(_MESSAGE).where(_M.id.in_(chunk)).values(**values))
        refused = _x_refusals(conn, do, rows)
        _queue(conn, do, [r for r in rows if r.id not in refused], now)
        action = {"hide": "message.hidden", "unhide": "message.unhidden",
                  "delete": "message.deleted"}[do]
        audit.record_many(conn, [
            audit.entry(action, actor=actor, actor_kind=ActorKind.AGENT, target_kind="message",
                        target_id=r.id, conversation_id=r.conversation_id, at=now,
                        details=_details(r.external_id, reason, refused.get(r.id, "")))
            for r in rows
        ])
        touched = {int(r.conversation_id) for r in rows}
        for chunk in chunks(touched):
            _touch(conn, set(chunk), now)
    return len(touched)


def _x_refusals(conn: Connection, do: str, rows: list[Any]) -> dict[int, str]:
    """Message id → why X would refuse `do` on it, for the X rows it would refuse."""
    posts = [(r.id, r.parent_external_id or "", str((r.extra or {}).get("conversation_id") or ""))
             for r in rows if r.platform == "x"]
    if not posts:
        return {}
    ours = platform_rules.brand_posts(
        conn, [platform_rules.x_start(parent, root) for _, parent, root in posts])
    found = {ident: platform_rules.x_refusal(do, parent=parent, root=root, ours=ours)
             for ident, parent, root in posts}
    return {ident: why for ident, why in found.items() if why}


def _details(external_id: str, reason: str, refusal: str) -> dict[str, Any]:
    details: dict[str, Any] = {"message": external_id}
    if reason:
        details["reason"] = reason
    if refusal:
        details.update(on_platform=False, platform_refusal=refusal)
    return details


def hide(
    engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow,
    reason: str = HIDDEN_BY_AGENT,
) -> int:
    """Hide every visible customer message of public conversations; how many changed."""
    return _change(engine, ids, _M.conversation_id, "hide", actor=actor, now=clock(), reason=reason)


def unhide(engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow) -> int:
    """Show again the hidden customer messages of conversations; how many changed."""
    return _change(engine, ids, _M.conversation_id, "unhide", actor=actor, now=clock())


def delete(engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow) -> int:
    """Delete every customer message of public conversations; how many conversations changed."""
    return _change(engine, ids, _M.conversation_id, "delete", actor=actor, now=clock())


def hide_messages(
    engine: Engine, message_ids: Iterable[int], *, actor: str, clock: Clock = utcnow,
    reason: str = HIDDEN_BY_AGENT,
) -> int:
    """Hide single customer messages (the thread's selection); how many conversations changed."""
    return _change(engine, message_ids, _M.id, "hide", actor=actor, now=clock(), reason=reason)


def unhide_messages(
    engine: Engine, message_ids: Iterable[int], *, actor: str, clock: Clock = utcnow,
) -> int:
    """Show single hidden messages again; how many conversations changed."""
    return _change(engine, message_ids, _M.id, "unhide", actor=actor, now=clock())


def delete_messages(
    engine: Engine, message_ids: Iterable[int], *, actor: str, clock: Clock = utcnow,
) -> int:
    """Delete single customer messages; how many conversations changed."""
    return _change(engine, message_ids, _M.id, "delete", actor=actor, now=clock())


def _set_banned(
    engine: Engine, ids: Iterable[int], banned: bool, *, actor: str, now: datetime,
    reason: str,
) -> int:
    do = "ban" if banned else "unban"
    permissions.require(engine, actor, do, clock=lambda: now)
    changed = 0
    with db.write(engine) as conn:
        for chunk in chunks(ids):
            convs = conn.execute(
                select(_C.id, _C.contact_id, _C.platform)
                .select_from(_CONVERSATION.join(_CONTACT, _P.id == _C.contact_id))
                .where(_C.id.in_(chunk), _P.banned.is_(not banned))
                .order_by(_C.id)
            ).all()
            first: dict[int, Any] = {}
            for conv in convs:
                first.setdefault(conv.contact_id, conv)
            if not first:
                continue
            conn.execute(update(_CONTACT).where(_P.id.in_(list(first))).values(banned=banned))
            latest = []
            for conv in first.values():
                message = conn.execute(
                    select(_M.conversation_id, _M.platform, _M.external_id)
                    .where(_M.conversation_id == conv.id, _M.direction == Direction.IN.value)
                    .order_by(_M.created_at.desc(), _M.id.desc()).limit(1)
                ).one_or_none()
                if message is not None:
                    latest.append(message)
            _queue(conn, do, latest, now)
            audit.record_many(conn, [
                audit.entry(f"contact.{do}ned", actor=actor, actor_kind=ActorKind.AGENT,
                            target_kind="contact", target_id=contact, conversation_id=conv.id,
                            at=now, details={"reason": reason} if reason else {})
                for contact, conv in first.items()
            ])
            _touch(conn, {int(c.id) for c in convs}, now)
            changed += len(first)
    return changed


def ban(
    engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow, reason: str = "",
) -> int:
    """Ban the authors of conversations from the brand's accounts; how many contacts changed."""
    return _set_banned(engine, ids, True, actor=actor, now=clock(), reason=reason)


def unban(engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow) -> int:
    """Lift the ban on the authors of conversations; how many contacts changed."""
    return _set_banned(engine, ids, False, actor=actor, now=clock(), reason="")


__all__ = [
    "ban", "chunks", "delete", "delete_messages", "hide", "hide_messages", "unban", "unhide",
    "unhide_messages",
]
