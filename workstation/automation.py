"""What triage does on its own once a message is stored: the side effects of rules.toml actions.

Moderation (hide, delete, ban) is queued in the outbox for the platform connectors, and the
message is marked at once so the team sees it hidden; the bot's replies are queued as drafts
whose text the workers write before sending; leads, follow-up reminders,
assignments, review flags and escalations are written directly. Every effect leaves an
audit event by the bot, in the batch's transaction. Effects are collected message by message
and written together by `flush`, a few statements per batch.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, select, update

from workstation import audit, bulk, platform_rules
from workstation.events import Event
from workstation.models import (
    ActorKind, Agent, Contact, Lead, LeadStage, Outbox, OutboxState, Reminder,
)
from workstation.pipeline import Verdict
from workstation.routing import Router
from workstation.rules.model import RuleSet

if TYPE_CHECKING:
    from workstation.leads.reading import Reading

ACTOR = "triage"
_OUTBOX = Outbox.__table__  # type: ignore[attr-defined]
_REMINDER = Reminder.__table__  # type: ignore[attr-defined]
_PLATFORM_ACTIONS = ("hide", "delete", "ban")


AUTO_REPLY_COOLDOWN = timedelta(hours=12)
"""How long an automatic reply is not sent again into the same conversation."""


class Automation:
    """Collects the effects of a batch's verdicts, then writes them."""

    def __init__(self, conn: Connection, rules: RuleSet, now: datetime) -> None:
        self.conn = conn
        self.rules = rules
        self.now = now
        self.outbox: list[dict[str, Any]] = []
        self.audit: list[dict[str, Any]] = []
        self.reminders: list[dict[str, Any]] = []
        self.leads: dict[int, dict[str, Any]] = {}
        self.banned: set[int] = set()
        self.drafted: dict[tuple[int, str], tuple[str, str]] = {}
        """(conversation, template) → (rule action, message) of the bot's replies to draft."""
        self.router = Router(conn, now)
        self._agents: dict[str, int | None] = {}
        from workstation.leads.hook import LeadHook  # here: leads imports the workers

        self.qualifier = LeadHook(conn, now, frozenset(rules.auto_assign))
        """Qualifier flows, opt-outs, lead reminders, UGC and attribution (workstation.leads)."""
        self._x_owned: dict[str, bool] = {}
        """X posts asked about: whether each is the brand's (`platform_rules.brand_posts`)."""
        self._x_expected: set[str] = set()

    def expect(self, events: Iterable[Event]) -> None:
        """Note the events about to be collected, so that whether their X conversations are
        the brand's is asked once for all of them, not once per message hidden."""
        self._x_expected.update(
            platform_rules.x_start(e.parent or "", str(e.extra.get("conversation_id") or ""))
            for e in events if e.platform == "x" and e.kind != "dm")

    def collect(self, state: dict[str, Any], event: Event, verdict: Verdict,
                contact: int | None, *, angry: bool = False, confused: bool = False,
                reading: Reading | None = None) -> None:
        """Note the effects of one customer message's verdict on its conversation `state`;
        `angry` and `confused` are what its text says, `reading` what the leads work found
        in its words (`leads.reading.read`)."""
        conv = state["id"]
        self.qualifier.note(conv, contact, event, verdict, angry=angry, confused=confused,
                            reading=reading)
        if verdict.escalate and not state["escalated"]:
            self._audit("conversation.escalated", conv, role=verdict.role, reason=verdict.reason)
        if (state["assignee_id"] is None and verdict.role in self.rules.auto_assign
                and not any(a["do"] == "assign" for a in verdict.actions)):
            agent = self.router.pick(verdict.role, verdict.lang)
            if agent is not None:
                state["assignee_id"] = agent
                self._audit("conversation.assigned", conv, agent_id=agent, role=verdict.role,
                            by="round robin")
        for action in verdict.actions:
            do, value = action["do"], action["value"]
            if do in _PLATFORM_ACTIONS:
                self._platform(do, event, conv, verdict)
                if do == "ban" and contact is not None:
                    self.banned.add(contact)
            elif do == "review":
                self._audit("conversation.flagged", conv, reason=value)
            elif do == "assign":
                agent = self._agent(value)
                if agent is not None and state.get("assignee_id") != agent:
                    state["assignee_id"] = agent
                    self._audit("conversation.assigned", conv, agent=value)
            elif do == "lead" and conv not in self.leads:
                self.leads[conv] = {
                    "conversation_id": conv, "contact_id": contact, "stage": LeadStage.NEW.value,
                    "source_platform": event.platform, "post_id": state["post_id"],
                    "campaign": state["campaign"], "promo_codes": " ", "answers": {},
                    "value": 0.0, "crm_id": "", "crm_state": "", "created_at": self.now,
                    "updated_at": self.now,
                }
            elif do in ("reply", "dm", "qualifier") and not self.qualifier.handles(do, value):
                if (conv, value) not in self.drafted:  # two messages in a row: one answer
                    self.drafted[conv, value] = (do, event.id)
                    self._outbox(do, event, conv, channel="public" if do == "reply" else "dm",
                                 template=value)
            elif do == "remind":
                due = event.created_at + timedelta(seconds=value)
                self.reminders.append({"conversation_id": conv, "lead_id": None,
                                       "kind": "follow-up", "due_at": due, "state": "pending",
                                       "attempts": 0, "created_at": self.now})
                self._audit("reminder.scheduled", conv, due=due.isoformat())

    def flush(self, first: list[dict[str, Any]] | None = None) -> None:
        """Write everything collected for the batch; `first`: audit events of the batch that
        go into the trail before the automation's (conversations opened)."""
        if self.drafted:
            self._drop_repeated_replies()
        if self.outbox:
            bulk.insert(self.conn, _OUTBOX, self.outbox, ignore_conflicts=True, fill=True)
        if self.banned:
            contacts = Contact.__table__  # type: ignore[attr-defined]
            self.conn.execute(update(contacts).where(contacts.c.id.in_(self.banned))
                              .values(banned=True))
        if self.leads:
            leads = Lead.__table__  # type: ignore[attr-defined]
            known = set(self.conn.execute(
                select(leads.c.conversation_id).where(leads.c.conversation_id.in_(self.leads))
            ).scalars())
            fresh = [row for conv, row in self.leads.items() if conv not in known]
            if fresh:
                self.conn.execute(leads.insert(), fresh)
                for row in fresh:
                    self._audit("lead.created", row["conversation_id"], stage=row["stage"],
                                campaign=row["campaign"])
        if self.reminders:
            bulk.insert(self.conn, _REMINDER, self.reminders, fill=True)
        self.router.flush()
        # One link of the hash chain for the whole batch; the leads work, which audits as it
        # goes, follows.
        audit.record_many(self.conn, [*(first or ()), *self.audit])
        self.qualifier.flush()

    def _drop_repeated_replies(self) -> None:
        # The same automatic reply twice in a conversation reads as a broken bot (and Meta
        # allows one private reply per comment): within the cooldown, the first one stands.
        table = Outbox.__table__  # type: ignore[attr-defined]
        o = table.c
        convs = {conv for conv, _ in self.drafted}
        recent = {tuple(row) for row in self.conn.execute(
            select(o.conversation_id, o.template_id).where(
                o.conversation_id.in_(convs), o.author_kind == "bot", o.template_id != "",
                o.created_at >= self.now - AUTO_REPLY_COOLDOWN,
                o.state != OutboxState.CANCELLED.value))}
        if recent:
            self.outbox = [row for row in self.outbox
                           if (row["conversation_id"], row["template_id"]) not in recent]
        for (conv, template), (do, message) in self.drafted.items():
            if (conv, template) not in recent:
                self._audit("reply.drafted", conv, template=template, rule_action=do,
                            message=message)

    def _outbox(self, do: str, event: Event, conv: int, *, channel: str,
                template: str = "") -> None:
        # A reply is a draft: its text is written by the workers (services.replies
        # .compose_drafts), so that rendering never slows a large ingest down.
        self.outbox.append({
            "conversation_id": conv, "reply_to_external_id": event.id, "channel": channel,
            "text": "", "author_kind": "bot", "agent_id": None,
            "idempotency_key": f"auto:{do}:{event.platform}:{event.id}"[:128],
            "state": OutboxState.DRAFT.value if template else OutboxState.QUEUED.value,
            "attempts": 0, "last_error": "", "next_attempt_at": None, "external_id": "",
            "template_id": template, "created_at": self.now, "sent_at": None,
        })

    def _platform(self, do: str, event: Event, conv: int, verdict: Verdict) -> None:
        # No platform hides a private message: a DM is hidden in the inbox only. Neither
        # does X hide a post outside our own conversations, nor delete one not ours.
        refusal = self._x_refusal(do, event)
        on_platform = not (do == "hide" and event.kind == "dm") and not refusal
        if on_platform:
            self._outbox(do, event, conv, channel=do)
        action = {"hide": "message.hidden", "delete": "message.deleted",
                  "ban": "contact.banned"}[do]
        extra = {"platform_refusal": refusal} if refusal else {}
        self._audit(action, conv, message=event.id, categories=list(verdict.categories),
                    rules=list(verdict.rules), on_platform=on_platform, **extra)

    def _x_refusal(self, do: str, event: Event) -> str:
        if event.platform != "x" or event.kind == "dm" or do not in ("hide", "delete"):
            return ""
        parent, root = event.parent or "", str(event.extra.get("conversation_id") or "")
        start = platform_rules.x_start(parent, root)
        if start not in self._x_owned:
            # The batch's messages are stored after all are collected, so one question for
            # every post expected reads what a question per message would.
            asked = self._x_expected - self._x_owned.keys() | {start}
            owned = platform_rules.brand_posts(self.conn, asked)
            self._x_owned.update((post, post in owned) for post in asked)
            self._x_expected.clear()
        ours = {start} if self._x_owned[start] else set()
        if event.post is not None:
            ours.add(event.post.id)  # the post a mention sits under is ours (the contract)
        return platform_rules.x_refusal(do, parent=parent, root=root, ours=ours)

    def _agent(self, name: str) -> int | None:
        if name not in self._agents:
            agents = Agent.__table__  # type: ignore[attr-defined]
            self._agents[name] = self.conn.execute(
                select(agents.c.id).where(agents.c.name == name, agents.c.active)
            ).scalar_one_or_none()
        return self._agents[name]

    def _audit(self, action: str, conv: int, **details: Any) -> None:
        self.audit.append(audit.entry(action, actor=ACTOR, actor_kind=ActorKind.BOT,
                                      conversation_id=conv, at=self.now, details=details))
