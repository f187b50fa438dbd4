"""The bot's side effects in the store, inside the caller's transaction.

Bot messages are queued through the replies engine (`queue_reply`), so they pass the same
guardrails as any reply (question budget, DM window, length), appear in the thread marked as
the bot's and leave a `reply.queued` event by the bot. A refused message returns False and
its refusal is audited there; the flow then stops rather than talk past a guardrail.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, select, update

from workstation import audit
from workstation.models import (
    ActorKind, Agent, Conversation, OutboxQuickReply, Priority, Reminder,
)
from workstation.replies import guardrails
from workstation.replies.guardrails import GuardrailConfig
from workstation.replies.templates import Registry
from workstation.routing import pick_agent
from workstation.rules.evaluate import ROLE_RANK
from workstation.services.replies import Draft, ReplyError, draft_reply, queue_reply
from workstation.services.reply_context import NotFound, Sender
from workstation.slugs import merged

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONV = Conversation.__table__  # type: ignore[attr-defined]
_R = Reminder.__table__.c  # type: ignore[attr-defined]
_REMINDER = Reminder.__table__  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]
BOT = {"actor": "bot", "actor_kind": ActorKind.BOT}
_CONFIG: dict[str, Any] = {}


def _guardrails() -> GuardrailConfig:
    """rules.toml's guardrails, read again only when the file changes."""
    from workstation.rules.load import default_path

    path = default_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    if _CONFIG.get("stamp") != (str(path), stamp):
        _CONFIG.clear()
        _CONFIG["stamp"] = (str(path), stamp)
        _CONFIG["config"] = guardrails.load_config_file(path)
    return _CONFIG["config"]  # type: ignore[return-value]


def flow_guardrails(max_questions: int) -> GuardrailConfig:
    """rules.toml's guardrails with the flows' own question budget (flows.toml)."""
    base = _guardrails()
    key = f"flow:{max_questions}"
    if key not in _CONFIG:
        _CONFIG[key] = replace(base, max_questions=max_questions)
    return _CONFIG[key]  # type: ignore[return-value]


def send_text(conn: Connection, conversation_id: int, text: str, *, lang: str,
              template_id: str, key: str, now: datetime,
              options: list[dict[str, str]] | None = None,
              config: GuardrailConfig | None = None) -> bool:
    """Queue a bot message written by a flow; whether a guardrail let it through.

    `options` are its quick-reply buttons ({title, payload}), kept beside the outbox row for
    the connector. `config` is rules.toml's guardrails by default; a flow passes its own
    question budget.
    """
    draft = Draft(conversation_id, text, "dm", lang, Sender("bot", name="bot"),
                  template_id=template_id)
    try:
        queued = queue_reply(conn, draft, idempotency_key=key, config=config or _guardrails(),
                             now=now)
    except (ReplyError, NotFound):
        return False
    if options:
        conn.execute(OutboxQuickReply.__table__.insert(),  # type: ignore[attr-defined]
                     {"outbox_id": queued.id, "options": options})
    return True


def send_template(conn: Connection, conversation_id: int, template_id: str, *, lang: str,
                  key: str, now: datetime, values: Mapping[str, str] | None = None,
                  registry: Registry | None = None) -> bool:
    """Queue a bot message from a template of templates/; whether it went through."""
    try:
        draft = draft_reply(conn, conversation_id, template_id, values=values, channel="dm",
                            lang=lang, bot=True, config=_guardrails(), registry=registry,
                            now=now)
        queue_reply(conn, draft, idempotency_key=key, config=_guardrails(), now=now)
    except (ReplyError, NotFound):
        return False
    return True


def route(conn: Connection, conversation_id: int, *, role: str, reason: str, tag: str,
          now: datetime, priority: Priority, escalate: bool, auto_assign: frozenset[str]
          ) -> None:
    """Send a conversation to a role (sales) or back to the team (a handoff), audited."""
    conv = conn.execute(select(_C.role, _C.priority, _C.tags, _C.assignee_id, _C.lang,
                               _C.escalated).where(_C.id == conversation_id)).one()
    values: dict[str, Any] = {"tags": merged(conv.tags, [tag]),
                              "priority": max(conv.priority, int(priority)),
                              "updated_at": now, "version": _C.version + 1}
    if ROLE_RANK.get(role, 1) > ROLE_RANK.get(conv.role, 1):
        values["role"] = role
    if escalate:
        values.update(escalated=True, escalation_reason=reason[:500])
        assignee_role = conn.execute(select(_A.role).where(_A.id == conv.assignee_id)).scalar()
        if ROLE_RANK.get(assignee_role or "", 0) < ROLE_RANK.get(role, 1):
            picked = pick_agent(conn, role, conv.lang, now) if role in auto_assign else None
            values["assignee_id"] = picked
    conn.execute(update(_CONV).where(_C.id == conversation_id).values(**values))
    if escalate:
        audit.record(conn, "conversation.escalated", **BOT, conversation_id=conversation_id,
                     at=now, details={"role": role, "reason": reason,
                                      "previous_role": conv.role})


def cancel_reminders(conn: Connection, *, now: datetime, reason: str,
                     lead_id: int | None = None, conversation_id: int | None = None,
                     keep: int | None = None) -> int:
    """Cancel the pending lead reminders of a lead or a conversation (but `keep`); how many."""
    where = [_R.kind == "lead", _R.state == "pending"]
    if lead_id is not None:
        where.append(_R.lead_id == lead_id)
    elif conversation_id is not None:
        where.append(_R.conversation_id == conversation_id)
    else:
        return 0
    if keep is not None:
        where.append(_R.id != keep)
    rows = conn.execute(select(_R.id, _R.conversation_id).where(*where)).all()
    if rows:
        conn.execute(update(_REMINDER).where(_R.id.in_([r.id for r in rows]))
                     .values(state="cancelled"))
        audit.record_many(conn, [audit.entry(
            "reminder.cancelled", **BOT, target_kind="reminder", target_id=r.id,
            conversation_id=r.conversation_id, at=now, details={"reason": reason})
            for r in rows])
    return len(rows)


def schedule_reminder(conn: Connection, conversation_id: int, lead_id: int, *,
                      due: datetime, now: datetime, limit: int, keep: int | None = None
                      ) -> bool:
    """One pending lead reminder at `due` (replacing any pending one but `keep`, the one
    being handled) while fewer than `limit` were sent to this lead; whether one was made."""
    from .reminders import sent

    count = sent(conn, lead_id)
    if count >= limit:
        return False
    cancel_reminders(conn, now=now, reason="rescheduled", lead_id=lead_id, keep=keep)
    reminder = conn.execute(_REMINDER.insert().returning(_R.id), {
        "conversation_id": conversation_id, "lead_id": lead_id, "kind": "lead", "due_at": due,
        "state": "pending", "attempts": 0, "created_at": now}).scalar_one()
    audit.record(conn, "reminder.scheduled", **BOT, target_kind="reminder",
                 target_id=reminder, conversation_id=conversation_id, at=now,
                 details={"due": due.isoformat(), "kind": "lead", "lead_id": lead_id,
                          "sent_before": count})
    return True
