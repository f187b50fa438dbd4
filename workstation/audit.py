"""The audit trail: every change of state leaves one event, written in the change's transaction.

Writers call `record` (or `entry` + `record_many` for a batch) on the connection that makes
the change, so the event and the change commit or roll back together. The trail is only ever
appended to, and each event carries the hash of the one before it (`audit_chain`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select

from . import audit_chain, bulk, db
from .clock import iso, utcnow
from .models import ActorKind, AuditEvent

_TABLE = AuditEvent.__table__  # type: ignore[attr-defined]
MERGED = "conversation.merged"
"""A conversation was merged into this one; `details["from"]` names it."""


class SystemActor(str):
    """The name of a part of the program acting on its own (the SLA sweeper, a worker).

    Services take an agent's login as `actor`; passing a `SystemActor` instead says the policy
    decided the change, not a person: the permission matrix (about people) does not apply, and
    the audit event's actor kind is `system`. Agents' logins cannot be mistaken for one: it is
    a type, not a spelling.
    """

    __slots__ = ()


def entry(
    action: str,
    *,
    actor: str = "system",
    actor_kind: ActorKind | str | None = None,
    target_kind: str = "",
    target_id: str | int = "",
    conversation_id: int | None = None,
    at: datetime | None = None,
    details: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """One audit event as a row, ready for `record_many`.

    Args:
        action: dotted verb, e.g. `conversation.escalated`.
        actor: the agent's name, the bot's name, or the system component.
        actor_kind: agent, bot or system; defaults to system for system actors, else agent.
        target_kind: what was changed (`conversation`, `contact`, `message`, ...).
        target_id: its id; defaults to the conversation's.
        conversation_id: the conversation the change belongs to, if any.
        at: when; now by default.
        details: anything worth keeping, JSON-serialisable.
    """
    if actor_kind is None:
        system = isinstance(actor, SystemActor) or actor in {"system", "ingest"}
        actor_kind = ActorKind.SYSTEM if system else ActorKind.AGENT
    if conversation_id is not None and not target_kind:
        target_kind, target_id = "conversation", conversation_id
    return {
        "at": at or utcnow(),
        "actor_kind": str(actor_kind),
        "actor": actor,
        "action": action,
        "target_kind": target_kind,
        "target_id": str(target_id),
        "conversation_id": conversation_id,
        "details": details or {},
    }


_COLUMNS = ("at", "actor_kind", "actor", "action", "target_kind", "target_id",
            "conversation_id", "details", "prev_hash", "hash")


def record_many(conn: Connection, rows: list[dict[str, Any]]) -> None:
    """Append audit events on the connection that makes the change, chained to the trail."""
    if not rows:
        return
    details: list[str] = []
    audit_chain.chain(audit_chain.head(conn, _TABLE), rows, details)
    writer = bulk.Rows(conn, _TABLE, _COLUMNS)
    time = writer.converter("at")
    writer.insert([(time(r["at"]), r["actor_kind"], r["actor"], r["action"], r["target_kind"],
                    r["target_id"], r["conversation_id"], text, r["prev_hash"], r["hash"])
                   for r, text in zip(rows, details, strict=True)])


def record(conn: Connection, action: str, **kwargs: Any) -> None:
    """Append one audit event (see `entry` for the arguments)."""
    record_many(conn, [entry(action, **kwargs)])


@dataclass(frozen=True, slots=True)
class AuditView:
    """An audit event as shown to people and scripts."""

    id: int
    at: datetime
    actor_kind: str
    actor: str
    action: str
    target_kind: str
    target_id: str
    conversation_id: int | None
    details: dict[str, Any]

    def to_json(self) -> dict[str, Any]:
        """JSON shape for `workstation audit --json`."""
        return {
            "id": self.id, "at": iso(self.at), "actor_kind": self.actor_kind, "actor": self.actor,
            "action": self.action, "target": {"kind": self.target_kind, "id": self.target_id},
            "conversation_id": self.conversation_id, "details": self.details,
        }


def list_events(
    engine: Engine,
    *,
    conversation_id: int | None = None,
    actor: str | None = None,
    since: datetime | None = None,
    limit: int | None = None,
    action: str | None = None,
    until: datetime | None = None,
) -> list[AuditView]:
    """Audit events, oldest first, filtered by conversation, actor, action and time.

    Args:
        engine: the store.
        conversation_id: only the events of this conversation (and of the conversations
            merged into it, `merged_into`).
        actor: only the events of this actor (an agent's login, `triage`, `ingest`...).
        since: only events at or after this time.
        limit: only the newest `limit` matching events (still returned oldest first).
        action: only this action (`conversation.resolved`); ending in `*`, every action that
            starts with what comes before it (`conversation.*`).
        until: only events before this time.
    """
    c = _TABLE.c
    query = select(_TABLE)
    if conversation_id is not None:
        with db.read(engine) as conn:
            history = merged_into(conn, conversation_id)
        query = query.where(c.conversation_id.in_(history))
    if actor is not None:
        query = query.where(c.actor == actor)
    if since is not None:
        query = query.where(c.at >= since)
    if until is not None:
        query = query.where(c.at < until)
    if action is not None:
        if action.endswith("*"):
            prefix = action[:-1].replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            query = query.where(c.action.like(prefix + "%", escape="\\"))
        else:
            query = query.where(c.action == action)
    query = query.order_by(c.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with db.read(engine) as conn:
        rows = conn.execute(query).mappings().all()
    return [AuditView(**{k: row[k] for k in AuditView.__slots__}) for row in reversed(rows)]


def merged_into(conn: Connection, conversation_id: int) -> list[int]:
    """The conversation and every conversation merged into it (migration 0013 merged Meta DM
    threads): the trail is never rewritten, so their events still carry their own ids."""
    c = _TABLE.c
    found, todo = [conversation_id], [conversation_id]
    while todo:
        details = conn.execute(select(c.details).where(
            c.conversation_id.in_(todo), c.action == MERGED)).scalars()
        todo = [d["from"] for d in details if isinstance(d, dict)
                and isinstance(d.get("from"), int) and d["from"] not in found]
        found += todo
    return found
