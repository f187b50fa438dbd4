"""What a CRM receives about a lead: its fields, its contact, its conversation.

Everything in here came from a platform and is untrusted: the transcript's text is made inert
(no control or escape characters) before it leaves, and the HubSpot note, which HubSpot shows
as HTML, is escaped on top of that, so a customer cannot put markup in a salesperson's CRM.
"""

from __future__ import annotations

import hashlib
import html
import json
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, select

from workstation.clock import iso
from workstation.models import Agent, Contact, Conversation, Direction, Lead, LeadStage, Message
from workstation.text import inert

PUSHABLE = frozenset({LeadStage.QUALIFIED.value, LeadStage.HOT.value, LeadStage.CUSTOMER.value})
"""Stages that send a lead to the CRM; after its first push, every change goes too."""
TRANSCRIPT_LIMIT = 200
"""Newest messages sent with a lead; the count of older ones is given instead."""
NOTE_LIMIT = 60_000
"""Characters of a HubSpot note body (HubSpot's limit is 65,536)."""

_L = Lead.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


@dataclass(frozen=True, slots=True)
class LeadSnapshot:
    """A lead as the CRM sees it."""

    id: int
    conversation_id: int
    stage: str
    email: str
    phone: str
    name: str
    handle: str
    platform: str
    campaign: str
    promo_codes: tuple[str, ...]
    answers: dict[str, Any]
    value: float
    owner: str
    crm_id: str
    crm_state: str
    created_at: datetime

    def change_hash(self) -> str:
        """Digest of the fields whose change is pushed again (not the CRM's own fields)."""
        fields = [self.stage, self.email, self.phone, self.name, self.handle, self.campaign,
                  list(self.promo_codes), self.answers, round(self.value, 2), self.owner]
        canonical = json.dumps(fields, sort_keys=True, ensure_ascii=False, default=str)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()

    def to_json(self) -> dict[str, Any]:
        """The lead in a webhook body (text made inert)."""
        return {
            "id": self.id, "stage": self.stage, "email": _clean(self.email),
            "phone": _clean(self.phone), "name": _clean(self.name),
            "handle": _clean(self.handle), "platform": self.platform,
            "campaign": _clean(self.campaign), "promo_codes": [_clean(c) for c in
                                                               self.promo_codes],
            "answers": {_clean(str(k)): _plain(v) for k, v in self.answers.items()},
            "value": self.value, "owner": self.owner, "conversation_id": self.conversation_id,
            "created_at": iso(self.created_at),
        }


def snapshots(conn: Connection, lead_ids: list[int] | None = None) -> list[LeadSnapshot]:
    """Leads that are, or were, bound for the CRM (all of `lead_ids` when given)."""
    from workstation.models import CrmOutbox

    query = (select(_L, _P.email, _P.phone, _P.name.label("contact_name"), _P.handle,
                    _A.name.label("owner_name"))
             .outerjoin(Contact.__table__, _P.id == _L.contact_id)  # type: ignore[attr-defined]
             .outerjoin(Agent.__table__, _A.id == _L.owner_id)  # type: ignore[attr-defined]
             .order_by(_L.id))
    if lead_ids is not None:
        query = query.where(_L.id.in_(lead_ids))
    else:
        pushed = select(CrmOutbox.__table__.c.lead_id)  # type: ignore[attr-defined]
        query = query.where(_L.stage.in_(PUSHABLE) | _L.id.in_(pushed))
    return [_snapshot(row) for row in conn.execute(query)]


def _snapshot(row: Any) -> LeadSnapshot:
    answers = row.answers if isinstance(row.answers, dict) else {}
    email = row.email or _answer(answers, "email")
    return LeadSnapshot(
        id=row.id, conversation_id=row.conversation_id, stage=row.stage,
        email=email.strip().lower() if "@" in email else "",
        phone=row.phone or _answer(answers, "phone"), name=row.contact_name or "",
        handle=row.handle or "", platform=row.source_platform, campaign=row.campaign,
        promo_codes=tuple(row.promo_codes.split()), answers=answers, value=row.value or 0.0,
        owner=row.owner_name or "", crm_id=row.crm_id, crm_state=row.crm_state,
        created_at=row.created_at,
    )


def _answer(answers: dict[str, Any], key: str) -> str:
    """An e-mail or phone the qualifier collected: under its own key, or in the `contact`
    question's answer (`{"email": ..., "phone": ...}`)."""
    for value in (answers.get(key), (answers.get("contact") or {}).get(key)
                  if isinstance(answers.get("contact"), dict) else None):
        if isinstance(value, str) and value.strip():
            return value.strip()
    return ""


def transcript(conn: Connection, conversation_id: int,
               limit: int = TRANSCRIPT_LIMIT) -> tuple[list[dict[str, Any]], int]:
    """The conversation's newest `limit` messages in order, and how many older ones were left
    out. Our replies are marked (`from`: agent or bot), hidden and deleted ones noted."""
    rows = list(conn.execute(
        select(_M.created_at, _M.direction, _M.author_kind, _M.text, _M.hidden, _M.deleted,
               _M.hidden_reason, _M.extra)
        .where(_M.conversation_id == conversation_id)
        .order_by(_M.created_at.desc(), _M.id.desc()).limit(limit + 1)
    ))
    omitted = 0
    if len(rows) > limit:
        total = conn.execute(select(func.count()).select_from(Message.__table__)  # type: ignore[attr-defined]
                             .where(_M.conversation_id == conversation_id)).scalar_one()
        omitted = total - limit
        rows = rows[:limit]
    messages = []
    for row in reversed(rows):
        item: dict[str, Any] = {
            "at": iso(row.created_at),
            "from": "customer" if row.direction == Direction.IN.value else row.author_kind,
            "ours": row.direction == Direction.OUT.value,
            "text": _clean(row.text),
        }
        if row.hidden:
            item["hidden"] = _clean(row.hidden_reason) or True
        if row.deleted:
            item["deleted"] = True
        delivery = (row.extra or {}).get("delivery")
        if delivery and delivery != "sent":
            item["delivery"] = str(delivery)
        messages.append(item)
    return messages, omitted


def webhook_body(lead: LeadSnapshot, messages: list[dict[str, Any]], omitted: int, *,
                 delivery_id: str, event_type: str, now: datetime) -> bytes:
    """The JSON a webhook target receives."""
    body = {"type": event_type, "id": delivery_id, "timestamp": iso(now),
            "data": {"lead": lead.to_json(), "transcript": messages,
                     "transcript_omitted": omitted}}
    return json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def note_html(lead: LeadSnapshot, messages: list[dict[str, Any]], omitted: int) -> str:
    """The HubSpot note: a header and the transcript, escaped HTML, under HubSpot's limit."""
    def esc(text: Any) -> str:
        return html.escape(str(text)).replace("\n", "<br>")

    head = (f"<p><strong>workstation lead #{lead.id}</strong>: stage {esc(lead.stage)}"
            f", {esc(lead.platform)} conversation #{lead.conversation_id}"
            + (f", campaign {esc(lead.campaign)}" if lead.campaign else "")
            + (f", promo codes {esc(' '.join(lead.promo_codes))}" if lead.promo_codes else "")
            + "</p>")
    lines = []
    for m in messages:
        marks = "".join(f" [{k}]" for k in ("hidden", "deleted", "delivery") if m.get(k))
        who = "us (" + m["from"] + ")" if m["ours"] else "customer"
        lines.append(f"<p>{esc(m['at'])} <strong>{esc(who)}</strong>{esc(marks)}:"
                     f" {esc(m['text'])}</p>")
    while lines and len(head) + sum(map(len, lines)) > NOTE_LIMIT:
        lines.pop(0)
        omitted += 1
    gap = f"<p>({omitted} earlier messages not shown)</p>" if omitted else ""
    return head + gap + "".join(lines)


def _clean(text: str) -> str:
    return inert(text or "", keep_newlines=True)


def _plain(value: Any) -> Any:
    """An answer's value with every string in it made inert."""
    if isinstance(value, str):
        return _clean(value)
    if isinstance(value, dict):
        return {_clean(str(k)): _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value
