"""The triage pipeline: an event in, a verdict out, nothing stored.

Pure and batchable: `ingest` calls it before writing, `workstation triage` prints its
verdicts, and the demo uses it to label what it generates. The policy it applies (SLA
targets, VIP thresholds) is a `Policy`; rules.toml feeds it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from .clock import iso
from .events import Author, Event
from .models import Priority, Role
from .signals import language, sentiment

MODERATION_RANK = {"allow": 0, "review": 1, "hide": 2, "delete": 3, "ban": 4}
"""Moderation verdicts, mildest first: a thread shows the strongest of its messages'."""
ROLE_RANK = {"bot": 0, "agent": 1, "senior": 2, "supervisor": 3, "admin": 4}
"""Roles by seniority: a thread is routed to the most senior role any message needs."""


@dataclass(frozen=True)
class SlaTarget:
    """How fast a thread must be answered: first reply, and each reply after that."""

    first: timedelta
    next: timedelta


@dataclass(frozen=True)
class Policy:
    """The part of the team's policy the pipeline applies."""

    vip_followers: int = 50_000
    vip_verified: bool = True
    default_sla: str = "support"
    sla: dict[str, SlaTarget] = field(
        default_factory=lambda: {"support": SlaTarget(timedelta(hours=4), timedelta(hours=8))}
    )


@dataclass(frozen=True, slots=True)
class Verdict:
    """What triage decided about one message (the contract's verdict)."""

    id: str
    lang: str
    sentiment: float
    intents: tuple[str, ...] = ()
    moderation: str = "allow"
    categories: tuple[str, ...] = ()
    priority: Priority = Priority.NORMAL
    sla_policy: str = ""
    first_response_due: datetime | None = None
    role: str = Role.AGENT.value
    escalate: bool = False
    reason: str = ""
    rules: tuple[str, ...] = ()
    actions: tuple[dict[str, Any], ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The verdict in the contract's JSON shape."""
        return {
            "id": self.id,
            "lang": self.lang,
            "sentiment": {"label": sentiment.label(self.sentiment), "score": round(self.sentiment, 4)},
            "intents": list(self.intents),
            "moderation": {"verdict": self.moderation, "categories": list(self.categories)},
            "priority": self.priority.name.lower(),
            "sla": {"policy": self.sla_policy, "first_response_due": iso(self.first_response_due)},
            "route": {"role": self.role, "escalate": self.escalate, "reason": self.reason},
            "rules": list(self.rules),
            "actions": [dict(a) for a in self.actions],
        }


class Pipeline:
    """Runs the signals and the policy over events."""

    def __init__(self, policy: Policy | None = None) -> None:
        self.policy = policy or Policy()

    def is_vip(self, author: Author) -> bool:
        """Whether an author counts as a VIP under the policy's thresholds."""
        return author.followers >= self.policy.vip_followers or (
            self.policy.vip_verified and author.verified
        )

    def response_due(self, policy: str, since: datetime, *, first: bool) -> datetime:
        """When a reply owed since `since` is due under the SLA policy `policy`."""
        target = self.policy.sla.get(policy) or self.policy.sla[self.policy.default_sla]
        return since + (target.first if first else target.next)

    def run(self, event: Event) -> Verdict:
        """Triage one event."""
        lang = language.detect(event.text, event.lang)
        if event.direction == "out":
            return Verdict(id=event.id, lang=lang, sentiment=0.0, priority=Priority.LOW)
        policy = self.policy.default_sla
        return Verdict(
            id=event.id,
            lang=lang,
            sentiment=sentiment.score(event.text, lang),
            sla_policy=policy,
            first_response_due=self.response_due(policy, event.created_at, first=True),
        )
