"""Leads as people and the bot change them: stage, owner, value, answers, attribution.

Every change here writes its audit event (`lead.*`) in the same transaction, moves
`Lead.updated_at`, and a change of stage to qualified or later sets `crm_state` to pending:
that is how the CRM push finds what to send. The `*_conn` functions run inside a
transaction the caller holds (the bot's, during ingest); the others open their own.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db, permissions
from workstation.clock import Clock, iso, utcnow
from workstation.models import ActorKind, Agent, Conversation, Lead, LeadStage
from workstation.slugs import merged

_L = Lead.__table__.c  # type: ignore[attr-defined]
_LEAD = Lead.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]

STAGES = tuple(s.value for s in LeadStage)
RANK = {"new": 0, "qualifying": 1, "qualified": 2, "hot": 3, "customer": 4, "lost": 5}
PUSHED = frozenset({"qualified", "hot", "customer"})
"""Stages the CRM receives: entering one sets `crm_state` to pending."""


class LeadError(ValueError):
    """The change cannot be made as asked (unknown stage, negative value, no such lead)."""


@dataclass(frozen=True, slots=True)
class LeadSummary:
    """A lead as lists and exports show it."""

    id: int
    conversation_id: int
    stage: str
    platform: str
    campaign: str
    promo_codes: tuple[str, ...]
    owner: str
    value: float
    crm_id: str
    crm_state: str
    answers: dict[str, Any]
    created_at: datetime
    updated_at: datetime
    opted_out_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON shape for `workstation leads --json`."""
        return {
            "id": self.id, "conversation_id": self.conversation_id, "stage": self.stage,
            "platform": self.platform, "campaign": self.campaign,
            "promo_codes": list(self.promo_codes), "owner": self.owner, "value": self.value,
            "crm": {"id": self.crm_id, "state": self.crm_state}, "answers": self.answers,
            "created_at": iso(self.created_at), "updated_at": iso(self.updated_at),
            "opted_out_at": iso(self.opted_out_at),
        }


_SUMMARY = select(
    _L.id, _L.conversation_id, _L.stage, _L.source_platform, _L.campaign, _L.promo_codes,
    _A.name.label("owner"), _L.value, _L.crm_id, _L.crm_state, _L.answers, _L.created_at,
    _L.updated_at, _L.opted_out_at,
).select_from(_LEAD).outerjoin(Agent.__table__, _A.id == _L.owner_id)  # type: ignore[attr-defined]


def _summary(row: Any) -> LeadSummary:
    return LeadSummary(row.id, row.conversation_id, row.stage, row.source_platform,
                       row.campaign, tuple(row.promo_codes.split()), row.owner or "",
                       row.value, row.crm_id, row.crm_state, dict(row.answers or {}),
                       row.created_at, row.updated_at, row.opted_out_at)


def _event(conn: Connection, action: str, lead: Any, actor: str, actor_kind: ActorKind,
           now: datetime, **details: Any) -> None:
    audit.record(conn, action, actor=actor, actor_kind=actor_kind, target_kind="lead",
                 target_id=lead.id, conversation_id=lead.conversation_id, at=now,
                 details=details)


def _lead(conn: Connection, lead_id: int) -> Any:
    row = conn.execute(select(_LEAD).where(_L.id == lead_id).with_for_update()).one_or_none()
    if row is None:
        raise LeadError(f"no lead #{lead_id}")
    return row


def ensure_lead_conn(conn: Connection, conversation_id: int, *, now: datetime,
                     actor: str = "bot") -> int:
    """The conversation's lead, created (and audited) when it has none yet."""
    found = conn.execute(select(_L.id).where(_L.conversation_id == conversation_id)
                         .order_by(_L.id.desc()).limit(1)).scalar()
    if found is not None:
        return int(found)
    conv = conn.execute(select(_C.contact_id, _C.platform, _C.post_id, _C.campaign)
                        .where(_C.id == conversation_id)).one()
    lead_id = conn.execute(_LEAD.insert().returning(_L.id), {
        "conversation_id": conversation_id, "contact_id": conv.contact_id,
        "stage": LeadStage.NEW.value, "source_platform": conv.platform, "post_id": conv.post_id,
        "campaign": conv.campaign, "promo_codes": " ", "answers": {}, "value": 0.0,
        "crm_id": "", "crm_state": "", "created_at": now, "updated_at": now,
    }).scalar_one()
    audit.record(conn, "lead.created", actor=actor, actor_kind=ActorKind.BOT,
                 target_kind="lead", target_id=lead_id, conversation_id=conversation_id,
                 at=now, details={"stage": "new", "campaign": conv.campaign})
    return int(lead_id)


def change_stage_conn(conn: Connection, lead_id: int, stage: str, *, now: datetime,
                      actor: str, actor_kind: ActorKind = ActorKind.AGENT, reason: str = "",
                      forward_only: bool = False) -> bool:
    """Move a lead to `stage`; whether it changed.

    Args:
        forward_only: the bot's moves never take a lead back (hot stays hot when a later
            answer would only make it qualified) nor touch a customer or lost lead.

    Raises:
        LeadError: unknown stage or lead.
    """
    if stage not in RANK:
        raise LeadError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
    lead = _lead(conn, lead_id)
    if lead.stage == stage or (forward_only and (
            lead.stage in ("customer", "lost") or RANK[stage] <= RANK[lead.stage])):
        return False
    values: dict[str, Any] = {"stage": stage, "stage_changed_at": now, "updated_at": now}
    if stage in PUSHED:
        values["crm_state"] = "pending"
    conn.execute(update(_LEAD).where(_L.id == lead_id).values(**values))
    _event(conn, "lead.stage", lead, actor, actor_kind, now, previous=lead.stage, stage=stage,
           reason=reason)
    return True


def record_answers_conn(conn: Connection, lead_id: int, answers: dict[str, Any], *,
                        now: datetime, actor: str = "bot") -> None:
    """Add a flow's answers to the lead (one `lead.answer` event each; contact details are
    named in the trail, not copied into it)."""
    if not answers:
        return
    lead = _lead(conn, lead_id)
    merged_answers = {**dict(lead.answers or {}), **answers}
    conn.execute(update(_LEAD).where(_L.id == lead_id).values(answers=merged_answers,
                                                              updated_at=now))
    for key, value in answers.items():
        shown = sorted(value) if key == "contact" and isinstance(value, dict) else value
        _event(conn, "lead.answer", lead, actor, ActorKind.BOT, now, question=key, value=shown)


def attribute_conn(conn: Connection, lead_id: int, *, now: datetime,
                   promo_codes: tuple[str, ...] = (), campaign: str = "",
                   actor: str = "bot") -> None:
    """Note promo codes seen in the conversation, and a campaign when the lead has none."""
    lead = _lead(conn, lead_id)
    fresh = [c for c in promo_codes if c not in lead.promo_codes.split()]
    values: dict[str, Any] = {}
    if fresh:
        values["promo_codes"] = merged(lead.promo_codes, fresh)
        _event(conn, "lead.promo_code", lead, actor, ActorKind.BOT, now, codes=fresh)
    if campaign and not lead.campaign:
        values["campaign"] = campaign[:200]
        _event(conn, "lead.campaign", lead, actor, ActorKind.BOT, now, campaign=campaign[:200],
               source="utm")
    if values:
        conn.execute(update(_LEAD).where(_L.id == lead_id).values(updated_at=now, **values))


def opt_out_conn(conn: Connection, lead_id: int, *, now: datetime, word: str) -> None:
    """The customer said stop: the lead is marked, so no flow or reminder writes again."""
    lead = _lead(conn, lead_id)
    if lead.opted_out_at is None:
        conn.execute(update(_LEAD).where(_L.id == lead_id).values(opted_out_at=now,
                                                                  updated_at=now))
        _event(conn, "lead.opted_out", lead, "bot", ActorKind.BOT, now, word=word)


def set_stage(engine: Engine, lead_id: int, stage: str, *, actor: str, reason: str = "",
              clock: Clock = utcnow) -> LeadSummary:
    """Move a lead to a stage (an agent's decision: any stage, forward or back).

    Raises:
        LeadError: unknown stage or lead.
        PermissionDenied: the actor may not move leads.
    """
    permissions.require(engine, actor, "edit_lead", clock=clock)
    with db.write(engine) as conn:
        change_stage_conn(conn, lead_id, stage, now=clock(), actor=actor, reason=reason)
        return _summary(conn.execute(_SUMMARY.where(_L.id == lead_id)).one())


def set_owner(engine: Engine, lead_id: int, agent: str | None, *, actor: str,
              clock: Clock = utcnow) -> LeadSummary:
    """Give a lead to an agent (None or '' to nobody).

    Raises:
        LeadError: no such lead or agent.
        PermissionDenied: the actor may not move leads.
    """
    permissions.require(engine, actor, "edit_lead", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        lead = _lead(conn, lead_id)
        owner = None
        if agent:
            owner = conn.execute(select(_A.id).where(_A.name == agent)).scalar()
            if owner is None:
                raise LeadError(f"no agent named {agent!r}")
        if owner != lead.owner_id:
            conn.execute(update(_LEAD).where(_L.id == lead_id).values(owner_id=owner,
                                                                      updated_at=now))
            _event(conn, "lead.owner", lead, actor, ActorKind.AGENT, now, owner=agent or "")
        return _summary(conn.execute(_SUMMARY.where(_L.id == lead_id)).one())


def set_value(engine: Engine, lead_id: int, value: float, *, actor: str,
              clock: Clock = utcnow) -> LeadSummary:
    """Set what the lead is worth (attributed revenue, in the shop's currency).

    Raises:
        LeadError: a negative value, or no such lead.
        PermissionDenied: the actor may not move leads.
    """
    if not value >= 0:
        raise LeadError("a lead's value is a sum of 0 or more")
    permissions.require(engine, actor, "edit_lead", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        lead = _lead(conn, lead_id)
        if value != lead.value:
            conn.execute(update(_LEAD).where(_L.id == lead_id).values(value=value,
                                                                      updated_at=now))
            _event(conn, "lead.value", lead, actor, ActorKind.AGENT, now, value=value,
                   previous=lead.value)
        return _summary(conn.execute(_SUMMARY.where(_L.id == lead_id)).one())


def list_leads(engine: Engine, *, stage: str | None = None, since: datetime | None = None,
               limit: int | None = None) -> list[LeadSummary]:
    """Leads, newest first, optionally of one stage and created since a time.

    Raises:
        LeadError: unknown stage.
    """
    query = _SUMMARY
    if stage is not None:
        if stage not in RANK:
            raise LeadError(f"unknown stage {stage!r}: one of {', '.join(STAGES)}")
        query = query.where(_L.stage == stage)
    if since is not None:
        query = query.where(_L.created_at >= since)
    query = query.order_by(_L.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with db.read(engine) as conn:
        return [_summary(row) for row in conn.execute(query)]


def get(engine: Engine, lead_id: int) -> LeadSummary:
    """One lead.

    Raises:
        LeadError: no such lead.
    """
    with db.read(engine) as conn:
        row = conn.execute(_SUMMARY.where(_L.id == lead_id)).one_or_none()
    if row is None:
        raise LeadError(f"no lead #{lead_id}")
    return _summary(row)


def answer_text(value: Any) -> str:
    """A flow's answer as a person reads it: "home", "2026-11-30 (urgent)", "3",
    "200–300 EUR", "lea@example.com · +33612345678", or the words of an unclear one."""
    if isinstance(value, dict):
        if "date" in value:
            return f"{value['date']}{' (urgent)' if value.get('urgent') else ''}"
        if "value" in value:
            high = value.get("high")
            amount = f"{value['value']:g}" + (f"–{high:g}" if high else "")
            return f"{amount} {value.get('currency') or ''}".strip()
        if "email" in value or "phone" in value:
            return " · ".join(str(value[k]) for k in ("email", "phone") if value.get(k))
        if "unclear" in value:
            return f"unclear: {value['unclear']}"
        return ", ".join(f"{k} {v}" for k, v in value.items())
    return str(value)


@dataclass(frozen=True, slots=True)
class LeadPanel:
    """What the conversation's side panel shows about its lead."""

    lead: LeadSummary
    flow: str
    """The qualifier flow's id, '' when none ran."""
    flow_status: str
    """active, done, sales, handoff, stopped; '' when no flow ran."""
    flow_reason: str
    next_reminder: datetime | None
    reminders_sent: int


def for_conversation(engine: Engine, conversation_id: int) -> LeadPanel | None:
    """The lead of a conversation: its own, or the one whose flow talks in it (a DM thread
    the bot moved to); None when there is none."""
    with db.read(engine) as conn:
        return panel(conn, conversation_id)


def panel(conn: Connection, conversation_id: int) -> LeadPanel | None:
    """`for_conversation` on a connection the caller holds (the conversation screen's read)."""
    from workstation.leads.reminders import sent
    from workstation.models import QualifierState, Reminder

    q = QualifierState.__table__.c  # type: ignore[attr-defined]
    r = Reminder.__table__.c  # type: ignore[attr-defined]
    state = conn.execute(select(q.lead_id, q.flow, q.status, q.end_reason).where(
        (q.conversation_id == conversation_id) | (q.origin_conversation_id == conversation_id)
    ).order_by(q.id.desc()).limit(1)).first()
    lead_id = state.lead_id if state is not None else conn.execute(
        select(_L.id).where(_L.conversation_id == conversation_id)
        .order_by(_L.id.desc()).limit(1)).scalar()
    if lead_id is None:
        return None
    row = conn.execute(_SUMMARY.where(_L.id == lead_id)).one()
    due = conn.execute(select(r.due_at).where(r.lead_id == lead_id, r.kind == "lead",
                                              r.state == "pending")
                       .order_by(r.due_at).limit(1)).scalar()
    return LeadPanel(_summary(row), state.flow if state else "",
                     state.status if state else "", state.end_reason if state else "",
                     due, sent(conn, lead_id))

