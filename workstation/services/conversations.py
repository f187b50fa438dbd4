"""The workflow actions on conversations: what an agent's keys do, for one thread or many.

The conversation screen, the queue's bulk keys, the command palette and scripts all call these
functions; each writes its change and its audit event in one transaction and returns how
many conversations changed (rows already in the asked-for state are skipped, not counted).
Claims live in `claims`, moderation (hide, delete, ban) in `moderation`; both are re-exported
here so that one module names every action.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select, update

from workstation import audit, db, permissions
from workstation.clock import Clock, utcnow
from workstation.models import Agent, Conversation, Priority, Role, Status
from workstation.routing import pick_agent
from workstation.slugs import spaced

from .claims import LEASE, Claim, ClaimHeld, agent_id, claim, holder, release, renew
from .moderation import (
    ban,
    chunks,
    delete,
    delete_messages,
    hide,
    hide_messages,
    unban,
    unhide,
    unhide_messages,
)
from .notes import NOTE_CAP, NoteView, add_note
from .reply_context import NotFound

__all__ = [
    "LEASE", "NOTE_CAP", "RESOLUTION_CODES", "ActionError", "AgentView", "Claim", "ClaimHeld",
    "NoteView", "NotFound", "assign", "ban", "claim", "delete", "delete_messages", "escalate",
    "hide", "hide_messages", "holder", "list_agents", "next_open", "normalise_tag", "note",
    "release", "renew", "reopen", "resolve", "snooze", "tag", "unban", "unhide",
    "unhide_messages", "untag", "wake_due",
]

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]

RESOLUTION_CODES: dict[str, str] = {
    "answered": "the question was answered",
    "info-given": "information given, nothing more to do",
    "order-placed": "the customer ordered",
    "refunded": "money given back",
    "replaced": "a product replaced or repaired",
    "escalated": "handed to another team, outside the inbox",
    "removed": "spam or abuse removed",
    "no-action": "nothing to answer",
}
"""Resolution codes and what each means; the suggestions learn from the good ones."""
ROLE_RANK = {"bot": 0, Role.AGENT.value: 1, Role.SENIOR.value: 2, Role.SUPERVISOR.value: 3,
             Role.ADMIN.value: 4}
TAG = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")
"""What a tag looks like once normalised: a slug of at most 32 characters."""
REASON_CAP = 500


class ActionError(ValueError):
    """The action cannot be done as asked (a bad tag, an unknown code, a time in the past)."""


def _agent_event(
    action: str, conv: int, actor: str, now: datetime, **details: Any
) -> dict[str, Any]:
    return audit.entry(action, actor=actor, conversation_id=conv, at=now, details=details)


def _rows(conn: Connection, chunk: list[int], *columns: Any) -> list[Any]:
    return list(conn.execute(select(_C.id, *columns).where(_C.id.in_(chunk))
                             .order_by(_C.id).with_for_update()))


def _bulk(conn: Connection, updates: list[dict[str, Any]], now: datetime) -> None:
    """Apply per-row values (`b_id` plus `b_<column>`) with one executemany."""
    if not updates:
        return
    names = [k[2:] for k in updates[0] if k != "b_id"]
    conn.execute(
        update(_CONVERSATION).where(_C.id == bindparam("b_id")).values(
            {**{n: bindparam(f"b_{n}") for n in names}, "updated_at": now,
             "version": _C.version + 1}),
        updates,
    )


def assign(
    engine: Engine, ids: Iterable[int], agent_name: str | None, *, actor: str,
    clock: Clock = utcnow,
) -> int:
    """Assign conversations to an agent (None or "" unassigns them); how many changed.

    Raises:
        NotFound: no agent has this login.
    """
    permissions.require(engine, actor, "assign", clock=clock)
    now = clock()
    changed = 0
    with db.write(engine) as conn:
        target = agent_id(conn, agent_name) if agent_name else None
        names = dict(conn.execute(select(_A.id, _A.name)).all())
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.assignee_id) if r.assignee_id != target]
            _bulk(conn, [{"b_id": r.id, "b_assignee_id": target} for r in rows], now)
            audit.record_many(conn, [
                _agent_event("conversation.assigned" if target else "conversation.unassigned",
                             r.id, actor, now, agent=agent_name or "",
                             previous=names.get(r.assignee_id, ""))
                for r in rows
            ])
            changed += len(rows)
    return changed


def escalate(
    engine: Engine, ids: Iterable[int], role: str, reason: str, *, actor: str,
    clock: Clock = utcnow, auto_assign: Collection[str] | None = None,
) -> int:
    """Escalate conversations to a role, with the reason; how many changed.

    The priority rises to high at least and a snoozed thread wakes up. When the assignee's
    role is below `role`, the conversation goes to an agent of that role chosen like ingest
    does (for the roles rules.toml assigns automatically), else back to the role's queue.

    Args:
        engine: the store.
        ids: the conversations.
        role: senior, supervisor or admin (or agent, to hand a thread back).
        reason: why, in a sentence; shown to whoever takes it.
        actor: the agent's login.
        clock: the current time.
        auto_assign: roles assigned automatically; rules.toml's `[assignment]` by default.

    Raises:
        ActionError: an unknown role or an empty reason.
    """
    if role not in ROLE_RANK or role == "bot":
        raise ActionError(f"unknown role {role!r}: one of agent, senior, supervisor, admin")
    reason = " ".join(reason.split())[:REASON_CAP]
    if not reason:
        raise ActionError("say why: an escalation needs a reason")
    permissions.require(engine, actor, "escalate", clock=clock)
    if auto_assign is None:
        auto_assign = _auto_assign_roles()
    now = clock()
    changed = 0
    with db.write(engine) as conn:
        roles = dict(conn.execute(select(_A.id, _A.role)).all())
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.status, _C.role, _C.escalated,
                                     _C.escalation_reason, _C.priority, _C.assignee_id, _C.lang)
                    if r.status != Status.RESOLVED.value
                    and (not r.escalated or r.role != role or r.escalation_reason != reason)]
            updates, events = [], []
            for r in rows:
                assignee = r.assignee_id
                if ROLE_RANK.get(roles.get(assignee, ""), 0) < ROLE_RANK[role]:
                    assignee = None
                if assignee is None and role in auto_assign:
                    assignee = pick_agent(conn, role, r.lang, now)
                updates.append({
                    "b_id": r.id, "b_role": role, "b_escalated": True,
                    "b_escalation_reason": reason,
                    "b_priority": max(r.priority, int(Priority.HIGH)),
                    "b_assignee_id": assignee, "b_status": Status.OPEN.value,
                    "b_snoozed_until": None,
                })
                events.append(_agent_event("conversation.escalated", r.id, actor, now,
                                           role=role, reason=reason, previous_role=r.role))
            _bulk(conn, updates, now)
            audit.record_many(conn, events)
            changed += len(rows)
    return changed


_AUTO_ASSIGN: dict[str, Any] = {}


def _auto_assign_roles() -> frozenset[str]:
    """The roles rules.toml assigns automatically (none if the file cannot be read)."""
    from workstation.rules import LiveRules, RulesError

    try:
        live = _AUTO_ASSIGN.get("live")
        if live is None:
            live = _AUTO_ASSIGN["live"] = LiveRules()
        return frozenset(live.current().auto_assign)
    except RulesError:
        return frozenset()


def normalise_tag(tag: str) -> str:
    """A tag as stored: lower case, spaces as dashes, a leading '#' dropped.

    Raises:
        ActionError: what is left is not a slug of letters, digits, '-' and '_'.
    """
    slug = "-".join(tag.strip().lstrip("#").lower().split())
    if not TAG.fullmatch(slug):
        raise ActionError("a tag is 1 to 32 lower-case letters, digits, '-' or '_'")
    return slug


def tag(engine: Engine, ids: Iterable[int], tag: str, *, actor: str, clock: Clock = utcnow) -> int:
    """Add a tag to conversations; how many changed.

    Raises:
        ActionError: the tag is not a valid slug.
    """
    slug = normalise_tag(tag)
    permissions.require(engine, actor, "tag", clock=clock)
    return _retag(engine, ids, slug, add=True, actor=actor, now=clock())


def untag(
    engine: Engine, ids: Iterable[int], tag: str, *, actor: str, clock: Clock = utcnow,
) -> int:
    """Remove a tag from conversations; how many changed.

    Raises:
        ActionError: the tag is not a valid slug.
    """
    slug = normalise_tag(tag)
    permissions.require(engine, actor, "tag", clock=clock)
    return _retag(engine, ids, slug, add=False, actor=actor, now=clock())


def _retag(engine: Engine, ids: Iterable[int], slug: str, *, add: bool, actor: str,
           now: datetime) -> int:
    changed = 0
    with db.write(engine) as conn:
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.tags) if (slug in r.tags.split()) != add]
            _bulk(conn, [{"b_id": r.id, "b_tags": spaced(
                [*r.tags.split(), slug] if add else [t for t in r.tags.split() if t != slug]
            )} for r in rows], now)
            audit.record_many(conn, [
                _agent_event("conversation.tagged" if add else "conversation.untagged", r.id,
                             actor, now, tag=slug)
                for r in rows
            ])
            changed += len(rows)
    return changed


def snooze(
    engine: Engine, ids: Iterable[int], until: datetime | None, *, actor: str,
    clock: Clock = utcnow,
) -> int:
    """Put open conversations aside until a time, or (None) until the customer writes again.

    Ingest reopens a snoozed thread when the customer writes; `wake_due` reopens those whose
    time has come. Resolved conversations are skipped.

    Raises:
        ActionError: `until` is not in the future.
    """
    now = clock()
    if until is not None and until <= now:
        raise ActionError("snooze until a time in the future")
    permissions.require(engine, actor, "snooze", clock=clock)
    changed = 0
    with db.write(engine) as conn:
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.status, _C.snoozed_until)
                    if r.status == Status.OPEN.value
                    or (r.status == Status.SNOOZED.value and r.snoozed_until != until)]
            _bulk(conn, [{"b_id": r.id, "b_status": Status.SNOOZED.value,
                          "b_snoozed_until": until} for r in rows], now)
            audit.record_many(conn, [
                _agent_event("conversation.snoozed", r.id, actor, now,
                             until=until.isoformat() if until else "customer reply")
                for r in rows
            ])
            changed += len(rows)
    return changed


def wake_due(engine: Engine, *, clock: Clock = utcnow) -> int:
    """Reopen the snoozed conversations whose time has come; how many woke (for a worker)."""
    now = clock()
    with db.write(engine) as conn:
        woken = list(conn.execute(
            update(_CONVERSATION)
            .where(_C.status == Status.SNOOZED.value, _C.snoozed_until.is_not(None),
                   _C.snoozed_until <= now)
            .values(status=Status.OPEN.value, snoozed_until=None, updated_at=now,
                    version=_C.version + 1)
            .returning(_C.id)
        ).scalars())
        audit.record_many(conn, [
            audit.entry("conversation.woken", actor="system", conversation_id=conv, at=now)
            for conv in woken
        ])
    return len(woken)


def reopen(engine: Engine, ids: Iterable[int], *, actor: str, clock: Clock = utcnow) -> int:
    """Put snoozed or resolved conversations back in the open queues; how many changed."""
    permissions.require(engine, actor, "reopen", clock=clock)
    now = clock()
    changed = 0
    with db.write(engine) as conn:
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.status) if r.status != Status.OPEN.value]
            _bulk(conn, [{"b_id": r.id, "b_status": Status.OPEN.value, "b_snoozed_until": None,
                          "b_resolved_at": None, "b_resolution_code": ""} for r in rows], now)
            audit.record_many(conn, [
                _agent_event("conversation.reopened", r.id, actor, now, was=r.status)
                for r in rows
            ])
            changed += len(rows)
    return changed


def resolve(
    engine: Engine, ids: Iterable[int], code: str, *, actor: str, clock: Clock = utcnow,
) -> int:
    """Resolve open or snoozed conversations with a resolution code; how many changed.

    A resolved conversation owes no reply (its SLA clock stops) and its claim is released.

    Raises:
        ActionError: `code` is not one of `RESOLUTION_CODES`.
    """
    if code not in RESOLUTION_CODES:
        raise ActionError(f"unknown resolution code {code!r}: one of "
                          + ", ".join(RESOLUTION_CODES))
    permissions.require(engine, actor, "resolve", clock=clock)
    now = clock()
    changed = 0
    with db.write(engine) as conn:
        for chunk in chunks(ids):
            rows = [r for r in _rows(conn, chunk, _C.status, _C.sla_due_at)
                    if r.status != Status.RESOLVED.value]
            _bulk(conn, [{
                "b_id": r.id, "b_status": Status.RESOLVED.value, "b_resolution_code": code,
                "b_resolved_at": now, "b_snoozed_until": None, "b_awaiting_since": None,
                "b_sla_due_at": None, "b_claimed_by": None, "b_claim_expires_at": None,
            } for r in rows], now)
            audit.record_many(conn, [
                _agent_event("conversation.resolved", r.id, actor, now, code=code,
                             breached=bool(r.sla_due_at is not None and r.sla_due_at < now))
                for r in rows
            ])
            changed += len(rows)
    return changed


def note(
    engine: Engine, conversation_id: int, text: str, *, actor: str, clock: Clock = utcnow,
) -> NoteView:
    """Add an internal note (never sent to the customer) to a conversation.

    Raises:
        ActionError: the note is empty or longer than `NOTE_CAP`.
        NotFound: no such conversation.
    """
    text = text.strip()
    if not text:
        raise ActionError("the note is empty")
    if len(text) > NOTE_CAP:
        raise ActionError(f"a note is at most {NOTE_CAP} characters; this one is {len(text)}")
    permissions.require(engine, actor, "note", clock=clock, conversation_id=conversation_id)
    now = clock()
    with db.write(engine) as conn:
        if conn.execute(select(_C.id).where(_C.id == conversation_id)).first() is None:
            raise NotFound(f"no conversation #{conversation_id}")
        view = add_note(conn, conversation_id, text, author=actor, now=now)
        conn.execute(update(_CONVERSATION).where(_C.id == conversation_id)
                     .values(updated_at=now, version=_C.version + 1))
        audit.record(conn, "note.added", actor=actor, conversation_id=conversation_id, at=now,
                     details={"note_id": view.id, "chars": len(text)})
    return view


@dataclass(frozen=True, slots=True)
class AgentView:
    """A member of the team, as the assign dialog lists them."""

    name: str
    display_name: str
    role: str
    open_assigned: int
    """Open conversations assigned to them now."""


def list_agents(engine: Engine) -> tuple[AgentView, ...]:
    """The active agents, by login, with their current load."""
    with db.read(engine) as conn:
        loads = dict(conn.execute(
            select(_C.assignee_id, func.count())
            .where(_C.status == Status.OPEN.value, _C.assignee_id.is_not(None))
            .group_by(_C.assignee_id)).all())
        rows = conn.execute(select(_A.id, _A.name, _A.display_name, _A.role)
                            .where(_A.active).order_by(_A.name)).all()
    return tuple(AgentView(r.name, r.display_name, r.role, int(loads.get(r.id, 0)))
                 for r in rows)


def next_open(engine: Engine, candidates: list[int], after: int) -> int | None:
    """The first conversation after `after` in `candidates` that is still open, if any.

    The conversation screen's "resolve and next" and `]` use it with the queue's order.
    """
    if after in candidates:
        rest = candidates[candidates.index(after) + 1 :]
    else:
        rest = list(candidates)
    for chunk in chunks(rest):
        with db.read(engine) as conn:
            open_ids = set(conn.execute(select(_C.id).where(
                _C.id.in_(chunk), _C.status == Status.OPEN.value)).scalars())
        for conv in chunk:
            if conv in open_ids:
                return conv
    return None
