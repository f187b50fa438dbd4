"""The store's tables.

One SQLModel class per table and nothing else: queries live in `store.py` and the services,
the schema's history lives in `migrations/`. Lists of slugs (intents, tags, categories) are
kept as space-separated text, bounded by spaces (" purchase shipping "), so both engines can
filter them with a plain `LIKE '% purchase %'` and an index-free scan stays cheap.
"""

from __future__ import annotations

from datetime import date, datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import (
    JSON, BigInteger, Column, Index, LargeBinary, Text, UniqueConstraint, text,
)
from sqlmodel import Field, SQLModel

from workstation.priority import Priority  # noqa: F401  (re-exported: the store stores it)
from workstation.stages import LeadStage  # noqa: F401  (re-exported: the store stores it)


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
        # By arrival, holding every column the KPI panel and the reports read of a period's
        # conversations (migration 0016; it replaced the index on `created_at` alone).
        Index("ix_conversation_kpi", "created_at", "platform", "sla_policy", "moderation",
              "escalated", "csat", "sentiment", "first_message_at", "first_response_at",
              "first_response_due", "resolved_at", "exchange_count"),
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
    first_message_at: datetime | None = None
    """The thread's earliest message, whichever way it went: the start of the first response
    and resolution times (`created_at` is when the thread reached the store)."""
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
        # The replies that answered a waiting customer, for next response times.
        Index("ix_message_response", "conversation_id", "created_at", "response_seconds",
              sqlite_where=text("response_seconds IS NOT NULL"),
              postgresql_where=text("response_seconds IS NOT NULL")),
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
    response_seconds: float | None = None
    """On a reply of ours that answered a waiting customer: how long they had waited, from
    the first message of theirs that this reply answers, around the clock. None on customer
    messages, on the bot's and on replies that answered nothing new (see `response_times`)."""


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
    """'' (not pushed), pending, synced, failed. Set to pending by `services.leads` whenever
    the stage becomes qualified or later, so the CRM push finds the change."""
    created_at: datetime = Field(index=True)
    updated_at: datetime
    """Moved by every change made through `services.leads` (stage, owner, value, answers)."""
    stage_changed_at: datetime | None = None
    """When the stage last changed (migration 0009)."""
    opted_out_at: datetime | None = None
    """When the customer asked the bot to stop ("stop", "arrête"): no flow, no reminder."""


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
    __table_args__ = (Index("ix_ugc_state", "state", "requested_at"),)
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int = Field(foreign_key="conversation.id", index=True)
    message_id: int | None = Field(default=None, foreign_key="message.id")
    state: str = "requested"
    """requested, granted, refused, revoked. A grant whose `usage_until` has passed is shown
    as expired; the row keeps saying granted, so the record of the consent stays as given."""
    requested_at: datetime
    answered_at: datetime | None = None
    # Origin, usage window and credit (migration 0015).
    platform: str = ""
    origin_kind: str = ""
    """comment, dm or mention: where the customer shared the content."""
    origin_id: str = ""
    """The platform's id of the message or post that shared it."""
    origin_url: str = ""
    """Its public address when the platform gave one (a post's permalink, an X status)."""
    media: list[dict[str, str]] = Field(default_factory=list,
                                        sa_column=Column(JSON, nullable=False))
    """The images and videos shared: `type`, `id` and `url` as the platform gave them."""
    creator: str = ""
    """The creator's @handle (else name) on the platform, as the request found it."""
    credit: str = ""
    """How the creator is credited when the content is used: their answer's wording ("credit
    @lea.photo") when they asked for one, else their @handle or name."""
    usage_from: datetime | None = None
    usage_until: datetime | None = None
    """The consented usage window: from the yes, for flows.toml's `[ugc] usage_months`."""
    revoked_at: datetime | None = None
    """When the creator withdrew the consent (the state is then revoked)."""


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


class SlaAlert(SQLModel, table=True):
    """An SLA warning or breach the sweeper acted on, one per conversation and due time.

    Added by the workers (migration 0007). The unique key is what makes the sweeper act once
    per breach: a reply that is due again later (the customer wrote again) has a new due time,
    hence a new alert. No foreign key, so tools that empty the workflow tables are not blocked.
    """

    __tablename__ = "sla_alert"
    __table_args__ = (
        UniqueConstraint("conversation_id", "kind", "due_at", name="uq_sla_alert"),
    )
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int
    kind: str = Field(max_length=16)
    """warning (due soon) or breach (past due)."""
    due_at: datetime
    at: datetime
    escalate_to: str = Field(default="", max_length=16)
    """For a breach, the role the conversation is being escalated to; '' once done (or for
    nothing to do), so a sweeper stopped half-way finishes the escalation next run."""


class CrmOutbox(SQLModel, table=True):
    """A lead's change waiting to reach a CRM target (HubSpot, a signed webhook).

    Added by the CRM push (migration 0008). One row per (lead, target, change): a change is a
    new `payload_hash` of the lead's fields (stage, contact details, value...), so a lead is
    pushed once per change however often the push runs. The payload itself (lead, contact,
    transcript) is built when the row is sent, so a retry carries the thread as it is then.
    `delivery_id` is made with the row and stays the same across retries: the webhook sends
    it as `webhook-id`, HubSpot as the write trace id, so receivers can deduplicate. While a
    row is `sending`, `next_attempt_at` holds its lease. No foreign keys, as for notes.
    """

    __tablename__ = "crm_outbox"
    __table_args__ = (
        Index("ix_crm_outbox_lead", "lead_id", "target", "id"),
        Index("ix_crm_outbox_due", "state", "next_attempt_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    lead_id: int
    conversation_id: int
    """The lead's conversation, for the audit trail."""
    target: str = Field(max_length=32)
    """hubspot or webhook."""
    payload_hash: str = Field(max_length=64)
    """Digest of the lead's fields that make a change worth pushing."""
    state: str = Field(default="queued", max_length=16)
    """queued, sending, sent, failed, skipped (the target cannot take this lead), superseded
    (a newer change of the lead went out instead)."""
    attempts: int = 0
    next_attempt_at: datetime | None = None
    delivery_id: str = Field(unique=True, max_length=64)
    remote_id: str = ""
    """The CRM's id of the record written (the HubSpot contact id)."""
    note_id: str = ""
    """The HubSpot note that carries the transcript, once created (never created twice)."""
    last_error: str = _text(nullable=False, default="")
    created_at: datetime
    updated_at: datetime
    sent_at: datetime | None = None


class QualifierState(SQLModel, table=True):
    """Where a conversation's qualifier flow stands (flows.toml): one row per flow started.

    Added by the leads work (migration 0009). The flow talks in `conversation_id`: it starts
    where the rule fired (often a public comment, answered by a private reply) and follows the
    customer into their DM thread (`origin_conversation_id` keeps where it began). No foreign
    keys, like notes: tools that empty the workflow tables must not be blocked by it.
    """

    __tablename__ = "qualifier_state"
    __table_args__ = (
        Index("ix_qualifier_conversation", "conversation_id", "status"),
        Index("ix_qualifier_contact", "contact_id", "status"),
        Index("ix_qualifier_started", "started_at"),
        Index("ix_qualifier_origin", "origin_conversation_id"),
    )
    id: int | None = Field(default=None, primary_key=True)
    conversation_id: int
    origin_conversation_id: int
    lead_id: int | None = None
    contact_id: int | None = None
    platform: str = Field(default="", max_length=32)
    flow: str = Field(max_length=64)
    """The flow's id in flows.toml."""
    lang: str = Field(default="en", max_length=8)
    tone: str = Field(default="warm", max_length=16)
    """warm, playful or formal: the greeting matched to the post."""
    step: int = 0
    """Index of the question waiting for an answer."""
    status: str = Field(default="active", max_length=16)
    """active, done (closing offer sent), sales (routed to sales), handoff, stopped (opt-out)."""
    asked: int = 0
    """Questions the bot asked, retries included (the budget of flows.toml)."""
    retries: int = 0
    """Times the current question was asked again after an unclear answer."""
    off_script: int = 0
    """Answers that were not answers (unclear or off-script), over the whole flow."""
    answers: dict[str, Any] = _json()
    end_reason: str = ""
    started_at: datetime
    updated_at: datetime
    ended_at: datetime | None = None


class OutboxQuickReply(SQLModel, table=True):
    """Quick-reply options of a bot question, for platforms that show them as buttons.

    Added by the leads work (migration 0009); keyed by the outbox row, so a connector that
    supports quick replies (Instagram, Messenger) attaches them when it sends the message, and
    one that does not (X) writes them as numbered options.
    """

    __tablename__ = "outbox_quick_reply"
    outbox_id: int = Field(primary_key=True)
    options: list[Any] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    """Buttons as {"title", "payload"}; rows written before payloads are plain titles."""


# -- KPIs, reports and alerts (migration 0010) ------------------------------------------------


class CampaignResult(SQLModel, table=True):
    """What a campaign cost and brought in over a period, imported from the marketing CSV.

    Added for KPIs and reports (migration 0010). Spend, creator fees, impressions and revenue
    live outside the platforms' message APIs, so the team imports them
    (`workstation campaigns import`); importing the same campaign, platform and period again
    replaces the row. Amounts are in the team's currency, as floats: reports round them.
    """

    __tablename__ = "campaign_result"
    __table_args__ = (
        UniqueConstraint("campaign", "platform", "period_start", "period_end",
                         name="uq_campaign_period"),
        Index("ix_campaign_result_period", "period_start"),
    )
    id: int | None = Field(default=None, primary_key=True)
    campaign: str = Field(max_length=128)
    """The campaign slug, as posts and conversations carry it (UTM tag)."""
    platform: str = Field(default="", max_length=32)
    """'' when the row covers every platform."""
    kind: str = Field(default="paid", max_length=16)
    """paid, organic, ugc or influencer."""
    creator: str = Field(default="", max_length=128)
    """The creator or influencer paid, for ugc and influencer campaigns."""
    period_start: date
    period_end: date
    """Last day included."""
    spend: float = 0.0
    creator_fees: float = 0.0
    impressions: int = Field(default=0, sa_type=BigInteger)
    reach: int = Field(default=0, sa_type=BigInteger)
    likes: int = Field(default=0, sa_type=BigInteger)
    comments: int = Field(default=0, sa_type=BigInteger)
    shares: int = Field(default=0, sa_type=BigInteger)
    revenue: float = 0.0
    """Revenue attributed to the campaign."""
    customers: int | None = None
    """Customers attributed to the campaign; None: count the store's leads that became ones."""
    promo_code: str = Field(default="", max_length=64)
    redemptions: int = 0
    """Times the promo code was used at checkout."""
    source: str = _text(nullable=False, default="")
    line_no: int = 0
    imported_at: datetime


class Alert(SQLModel, table=True):
    """A reputation alert: a spike, a surge, an influencer's mention or a watched keyword.

    Added for KPIs and reports (migration 0010). `key` makes detection idempotent: scanning
    twice over the same messages raises nothing new. `conversation_ids` are the threads behind
    it, newest first, so an agent can jump to them.
    """

    __table_args__ = (
        Index("ix_alert_raised", "raised_at"),
        Index("ix_alert_kind_scope", "kind", "scope", "raised_at"),
    )
    id: int | None = Field(default=None, primary_key=True)
    kind: str = Field(max_length=32)
    """sentiment_spike, volume_surge, influencer or keyword."""
    key: str = Field(max_length=255, unique=True)
    scope: str = Field(default="", max_length=64)
    """The platform concerned ('' for all), or the keyword."""
    severity: str = Field(default="warning", max_length=16)
    """info, warning or critical."""
    title: str = _text(nullable=False, default="")
    details: dict[str, Any] = _json()
    conversation_ids: list[int] = Field(default_factory=list, sa_column=Column(JSON,
                                                                              nullable=False))
    raised_at: datetime
    window_start: datetime
    window_end: datetime
    webhook_state: str = Field(default="", max_length=16)
    """'' (no webhook), pending, sent, failed (tried again later) or refused (a 4xx)."""
    webhook_attempts: int = 0
