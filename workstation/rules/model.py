"""The team's policy once loaded: plain frozen values the pipeline reads, nothing to parse."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from collections.abc import Callable
from pathlib import Path
from typing import Any

from workstation.priority import Priority
from workstation.signals.lexicon import Lexicon
from workstation.sla import Calendar, SlaPolicy

INTENTS = ("purchase", "shipping", "refund", "complaint", "warranty", "safety", "legal",
           "praise", "question", "ugc", "partnership")
"""The contract's base taxonomy; rules.toml may add intents of its own."""
CATEGORIES = ("spam", "profanity", "hate", "harassment", "threat", "doxxing", "pii_self")
VERDICTS = ("allow", "review", "hide", "delete", "ban")
ROLES = ("bot", "agent", "senior", "supervisor")
PLATFORMS = ("instagram", "facebook", "x", "linkedin", "tiktok", "youtube")
KINDS = ("comment", "dm", "mention")


CUE = "\x00"
"""First character of the labels of non-intent words in `RuleSet.matchers`."""


def cue_label(kind: str) -> Callable[[str], str]:
    """Relabel a word list's labels as cues of `kind` (`neg`, `anger`, `confusion`, `rule`)."""
    return lambda label: f"{CUE}{kind}:{label}"


def combine(ruleset: RuleSet) -> dict[str, Lexicon]:
    """The one-pass matchers of a rule set (see `RuleSet.matchers`)."""
    languages = {code for code in ruleset.lexicons if code != "any"}
    matchers: dict[str, Lexicon] = {}
    for lang in (*sorted(languages), "*"):
        matcher = Lexicon()
        sources = [lang] if lang != "*" else sorted(languages)
        for code in (*sources, "any"):
            if code in ruleset.lexicons:
                matcher.absorb(ruleset.lexicons[code], lambda label: label)
        if lang in ruleset.negation:
            matcher.absorb(ruleset.negation[lang], cue_label("neg"))
        for kind, cues in (("anger", ruleset.anger), ("confusion", ruleset.confusion)):
            if lang in cues:
                matcher.absorb(cues[lang].words, cue_label(kind))
        matcher.absorb(ruleset.rule_words, cue_label("rule"))
        matchers[lang] = matcher
    return matchers


@dataclass(frozen=True)
class Route:
    """Where a message goes: the escalation matrix's answer for one intent."""

    role: str = "agent"
    priority: Priority = Priority.NORMAL
    sla: str = ""
    escalate: str = ""
    """Why it is escalated; empty when it is not."""


@dataclass(frozen=True)
class IntentDef:
    """An intent of the taxonomy with its words."""

    name: str
    description: str = ""
    fallback: bool = False
    """Only kept when no other intent (praise aside) was found."""
    threshold: float = 1.0
    weight: float = 1.0
    """How much its score counts when ranking the intents of a message (not for `threshold`)."""


@dataclass(frozen=True)
class Conditions:
    """The `when` of a rule; None means "any"."""

    platform: frozenset[str] | None = None
    kind: frozenset[str] | None = None
    lang: frozenset[str] | None = None
    campaign: frozenset[str] | None = None
    intent: frozenset[str] | None = None
    primary_intent: frozenset[str] | None = None
    no_intent: bool | None = None
    category: frozenset[str] | None = None
    sentiment_below: float | None = None
    sentiment_above: float | None = None
    words: bool = False
    """The rule has keywords, fuzzy terms or a regex (matched in `RuleSet.rule_words`)."""
    followers_at_least: int | None = None
    followers_below: int | None = None
    verified: bool | None = None
    vip: bool | None = None
    banned: bool | None = None
    exchanges_at_least: int | None = None
    messages_at_least: int | None = None
    first_message: bool | None = None
    business_hours: bool | None = None
    calendar: str = ""
    since_last_reply_over: timedelta | None = None
    angry: bool | None = None
    confused: bool | None = None


@dataclass(frozen=True)
class Action:
    """One thing a rule does: `{"do": name, "value": value}` in a verdict."""

    do: str
    value: Any

    def to_json(self) -> dict[str, Any]:
        """The contract's action shape."""
        value = self.value
        if isinstance(value, timedelta):
            value = int(value.total_seconds())
        return {"do": self.do, "value": value}


@dataclass(frozen=True)
class Rule:
    name: str
    when: Conditions
    actions: tuple[Action, ...]
    stop: bool = False
    line: int = 0


@dataclass(frozen=True)
class ModerationPolicy:
    verdicts: dict[str, str]
    private_ok: frozenset[str] = frozenset()
    removal_reason: dict[str, str] = field(default_factory=dict)
    appeal: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True)
class Cues:
    """Anger or confusion: words, and for anger a sentiment floor and shouting."""

    words: Lexicon
    sentiment_below: float | None = None
    caps_words: int | None = None


@dataclass(frozen=True)
class RuleSet:
    """rules.toml, validated and compiled."""

    path: Path
    vip_followers: int
    vip_verified: bool
    intents: dict[str, IntentDef]
    lexicons: dict[str, Lexicon]
    """Per language (and `any`), every intent's words in one matcher."""
    negation: dict[str, Lexicon]
    negation_window: int
    negation_breaks: frozenset[str]
    moderation: ModerationPolicy
    anger: dict[str, Cues]
    confusion: dict[str, Cues]
    calendars: dict[str, Calendar]
    sla: dict[str, SlaPolicy]
    default_sla: str
    routes: dict[str, Route]
    default_route: Route
    auto_assign: frozenset[str]
    """Roles whose conversations are assigned to an agent automatically."""
    rules: tuple[Rule, ...]
    rule_words: Lexicon
    """Every rule's keywords in one matcher; a hit's label is the rule's index."""
    guardrails: dict[str, Any] = field(default_factory=dict)
    """The `[guardrails]` table, validated by the replies engine."""
    matchers: dict[str, Lexicon] = field(default_factory=dict)
    """Per language (`*` for any other), every word list above in one matcher, so that a
    message is read once: intent words keep their labels; cues and rule keywords are
    labelled with a leading `CUE` character (see `cue_label`)."""
    negation_spares: frozenset[str] = frozenset()
    """Intents a negation cue never cancels ("no complaints, love it" is still praise)."""
    gates: Any = field(default=None, compare=False, repr=False)
    """The rules indexed by what each needs (`rules.evaluate.Gates`), built on first use."""

    def is_vip(self, followers: int, verified: bool) -> bool:
        """Whether an author counts as a VIP under the policy's thresholds."""
        return followers >= self.vip_followers or (self.vip_verified and verified)
