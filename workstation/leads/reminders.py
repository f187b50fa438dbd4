"""Lead reminders: re-engage a lead who went quiet, at most N times, never after a reply.

The bot schedules a `reminder` row of kind `lead` after each of its flow messages while the
lead is at a reminded stage (flows.toml `[reminders]`); a reply from the customer cancels it
(`hook`), and so does a stop word, a handoff or the lead moving on. When it falls due, the
workers' reminders job calls `remind_lead` in the reminder's transaction; it checks again
(a reply, an opt-out, the stage, the count) before sending the reminder template as the bot.
Reminders sent are counted by their outbox keys (`lead-reminder:LEAD:REMINDER`), so the limit
holds whatever became of the reminder rows.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from workstation.models import Conversation, Lead, Outbox, QualifierState

from . import config, form_link, outbound

_L = Lead.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_O = Outbox.__table__.c  # type: ignore[attr-defined]
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_Q = QualifierState.__table__.c  # type: ignore[attr-defined]


def key(lead_id: int, reminder_id: int) -> str:
    """The outbox idempotency key of a lead reminder."""
    return f"lead-reminder:{lead_id}:{reminder_id}"


def sent(conn: Connection, lead_id: int) -> int:
    """How many reminders went to a lead (cancelled replies not counted)."""
    query = select(func.count()).select_from(_OUTBOX).where(
        _O.idempotency_key.like(f"lead-reminder:{lead_id}:%"), _O.state != "cancelled")
    return int(conn.execute(query).scalar_one())


def remind_lead(conn: Connection, reminder: Any, now: datetime) -> dict[str, Any]:
    """Handle one due lead reminder (registered with the workers for kind "lead").

    Returns:
        Audit details: whether it was sent, and why not.
    """
    book = config.current()
    lead = conn.execute(select(_L.id, _L.stage, _L.opted_out_at, _L.campaign)
                        .where(_L.id == reminder.lead_id)).one_or_none()
    conv = conn.execute(select(_C.last_inbound_at, _C.lang, _C.platform)
                        .where(_C.id == reminder.conversation_id)).one_or_none()
    reason = ""
    if lead is None or conv is None:
        reason = "the lead is gone"
    elif lead.opted_out_at is not None:
        reason = "the customer opted out"
    elif lead.stage not in book.reminder_stages:
        reason = f"the lead is {lead.stage}"
    elif conv.last_inbound_at is not None and conv.last_inbound_at > reminder.created_at:
        reason = "the customer replied"
    elif sent(conn, lead.id) >= book.reminder_max:
        reason = f"{book.reminder_max} reminders sent already"
    if reason:
        return {"sent": False, "reason": reason}
    flow = conn.execute(select(_Q.flow, _Q.lang, _Q.origin_conversation_id)
                        .where(_Q.lead_id == lead.id).order_by(_Q.id.desc()).limit(1)).first()
    lang = flow.lang if flow is not None else (conv.lang if conv.lang in config.LANGS else "en")
    values = {"promo_code": _promo_code(book, flow)}
    if book.form_url:
        values["link"] = form_link.build(
            book.form_url, lead_id=lead.id, campaign=lead.campaign, platform=conv.platform,
            conversation_id=flow.origin_conversation_id if flow else reminder.conversation_id,
            lang=lang)
    if not outbound.send_template(conn, reminder.conversation_id, book.reminder_template,
                                  lang=lang, key=key(lead.id, reminder.id), now=now,
                                  values=values):
        return {"sent": False, "reason": "a guardrail refused the reminder"}
    count = sent(conn, lead.id)
    if count < book.reminder_max:
        outbound.schedule_reminder(conn, reminder.conversation_id, lead.id,
                                   due=now + book.reminder_delay, now=now,
                                   limit=book.reminder_max, keep=reminder.id)
    return {"sent": True, "lead_id": lead.id, "count": count}


def _promo_code(book: config.FlowBook, flow: Any) -> str:
    found = book.flows.get(flow.flow) if flow is not None else None
    if found is not None and found.offer.promo_code:
        return found.offer.promo_code
    return book.promo_codes[0] if book.promo_codes else ""


def register() -> None:
    """Give the workers' reminders job the handler for kind "lead" (when the workers exist),
    unless one is registered already; the job calls this before each run."""
    try:
        from workstation.workers.reminders import handler_for
        from workstation.workers.reminders import register as register_kind
    except ModuleNotFoundError:
        return
    if handler_for("lead") is None:
        register_kind("lead", remind_lead)
