"""The store's tables.

One SQLModel class per table and nothing else: queries live in `store.py` and the services,
the schema's history lives in `migrations/`. Lists of slugs (intents, tags, categories) are
kept as space-separated text, bounded by spaces (" purchase shipping "), so both engines can
filter them with a plain `LIKE '% purchase %'` and an index-free scan stays cheap.
"""

from __future__ import annotations

from datetime import datetime
from enum import IntEnum, StrEnum
from typing import Any

from sqlalchemy import JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint
from sqlmodel import Field, SQLModel


class Role(StrEnum):
    """What an agent may do; each role includes the rights of the one before."""

    AGENT = "agent"
    SENIOR = "senior"
    SUPERVISOR = "supervisor"
    ADMIN = "admin"


class Kind(StrEnum):
    """Where a conversation lives on its platform."""

    COMMENT = "comment"
    DM = "dm"
    MENTION = "mention"


class Status(StrEnum):
    """A conversation's place in the workflow."""

    OPEN = "open"
    SNOOZED = "snoozed"
    RESOLVED = "resolved"


class Priority(IntEnum):
    """Stored as a number so queues can sort on it."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3


class Direction(StrEnum):
    IN = "in"
    OUT = "out"


class AuthorKind(StrEnum):
    """Who wrote a message: the public, a person of the team, or the automation."""

    CUSTOMER = "customer"
    AGENT = "agent"
    BOT = "bot"


class ActorKind(StrEnum):
    """Who caused an audited change."""

    AGENT = "agent"
    BOT = "bot"
    SYSTEM = "system"


class OutboxState(StrEnum):
    DRAFT = "draft"
    """An automatic reply chosen by the rules; the workers write its text before sending."""
    QUEUED = "queued"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    UNKNOWN = "unknown"
    """The platform did not say whether it took the message (a timeout): checked before retrying."""
    CANCELLED = "cancelled"


class LeadStage(StrEnum):
    NEW = "new"
    QUALIFYING = "qualifying"
    QUALIFIED = "qualified"
    HOT = "hot"
    CUSTOMER = "customer"
    LOST = "lost"


def _json() -> Any:
    return Field(default_factory=dict, sa_column=Column(JSON, nullable=False))


def _text(**kw: Any) -> Any:
    return Field(sa_column=Column(Text, **kw))


class Agent(SQLModel, table=True):
    """A person of the team; `name` is their login (the SSH user by default)."""

    id: int | None = Field(default=None, primary_key=True)
    name: str = Field(unique=True, max_length=64)
    display_name: str = ""
    role: str = Role.AGENT.value
    languages: str = "en"
    """Comma-separated ISO 639-1 codes the agent answers in."""
    capacity: int = 20
    """How many open conversations the router may assign to them."""
    active: bool = True
    created_at: datetime
    last_assigned_at: datetime | None = None
    """When the router last gave them a conversation (round robin between equals)."""


class Contact(SQLModel, table=True):
    """A platform identity that wrote to us."""

    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_contact_identity"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    external_id: str = Field(max_length=255)
    handle: str = ""
    name: str = ""
    followers: int = Field(default=0, sa_type=BigInteger)
    verified: bool = False
    vip: bool = False
    banned: bool = False
    email: str = ""
    phone: str = ""
    first_seen: datetime
    last_seen: datetime
    extra: dict[str, Any] = _json()


class Post(SQLModel, table=True):
    """A post of ours that comments sit under; carries the campaign they are attributed to."""

    __table_args__ = (UniqueConstraint("platform", "external_id", name="uq_post_identity"),)
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    external_id: str = Field(max_length=255)
    url: str = ""
    caption: str = _text(nullable=False, default="")
    campaign: str = Field(default="", index=True)
    likes: int = 0
    shares: int = 0
    impressions: int = 0
    published_at: datetime | None = None


class Conversation(SQLModel, table=True):
    """A thread: a DM thread, a comment and its replies, or a mention and its replies."""

    __table_args__ = (
        UniqueConstraint("platform", "thread_key", name="uq_conversation_thread"),
        Index("ix_conversation_queue", "status", "sla_due_at", "priority"),
        Index("ix_conversation_assignee", "assignee_id", "status"),
        Index("ix_conversation_created", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    kind: str = Field(max_length=16)
    thread_key: str = Field(max_length=255)
    contact_id: int | None = Field(default=None, foreign_key="contact.id", index=True)
    post_id: int | None = Field(default=None, foreign_key="post.id", index=True)
    campaign: str = ""
    status: str = Status.OPEN.value
    lang: str = ""
    intents: str = " "
    """Space-bounded intent slugs, most likely first (" purchase question ")."""
    tags: str = " "
    sentiment: float = 0.0
    """Score in [-1, 1] of the customer's latest message."""
    priority: int = Priority.NORMAL.value
    moderation: str = "allow"
    """The strongest moderation verdict of any message in the thread."""
    sla_policy: str = ""
    first_response_due: datetime | None = None
    first_response_at: datetime | None = None
    awaiting_since: datetime | None = None
    """Oldest customer message not yet answered; None when we spoke last."""
    sla_due_at: datetime | None = None
    """When the reply owed now is due (first or next response); None when nothing is owed."""
    last_inbound_at: datetime | None = None
    last_outbound_at: datetime | None = None
    last_message_at: datetime
    last_text: str = _text(nullable=False, default="")
    """First line of the latest message, cut for the queue."""
    message_count: int = 0
    exchange_count: int = 0
    """Round trips: how many times a customer message was followed by an answer of ours."""
    role: str = Role.AGENT.value
    """The role the thread is routed to."""
    escalated: bool = False
    escalation_reason: str = ""
    assignee_id: int | None = Field(default=None, foreign_key="agent.id")
    claimed_by: int | None = Field(default=None, foreign_key="agent.id")
    claim_expires_at: datetime | None = None
    snoozed_until: datetime | None = None
    resolution_code: str = ""
    resolved_at: datetime | None = None
    csat: int | None = None
    created_at: datetime
    updated_at: datetime
    version: int = 1
    """Bumped by every change, so a stale screen can refuse to overwrite a newer state."""


class Message(SQLModel, table=True):
    """One message of a thread, in or out, with its triage verdict."""

    __table_args__ = (
        UniqueConstraint("platform", "external_id", name="uq_message_identity"),
        Index("ix_message_thread", "conversation_id", "created_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    platform: str = Field(max_length=32)
    external_id: str = Field(max_length=255)
    conversation_id: int = Field(foreign_key="conversation.id")
    parent_external_id: str = ""
    direction: str = Direction.IN.value
    author_kind: str = AuthorKind.CUSTOMER.value
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    text: str = _text(nullable=False, default="")
    lang: str = ""
    sentiment: float = 0.0
    intents: str = " "
    moderation: str = "allow"
    """Triage verdict: allow / review / hide / delete / ban."""
    categories: str = " "
    """Space-bounded moderation categories (spam, hate, pii_self, ...)."""
    hidden: bool = False
    hidden_reason: str = ""
    deleted: bool = False
    created_at: datetime = Field(index=True)
    received_at: datetime
    extra: dict[str, Any] = _json()
    """Fields of the event that the contract does not name, kept as they came."""


class Outbox(SQLModel, table=True):
    """A reply waiting to be sent; written before anything goes on the network."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    reply_to_external_id: str = ""
    channel: str = "public"
    """public (a reply under the comment) or dm."""
    text: str = _text(nullable=False)
    author_kind: str = AuthorKind.AGENT.value
    agent_id: int | None = Field(default=None, foreign_key="agent.id")
    idempotency_key: str = Field(unique=True, max_length=128)
    state: str = Field(default=OutboxState.QUEUED.value, index=True)
    attempts: int = 0
    last_error: str = ""
    next_attempt_at: datetime | None = None
    external_id: str = ""
    """The platform's id of the sent message."""
    template_id: str = ""
    created_at: datetime
    sent_at: datetime | None = None


class AuditEvent(SQLModel, table=True):
    """One change of state: who did what to which thing, and with which details."""

    __tablename__ = "audit_event"
    __table_args__ = (Index("ix_audit_conversation", "conversation_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(index=True)
    actor_kind: str = ActorKind.SYSTEM.value
    actor: str = Field(default="system", index=True)
    action: str = Field(max_length=64)
    target_kind: str = ""
    target_id: str = ""
    conversation_id: int | None = None
    details: dict[str, Any] = _json()
    # Team mode (migration 0011): the tamper-evident chain, see `workstation.audit_chain`.
    prev_hash: str = Field(default="", max_length=64)
    """The hash of the event before this one (64 zeros for the first)."""
    hash: str = Field(default="", max_length=64)
    """sha256 of `prev_hash` and this event's canonical JSON."""


class Lead(SQLModel, table=True):
    """A prospect found in a conversation, tracked until it buys or is lost."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    contact_id: int | None = Field(default=None, foreign_key="contact.id")
    stage: str = Field(default=LeadStage.NEW.value, index=True)
    source_platform: str = ""
    post_id: int | None = Field(default=None, foreign_key="post.id")
    campaign: str = ""
    promo_codes: str = " "
    answers: dict[str, Any] = _json()
    owner_id: int | None = Field(default=None, foreign_key="agent.id")
    value: float = 0.0
    crm_id: str = ""
    crm_state: str = ""
    """'' (not pushed), pending, synced, failed."""
    created_at: datetime
    updated_at: datetime


class Reminder(SQLModel, table=True):
    """Something to do at a given time: re-engage a lead, wake a snoozed thread."""

    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    lead_id: int | None = Field(default=None, foreign_key="lead.id")
    kind: str = "lead"
    due_at: datetime = Field(index=True)
    state: str = "pending"
    attempts: int = 0
    created_at: datetime


class UgcRightsRequest(SQLModel, table=True):
    """Permission asked of a customer to reuse what they posted of the product."""

    __tablename__ = "ugc_rights_request"
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    state: str = "requested"
    """requested, granted, refused, expired."""
    requested_at: datetime
    answered_at: datetime | None = None


class SyncCursor(SQLModel, table=True):
    """How far a connector has read a stream (the newest timestamp or id seen)."""

    __tablename__ = "sync_cursor"
    __table_args__ = (UniqueConstraint("connector", "stream", name="uq_sync_stream"),)
    id: int | None = Field(default=None, primary_key=True)
    connector: str
    stream: str
    position: str = ""
    updated_at: datetime


class WorkerLease(SQLModel, table=True):
    """The scheduler's leadership: one row per lease name, held until `expires_at`."""

    __tablename__ = "worker_lease"
    name: str = Field(primary_key=True, max_length=64)
    holder: str = ""
    acquired_at: datetime
    expires_at: datetime


class DeadLetter(SQLModel, table=True):
    """Input that could not be taken in, kept byte for byte with the reason."""

    __tablename__ = "dead_letter"
    id: int | None = Field(default=None, primary_key=True)
    source: str = ""
    """The file (or connector) it came from."""
    line_no: int = 0
    reason: str = _text(nullable=False, default="")
    raw: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    created_at: datetime = Field(index=True)


class KpiSnapshot(SQLModel, table=True):
    """A KPI's value over one period, kept so trends survive data retention."""

    __tablename__ = "kpi_snapshot"
    __table_args__ = (
        UniqueConstraint("kpi", "period", "period_start", "dimension", name="uq_kpi_period"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kpi: str
    period: str
    """day, week, month or quarter."""
    period_start: datetime
    dimension: str = ""
    """'' for the whole inbox, else e.g. 'platform=instagram'."""
    value: float
    computed_at: datetime


class ReplyVariantUse(SQLModel, table=True):
    """Which wording of each template part went into a queued reply; rotation reads it back.

    Added by the replies engine (migration 0003). `variant` is a hash of the wording's text,
    so reordering or editing a template file keeps the history meaningful. Rows of a cancelled
    reply are deleted: it was never sent. The ids carry no foreign keys on purpose: this is a
    cache of choices, and tools that empty the workflow tables (the demo's reset) must not be
    blocked by it.
    """

    __tablename__ = "reply_variant_use"
    __table_args__ = (
        Index("ix_variant_use_contact", "contact_id", "id"),
        Index("ix_variant_use_conversation", "conversation_id", "id"),
        Index("ix_variant_use_template_day", "template_id", "used_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    outbox_id: int | None = Field(default=None, index=True)
    conversation_id: int
    contact_id: int | None = None
    template_id: str = Field(max_length=64)
    lang: str = Field(default="", max_length=8)
    part: str = Field(max_length=32)
    variant: str = Field(max_length=16)
    used_at: datetime


class ConversationNote(SQLModel, table=True):
    """An internal note on a conversation: for the team, never sent to the customer.

    Added by the conversation screen (migration 0005). Like `reply_variant_use`, the ids carry
    no foreign keys, so tools that empty the workflow tables are not blocked by notes.
    """

    __tablename__ = "conversation_note"
    __table_args__ = (Index("ix_note_conversation", "conversation_id", "id"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int
    author: str = Field(max_length=64)
    """The login of the agent who wrote it."""
    text: str = _text(nullable=False)
    created_at: datetime


class ComposerDraft(SQLModel, table=True):
    """A reply being written, kept per agent and conversation until it is sent or discarded.

    Added by the conversation screen (migration 0005), so a draft survives leaving the screen
    and restarting the app. It keeps the composer's inputs, not a rendering: reopening it
    renders again against the thread as it is then. No foreign keys, as for notes.
    """

    __tablename__ = "composer_draft"
    __table_args__ = (UniqueConstraint("conversation_id", "agent", name="uq_draft_owner"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int
    agent: str = Field(max_length=64)
    channel: str = Field(default="public", max_length=16)
    template_id: str = Field(default="", max_length=64)
    lang: str = Field(default="", max_length=8)
    values: dict[str, Any] = _json()
    """Slot values typed by the agent."""
    choices: dict[str, Any] = _json()
    """Part name to the variant chosen (rotation or ctrl+r)."""
    text: str = _text(nullable=False, default="")
    """The text written freehand or edited over the rendering; '' while the template rules."""
    idempotency_key: str = Field(max_length=128)
    """Made when the draft starts, so sending it twice (a retry, a restart) queues one reply."""
    updated_at: datetime


class RateLimit(SQLModel, table=True):
    """What a platform said about a token's budget, shared by every process that uses it.

    Added for the connectors (migration 0007). `key` names the token without revealing it
    (connector name and a short hash), so tokens never reach the store. A call waits while
    `blocked_until` is ahead (a 429 or Meta's codes 4/17/32/613), and spreads its calls when
    `remaining` runs low before `reset_at`.
    """

    __tablename__ = "rate_limit"
    key: str = Field(primary_key=True, max_length=128)
    remaining: int | None = None
    limit: int | None = None
    reset_at: datetime | None = None
    blocked_until: datetime | None = None
    updated_at: datetime
