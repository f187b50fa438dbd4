"""Runs qualifier flows against the store, inside the ingest transaction or a worker's.

`flow` decides, this module acts: it keeps the `qualifier_state` rows, sends the bot's
messages through `outbound`, moves the lead's stage and answers through the lead service,
routes to sales or to a person, and keeps the reminders in step. Every change is audited
by the bot (`lead.flow_requested`, `lead.flow_started`, `lead.answer`, `lead.unclear`,
`lead.handoff`, `lead.routed`, `lead.flow_ended`...).

A flow starts in two steps. Ingest only `request`s it: a `pending` row for the lead, cheap
enough for any batch. The workers' `flows` job then `start_requested`: it picks the tone,
writes the greeting and the first question through the replies engine (guardrails
included), moves the lead and schedules its reminder.
"""

from __future__ import annotations

import unicodedata
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, or_, select, update

from workstation import audit, bulk, db
from workstation.clock import Clock, utcnow
from workstation.events import Event
from workstation.models import Contact, Conversation, Lead, Post, Priority, QualifierState
from workstation.replies import slots, templates
from workstation.replies.templates import Registry
from workstation.services import leads as lead_service

from . import flow as flow_logic
from . import form_link, messages, outbound
from .config import LANGS, Flow, FlowBook
from .flow import Cues, FlowState, Outcome, Say

_Q = QualifierState.__table__.c  # type: ignore[attr-defined]
_STATE = QualifierState.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_POST = Post.__table__.c  # type: ignore[attr-defined]
_L = Lead.__table__.c  # type: ignore[attr-defined]
_FIELDS = ("conversation_id", "tone", "step", "status", "asked", "retries", "off_script",
           "answers", "end_reason", "updated_at", "ended_at")
PENDING = "pending"
"""A flow ingest asked for, which the workers have not started yet."""
_OPEN = ("active", PENDING)


def tone_of(book: FlowBook, platform: str, caption: str) -> str:
    """formal on formal platforms; playful for a caption with an emoji or "!"; else warm."""
    if platform in book.formal_platforms:
        return "formal"
    if "!" in caption or any(unicodedata.category(c) == "So" for c in caption[:2000]):
        return "playful"
    return "warm"


class FlowRunner:
    """The active flows of one batch, and what to do with each customer message."""

    def __init__(self, conn: Connection, book: FlowBook, now: datetime,
                 auto_assign: frozenset[str]) -> None:
        self.conn = conn
        self.book = book
        self.now = now
        self.auto_assign = auto_assign
        self.active: list[dict[str, Any]] = []
        self.registry: Registry | None = None
        """The templates, read once per batch (handoff messages)."""

    def load(self, conversations: set[int], contacts: set[int]) -> None:
        """Read the open flows (active or pending) of these conversations and of these
        people's DMs (plain statements per few hundred keys: ingest asks for every batch)."""
        names = tuple(_STATE.c.keys())
        found: dict[int, dict[str, Any]] = {}
        for key, values in (("conversation_id", conversations), ("contact_id", contacts)):
            for status in _OPEN:
                for row in bulk.select_in(self.conn, _STATE, names, key, sorted(values),
                                          status=status):
                    state = dict(zip(names, row, strict=True))
                    found[state["id"]] = state
        self.active = [found[key] for key in sorted(found)]

    def find(self, conversation_id: int, contact_id: int | None, event: Event
             ) -> dict[str, Any] | None:
        """The open flow this message is for: the conversation's, else (for a DM) the flow its
        author is in on the same platform (the bot wrote to them privately)."""
        for state in self.active:
            if state["conversation_id"] == conversation_id and state["status"] in _OPEN:
                return state
        if event.kind == "dm" and contact_id is not None:
            for state in self.active:
                if (state["contact_id"] == contact_id and state["platform"] == event.platform
                        and state["status"] in _OPEN):
                    return state
        return None

    def cancel_reminders(self, lead_id: int, conversation_id: int, reason: str) -> int:
        """Stop on a reply: the lead's pending reminders are cancelled."""
        return outbound.cancel_reminders(self.conn, now=self.now, reason=reason,
                                         lead_id=lead_id)

    def stop(self, state: dict[str, Any] | None, reason: str) -> None:
        """End a flow without a word (the customer opted out)."""
        if state is None:
            return
        state.update(status="stopped", end_reason=reason, ended_at=self.now, updated_at=self.now)
        self._save(state)
        self._audit("lead.flow_ended", state, status="stopped", reason=reason,
                    asked=state["asked"])

    def request(self, flow_id: str, conversation_id: int, contact_id: int | None, lang: str,
                event: Event) -> None:
        """Ask for `flow_id` in a conversation, once: never twice in one conversation, never
        while its author is in another flow, never for a lead that opted out. The workers
        start it (`start_requested`)."""
        ran = self.conn.execute(select(_Q.id).where(or_(
            _Q.conversation_id == conversation_id,
            _Q.origin_conversation_id == conversation_id))).first()
        busy = contact_id is not None and any(s["contact_id"] == contact_id
                                              and s["status"] in _OPEN for s in self.active)
        if ran is not None or busy:
            return
        lead_id = lead_service.ensure_lead_conn(self.conn, conversation_id, now=self.now)
        if self.conn.execute(select(_L.opted_out_at).where(_L.id == lead_id)).scalar():
            return
        row: dict[str, Any] = {
            "conversation_id": conversation_id, "origin_conversation_id": conversation_id,
            "lead_id": lead_id, "contact_id": contact_id, "platform": event.platform,
            "flow": flow_id, "lang": lang if lang in LANGS else "en", "tone": "", "step": 0,
            "status": PENDING, "asked": 0, "retries": 0, "off_script": 0, "answers": {},
            "end_reason": "", "started_at": self.now, "updated_at": self.now, "ended_at": None}
        row["id"] = self.conn.execute(_STATE.insert().returning(_Q.id), row).scalar_one()
        self.active.append(row)
        self._audit("lead.flow_requested", row, flow=flow_id, lang=row["lang"],
                    message=event.id)

    def start(self, row: dict[str, Any]) -> None:
        """Start a pending flow: greet in the tone of the post, ask the first question."""
        flow = self.book.flows.get(row["flow"])
        reason = ""
        if flow is None:
            reason = "the flow no longer exists"
        elif self.now - row["started_at"] > self.book.start_within:
            reason = "requested too long ago"  # the workers were not running: too late now
        elif self.conn.execute(select(_L.opted_out_at).where(_L.id == row["lead_id"])).scalar():
            reason = "the customer opted out"
        if flow is None or reason:
            row.update(status="stopped", end_reason=reason, ended_at=self.now,
                       updated_at=self.now)
            self._save(row)
            self._audit("lead.flow_ended", row, status="stopped", reason=reason, asked=0)
            return
        caption = self.conn.execute(
            select(_POST.caption).join(Conversation.__table__, _C.post_id == _POST.id)  # type: ignore[attr-defined]
            .where(_C.id == row["conversation_id"])).scalar() or ""
        tone = tone_of(self.book, row["platform"], caption)
        fs, outcome = flow_logic.start(flow, platform=row["platform"], lang=row["lang"],
                                       tone=tone)
        row.update(tone=tone, lang=fs.lang)
        self._audit("lead.flow_started", row, flow=flow.id, lang=fs.lang, tone=tone)
        self._apply(row, flow, fs, outcome)

    def advance(self, row: dict[str, Any], conversation_id: int, lang: str, event: Event,
                cues: Cues) -> None:
        """Read a customer message as the answer to the flow's waiting question."""
        flow = self.book.flows.get(row["flow"])
        if row["conversation_id"] != conversation_id:
            self._audit("lead.flow_moved", row, to=conversation_id)
            row["conversation_id"] = conversation_id
        if flow is None:  # the flow was removed from flows.toml: a person takes over
            self._hand_over(row, "the flow no longer exists")
            self._save(row)
            return
        fs = FlowState(flow.id, row["lang"], row["tone"], row["platform"], row["step"],
                       row["status"], row["asked"], row["retries"], row["off_script"],
                       dict(row["answers"] or {}))
        question = flow.questions[fs.step].key
        payload = event.extra.get("quick_reply")
        outcome = flow_logic.advance(self.book, flow, fs, event.text, cues,
                                     event.created_at.date(),
                                     payload if isinstance(payload, str) else "")
        if outcome.unclear:
            self._audit("lead.unclear", row, question=question, off_script=fs.off_script,
                        message=event.id)
        self._apply(row, flow, fs, outcome)

    def _apply(self, row: dict[str, Any], flow: Flow, fs: FlowState, outcome: Outcome) -> None:
        row.update(step=fs.step, status=fs.status, asked=fs.asked, retries=fs.retries,
                   off_script=fs.off_script, answers=fs.answers, end_reason=fs.end_reason,
                   updated_at=self.now)
        lead_id = row["lead_id"]
        for say in outcome.say:
            if say.kind == "handoff":
                self._hand_over(row, outcome.handoff_reason)
            elif say.kind == "sales":
                self._to_sales(row, flow, fs, outcome.sales_reason)
            elif self._say(row, flow, fs, say):
                continue
            elif say.first:
                # Too late to write (an old comment taken in from history, a closed DM
                # window): the flow never starts, and nobody is bothered.
                row.update(status="stopped", end_reason="a guardrail refused the first message")
                outcome.stage = None
            else:
                self._hand_over(row, "a guardrail stopped the bot's message")
        if outcome.answered:
            lead_service.record_answers_conn(self.conn, lead_id, outcome.answered, now=self.now)
        if outcome.stage:
            lead_service.change_stage_conn(self.conn, lead_id, outcome.stage, now=self.now,
                                           actor="bot", actor_kind=outbound.BOT["actor_kind"],
                                           reason=outcome.sales_reason or f"flow {flow.id}",
                                           forward_only=True)
        if row["status"] != "active":
            row["ended_at"] = self.now
            self._audit("lead.flow_ended", row, status=row["status"], reason=row["end_reason"],
                        asked=row["asked"])
        self._save(row)
        self._remind(row, lead_id)

    def _say(self, row: dict[str, Any], flow: Flow, fs: FlowState, say: Say) -> bool:
        conv = row["conversation_id"]
        person = self.conn.execute(
            select(_P.name, _P.handle).join(Conversation.__table__, _C.contact_id == _P.id)  # type: ignore[attr-defined]
            .where(_C.id == conv)).first()
        name, handle = (person.name or "", person.handle or "") if person else ("", "")
        values = {"first_name": slots.first_name(name), "name": name,
                  "handle": f"@{handle.lstrip('@')}" if handle else "",
                  "promo_code": flow.offer.promo_code,
                  "link": self._link(row, flow) if say.kind == "closing" else ""}
        text, options, template_id = messages.compose(self.book, flow, fs, say, values,
                                                      seed=row["id"])
        key = f"flow:{row['id']}:{fs.asked}:{say.kind}:{say.step}"
        return outbound.send_text(self.conn, conv, text, lang=fs.lang, template_id=template_id,
                                  key=key, now=self.now, options=options,
                                  config=outbound.flow_guardrails(self.book.max_questions))

    def _link(self, row: dict[str, Any], flow: Flow) -> str:
        if flow.offer.kind in ("call", "guide"):
            return flow.offer.url
        if flow.offer.kind != "form" or not self.book.form_url:
            return ""
        campaign = self.conn.execute(select(_L.campaign).where(_L.id == row["lead_id"])).scalar()
        return form_link.build(self.book.form_url, conversation_id=row["origin_conversation_id"],
                               lead_id=row["lead_id"], campaign=campaign or "",
                               platform=row["platform"], lang=row["lang"])

    def _hand_over(self, row: dict[str, Any], reason: str) -> None:
        row.update(status="handoff", end_reason=reason)
        conv = row["conversation_id"]
        outbound.send_template(self.conn, conv, self.book.handoff_template, lang=row["lang"],
                               key=f"flow:{row['id']}:handoff", now=self.now,
                               registry=self.templates())
        outbound.route(self.conn, conv, role="agent", reason=reason, tag="bot-handoff",
                       now=self.now, priority=Priority.HIGH, escalate=False,
                       auto_assign=self.auto_assign)
        self._audit("lead.handoff", row, reason=reason)

    def _to_sales(self, row: dict[str, Any], flow: Flow, fs: FlowState, reason: str) -> None:
        self._say(row, flow, fs, Say("sales"))
        outbound.route(self.conn, row["conversation_id"], role=self.book.sales_role,
                       reason=f"lead for sales ({reason})", tag="sales", now=self.now,
                       priority=Priority.URGENT, escalate=True, auto_assign=self.auto_assign)
        self._audit("lead.routed", row, role=self.book.sales_role, reason=reason)

    def templates(self) -> Registry:
        """The reply templates, read once for the batch."""
        if self.registry is None:
            self.registry = templates.cached()
        return self.registry

    def _remind(self, row: dict[str, Any], lead_id: int) -> None:
        lead = self.conn.execute(select(_L.stage, _L.opted_out_at).where(_L.id == lead_id)).one()
        if (row["status"] in ("active", "done") and lead.stage in self.book.reminder_stages
                and lead.opted_out_at is None):
            outbound.schedule_reminder(self.conn, row["conversation_id"], lead_id,
                                       due=self.now + self.book.reminder_delay, now=self.now,
                                       limit=self.book.reminder_max)
        else:
            outbound.cancel_reminders(self.conn, now=self.now, lead_id=lead_id,
                                      reason=f"flow {row['status']}")

    def _save(self, row: dict[str, Any]) -> None:
        self.conn.execute(update(_STATE).where(_Q.id == row["id"])
                          .values({k: row[k] for k in _FIELDS}))

    def _audit(self, action: str, row: dict[str, Any], **details: Any) -> None:
        audit.record(self.conn, action, **outbound.BOT, target_kind="lead",
                     target_id=row["lead_id"], conversation_id=row["conversation_id"],
                     at=self.now, details=details)


def start_requested(engine: Engine, *, auto_assign: frozenset[str], clock: Clock = utcnow,
                    limit: int = 100) -> int:
    """Start the flows ingest asked for (oldest first, each in its own transaction); how many.

    The workers' `flows` job; safe to run in two processes at once or twice (a flow no longer
    pending is left alone).
    """
    from .config import current

    with db.read(engine) as conn:
        ids = conn.execute(select(_Q.id).where(_Q.status == PENDING).order_by(_Q.id)
                           .limit(limit)).scalars().all()
    for state_id in ids:
        with db.write(engine) as conn:
            found = conn.execute(select(_STATE).where(_Q.id == state_id, _Q.status == PENDING)
                                 ).mappings().first()
            if found is not None:
                FlowRunner(conn, current(), clock(), auto_assign).start(dict(found))
    return len(ids)
