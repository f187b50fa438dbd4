"""The conversation screen's read model: the thread and the side panel, in one frozen value.

`load` reads everything the screen shows in a handful of indexed queries (a few milliseconds
on a million-message store): the conversation, its post, the newest messages with their
authors, delivery states and moderation, the contact and their past conversations, the lead,
the notes, the last escalation, who holds the claim and the agent's saved draft. The screen
polls it and repaints only when the value changed, so equality is what matters here.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, func, select

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.models import (
    Agent,
    AuditEvent,
    Contact,
    Conversation,
    Message,
    Outbox,
    OutboxState,
    Post,
)

from . import leads, ugc_rights
from .claims import Claim
from .drafts import DraftState, read_draft
from .notes import NoteView, list_notes
from .reply_context import NotFound

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]
_O = Outbox.__table__.c  # type: ignore[attr-defined]
_E = AuditEvent.__table__.c  # type: ignore[attr-defined]
_POST = Post.__table__  # type: ignore[attr-defined]
_CONTACT = Contact.__table__  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
MESSAGES = 200
"""Newest messages shown; older ones are counted, not read."""
TEXT_CAP = 4000
"""Characters of a message read and shown; a 1 MB message costs no more than a long one."""
PAST = 5
"""Past conversations of the contact listed in the side panel."""
MAX_DEPTH = 3


@dataclass(frozen=True, slots=True)
class MessageView:
    """One message of the thread."""

    id: int
    external_id: str
    depth: int
    """0 for a message on its own; 1+ for a reply to a message shown above (comments)."""
    direction: str
    author_kind: str
    """customer, agent or bot."""
    author: str
    """The customer's @handle or name, the agent's login, or "bot"."""
    text: str
    hidden_chars: int
    """Characters cut from a very long message."""
    created_at: datetime
    intents: tuple[str, ...]
    sentiment: float
    moderation: str
    categories: tuple[str, ...]
    hidden: bool
    hidden_reason: str
    deleted: bool
    delivery: str = ""
    """queued, sending, sent, failed, unknown or cancelled for our replies; '' otherwise."""
    channel: str = ""
    template_id: str = ""
    error: str = ""
    """Why a failed reply failed, from the outbox."""


@dataclass(frozen=True, slots=True)
class PostView:
    """The post a comment thread sits under."""

    external_id: str
    url: str
    caption: str
    campaign: str


@dataclass(frozen=True, slots=True)
class PastConversation:
    """Another conversation of the same contact."""

    id: int
    kind: str
    status: str
    last_text: str
    last_message_at: datetime
    resolution_code: str


@dataclass(frozen=True, slots=True)
class ContactView:
    """The customer, as the side panel shows them."""

    id: int
    platform: str
    handle: str
    name: str
    followers: int
    verified: bool
    vip: bool
    banned: bool
    first_seen: datetime
    past: tuple[PastConversation, ...]
    past_total: int
    """All their other conversations, of which `past` are the newest."""

    @property
    def label(self) -> str:
        """@handle, else the name, else a placeholder."""
        return f"@{self.handle.lstrip('@')}" if self.handle else (self.name or "unknown")


@dataclass(frozen=True, slots=True)
class EscalationView:
    """Where the conversation is routed, and the last escalation."""

    escalated: bool
    role: str
    reason: str
    by: str = ""
    at: datetime | None = None


@dataclass(frozen=True)
class ConversationView:
    """Everything the conversation screen shows."""

    id: int
    platform: str
    kind: str
    status: str
    lang: str
    intents: tuple[str, ...]
    tags: tuple[str, ...]
    sentiment: float
    priority: int
    moderation: str
    sla_policy: str
    sla_due_at: datetime | None
    awaiting_since: datetime | None
    first_response_at: datetime | None
    snoozed_until: datetime | None
    resolution_code: str
    assignee: str
    claim: Claim
    escalation: EscalationView
    exchange_count: int
    message_count: int
    version: int
    post: PostView | None
    contact: ContactView | None
    lead: leads.LeadPanel | None
    ugc: ugc_rights.UgcRight | None
    """The rights asked to reuse what the customer shared, if they were asked."""
    notes: tuple[NoteView, ...]
    messages: tuple[MessageView, ...]
    earlier: int
    """Messages older than the ones shown."""
    draft: DraftState | None


_CLAIMER = Agent.__table__.alias("claimer")  # type: ignore[attr-defined]
_ASSIGNEE = Agent.__table__.alias("assignee")  # type: ignore[attr-defined]
_MAIN = (
    select(
        _CONVERSATION, _ASSIGNEE.c.name.label("assignee"), _CLAIMER.c.name.label("claimer"),
        _P.platform.label("p_platform"), _P.handle.label("p_handle"), _P.name.label("p_name"),
        _P.followers.label("p_followers"), _P.verified.label("p_verified"),
        _P.vip.label("p_vip"), _P.banned.label("p_banned"), _P.first_seen.label("p_first_seen"),
        _POST.c.external_id.label("post_external_id"), _POST.c.url.label("post_url"),
        _POST.c.caption.label("post_caption"), _POST.c.campaign.label("post_campaign"),
    )
    .select_from(_CONVERSATION)
    .outerjoin(_ASSIGNEE, _ASSIGNEE.c.id == _C.assignee_id)
    .outerjoin(_CLAIMER, _CLAIMER.c.id == _C.claimed_by)
    .outerjoin(_CONTACT, _P.id == _C.contact_id)
    .outerjoin(_POST, _POST.c.id == _C.post_id)
    .where(_C.id == bindparam("conversation"))
)
"""The conversation with its assignee, claim holder, contact and post: one row."""
_MESSAGES = (
    select(_M.id, _M.external_id, _M.parent_external_id, _M.direction, _M.author_kind,
           func.substr(_M.text, 1, TEXT_CAP).label("text"), func.length(_M.text).label("chars"),
           _M.created_at, _M.intents, _M.sentiment, _M.moderation, _M.categories, _M.hidden,
           _M.hidden_reason, _M.deleted, _M.extra, _P.handle, _P.name, _A.name.label("agent"))
    .outerjoin(_CONTACT, _P.id == _M.contact_id)
    .outerjoin(Agent.__table__, _A.id == _M.agent_id)  # type: ignore[attr-defined]
    .where(_M.conversation_id == bindparam("conversation"))
    .order_by(_M.created_at.desc(), _M.id.desc())
    .limit(bindparam("limit"))
)
_FAILED = select(_O.id, _O.last_error).where(
    _O.conversation_id == bindparam("conversation"), _O.state == OutboxState.FAILED.value)
_OTHERS = (_C.contact_id == bindparam("contact"), _C.id != bindparam("conversation"))
_PAST = (select(_C.id, _C.kind, _C.status, _C.last_text, _C.last_message_at, _C.resolution_code)
         .where(*_OTHERS).order_by(_C.last_message_at.desc()).limit(PAST))
_PAST_COUNT = select(func.count()).select_from(_CONVERSATION).where(*_OTHERS)
_ESCALATED = (select(_E.actor, _E.at)
              .where(_E.conversation_id == bindparam("conversation"),
                     _E.action == "conversation.escalated")
              .order_by(_E.id.desc()).limit(1))


def load(engine: Engine, conversation_id: int, *, agent: str, clock: Clock = utcnow,
         limit: int = MESSAGES) -> ConversationView:
    """Read a conversation for the screen, with `agent`'s claim state and draft.

    Raises:
        NotFound: there is no such conversation.
    """
    now = clock()
    with db.read(engine) as conn:
        row = conn.execute(_MAIN, {"conversation": conversation_id}).one_or_none()
        if row is None:
            raise NotFound(f"no conversation #{conversation_id}")
        messages, earlier = _messages(conn, conversation_id, row.kind, row.message_count, limit)
        live = row.claimer is not None and row.claim_expires_at is not None \
            and row.claim_expires_at > now
        claim = Claim(conversation_id, row.claimer, row.claim_expires_at, row.claimer == agent) \
            if live else Claim(conversation_id, "", None, False)
        return ConversationView(
            id=row.id, platform=row.platform, kind=row.kind, status=row.status, lang=row.lang,
            intents=tuple(row.intents.split()), tags=tuple(row.tags.split()),
            sentiment=row.sentiment, priority=row.priority, moderation=row.moderation,
            sla_policy=row.sla_policy, sla_due_at=row.sla_due_at,
            awaiting_since=row.awaiting_since, first_response_at=row.first_response_at,
            snoozed_until=row.snoozed_until, resolution_code=row.resolution_code,
            assignee=row.assignee or "", claim=claim, escalation=_escalation(conn, row),
            exchange_count=row.exchange_count, message_count=row.message_count,
            version=row.version,
            post=PostView(row.post_external_id, row.post_url, row.post_caption,
                          row.post_campaign) if row.post_external_id is not None else None,
            contact=_contact(conn, row, conversation_id),
            lead=leads.panel(conn, conversation_id),
            ugc=ugc_rights.of_conversation(conn, conversation_id, now),
            notes=list_notes(conn, conversation_id), messages=messages, earlier=earlier,
            draft=read_draft(conn, conversation_id, agent),
        )


def _messages(conn: Connection, conversation_id: int, kind: str, total: int,
              limit: int) -> tuple[tuple[MessageView, ...], int]:
    rows = list(reversed(conn.execute(
        _MESSAGES, {"conversation": conversation_id, "limit": limit}).all()))
    failed = any((r.extra or {}).get("delivery") == "failed" for r in rows)
    errors = dict(conn.execute(_FAILED, {"conversation": conversation_id}).all()) if failed \
        else {}
    depth: dict[str, int] = {}
    out = []
    for r in rows:
        extra = r.extra or {}
        level = 0
        if kind != "dm" and r.parent_external_id in depth:
            level = min(depth[r.parent_external_id] + 1, MAX_DEPTH)
        depth[r.external_id] = level
        if r.author_kind == "customer":
            author = f"@{r.handle.lstrip('@')}" if r.handle else (r.name or "customer")
        else:
            author = r.agent or ("bot" if r.author_kind == "bot" else "the brand")
        delivery = extra.get("delivery", "")
        out.append(MessageView(
            id=r.id, external_id=r.external_id, depth=level, direction=r.direction,
            author_kind=r.author_kind, author=author, text=r.text,
            hidden_chars=max((r.chars or 0) - TEXT_CAP, 0), created_at=r.created_at,
            intents=tuple(r.intents.split()), sentiment=r.sentiment, moderation=r.moderation,
            categories=tuple(r.categories.split()), hidden=r.hidden,
            hidden_reason=r.hidden_reason, deleted=r.deleted,
            delivery=delivery if isinstance(delivery, str) else "",
            channel=str(extra.get("channel", "") or ""),
            template_id=str(extra.get("template_id", "") or ""),
            error=errors.get(extra.get("outbox_id"), "") if delivery == "failed" else "",
        ))
    return tuple(out), max(total - len(out), 0)


def _contact(conn: Connection, row: Any, conversation_id: int) -> ContactView | None:
    if row.contact_id is None or row.p_platform is None:
        return None
    params = {"contact": row.contact_id, "conversation": conversation_id}
    past = tuple(
        PastConversation(r.id, r.kind, r.status, r.last_text, r.last_message_at,
                         r.resolution_code)
        for r in conn.execute(_PAST, params)
    )
    total = len(past)
    if total == PAST:
        total = int(conn.execute(_PAST_COUNT, params).scalar_one())
    return ContactView(row.contact_id, row.p_platform, row.p_handle, row.p_name, row.p_followers,
                       row.p_verified, row.p_vip, row.p_banned, row.p_first_seen, past, total)


def _escalation(conn: Connection, conv: Any) -> EscalationView:
    if not conv.escalated:
        return EscalationView(False, conv.role, "")
    event = conn.execute(_ESCALATED, {"conversation": conv.id}).one_or_none()
    return EscalationView(True, conv.role, conv.escalation_reason,
                          event.actor if event else "", event.at if event else None)
