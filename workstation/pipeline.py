"""The triage pipeline: an event in, a verdict out, nothing stored.

Two steps. `signals` reads the text (language, sentiment, intents, moderation categories,
anger, which rule keywords match): the costly part, pure, picklable, run in worker processes
for large files. `decide` applies the policy of rules.toml to those signals and to what the
store knows of the thread: cheap, run where the thread state is. `run` does both for a
message on its own (`workstation triage`).
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from workstation.clock import iso
from workstation.events import Author, Event
from workstation.frozen import quick_init
from workstation.priority import Priority
from workstation.rules import RuleSet, load_rules
from workstation.rules.evaluate import Context, Thread, decide
from workstation.rules.model import CUE
from workstation.signals import intents as intent_signal
from workstation.signals import language, moderation, sentiment
from workstation.signals.lexicon import Hit, normalise
from workstation.sla import SlaPolicy

_CAPS_MIN = 4
_WARM_TEXTS = (
    "THANKS!!! The grinder arrived broken, no refund yet 😡 you idiot, call me on 06 12 34 56 78 "
    "or mail me at someone@example.com, see http://example.com #fail",
    "Merci ! La machine est arrivée cassée, toujours pas de remboursement, c'est nul 😍 prix ?",
    "subscribe to my channel, free giveaway, check it out",
)
"""Texts that reach every signal's tables (`Pipeline.warm`); their verdicts are dropped."""
_SEEN_MAX = 20_000
"""Texts whose signals a pipeline remembers; past this it starts afresh."""
_SEEN_TEXT = 280
"""Longer texts are not remembered: repeats are short ("prix ?", "😍😍", a spam line)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Signals:
    """What the text says, before any policy."""

    lang: str
    sentiment: float
    intents: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()
    angry: bool = False
    confused: bool = False
    words: frozenset[int] = frozenset()
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)
    """Words behind each intent and category, for explanations."""


@quick_init
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
    role: str = "agent"
    escalate: bool = False
    reason: str = ""
    rules: tuple[str, ...] = ()
    actions: tuple[dict[str, Any], ...] = ()
    tags: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        """The verdict in the contract's JSON shape (plus `tags`)."""
        return {
            "id": self.id,
            "lang": self.lang,
            "sentiment": {"label": sentiment.label(self.sentiment),
                          "score": round(self.sentiment, 4)},
            "intents": list(self.intents),
            "moderation": {"verdict": self.moderation, "categories": list(self.categories)},
            "priority": self.priority.name.lower(),
            "sla": {"policy": self.sla_policy, "first_response_due": iso(self.first_response_due)},
            "route": {"role": self.role, "escalate": self.escalate, "reason": self.reason},
            "rules": list(self.rules),
            "actions": [dict(a) for a in self.actions],
            "tags": list(self.tags),
        }


class Pipeline:
    """Runs the signals and the policy over events."""

    def __init__(self, rules: RuleSet | None = None) -> None:
        self.rules = rules or load_rules()
        self._seen: dict[tuple[str, str | None, bool], Signals] = {}
        self._seen_rules = self.rules

    def is_vip(self, author: Author) -> bool:
        """Whether an author counts as a VIP under the policy's thresholds."""
        return self.rules.is_vip(author.followers, author.verified)

    def policy(self, name: str) -> SlaPolicy:
        """An SLA policy by name, the default one for an unknown name."""
        return self.rules.sla.get(name) or self.rules.sla[self.rules.default_sla]

    def response_due(self, policy: str, since: datetime, *, first: bool,
                     platform: str = "") -> datetime:
        """When a reply owed since `since` is due under the SLA policy `policy`."""
        return self.policy(policy).due(since, first=first, platform=platform)

    def signals(self, event: Event) -> Signals:
        """Read the text of an event (of an inbound one: all of it; outbound: its language).

        Signals depend on the text, the language hint, the direction and the rules only, so
        those of a short text met before are reused: an inbox repeats itself ("prix ?",
        "😍", a spam wave). Distinct texts gain nothing and lose nothing measurable.
        """
        if self._seen_rules is self.rules:
            found = self._seen.get((event.text, event.lang, event.direction == "out"))
            if found is not None:
                return found
        return self.signals_many((event,))[0]

    def signals_many(self, events: Sequence[Event]) -> list[Signals]:
        """`signals` of each event, in order, read stage by stage.

        Each signal runs over every text of the run before the next starts (all languages,
        then all sentiments, then the matcher, moderation...): the same results as reading
        the events one by one, about a third less CPU on texts that all differ, because each
        stage's code and tables (lexicons, model weights) stay in the processor's caches
        instead of being evicted by the other stages at every event.
        """
        if self._seen_rules is not self.rules:  # new rules: what was read no longer holds
            self._seen.clear()
            self._seen_rules = self.rules
        seen = self._seen
        keys = [(e.text, e.lang, e.direction == "out") for e in events]
        known: dict[tuple[str, str | None, bool], Signals] = {}
        missing: dict[tuple[str, str | None, bool], Event] = {}
        for key, event in zip(keys, events, strict=True):
            if key not in known and key not in missing:
                found = seen.get(key)
                if found is None:
                    missing[key] = event
                else:
                    known[key] = found
        if missing:
            for key, found in zip(missing, self._read_many(list(missing.values())),
                                  strict=True):
                known[key] = found
                if len(key[0]) <= _SEEN_TEXT:
                    if len(seen) >= _SEEN_MAX:
                        seen.clear()
                    seen[key] = found
        return [known[key] for key in keys]

    def _read_many(self, events: list[Event]) -> list[Signals]:
        langs = [language.detect(e.text, e.lang) for e in events]
        out = [Signals(lang=lang, sentiment=0.0) for lang in langs]
        inbound = [i for i, e in enumerate(events) if e.direction != "out"]
        if not inbound:
            return out
        texts = [events[i].text for i in inbound]
        langs = [langs[i] for i in inbound]
        messages = list(map(normalise, texts))
        scores = list(map(sentiment.score, texts, langs))
        rules = self.rules
        matchers = rules.matchers
        hits = [list((matchers.get(lang) or matchers["*"]).find(message))
                for lang, message in zip(langs, messages, strict=True)]
        flags = list(map(moderation.detect, texts, langs))
        for i, text, lang, message, score, found_hits, flagged in zip(
                inbound, texts, langs, messages, scores, hits, flags, strict=True):
            words: list[Hit] = []
            cues: dict[str, list[Hit]] = {"neg": [], "anger": [], "confusion": []}
            rule_hits: list[int] = []
            for hit in found_hits:
                if hit.label[:1] == CUE:
                    kind, _, label = hit.label[1:].partition(":")
                    if kind == "rule":
                        rule_hits.append(int(label))
                    else:
                        cues[kind].append(hit)
                else:
                    words.append(hit)
            found = intent_signal.detect(message, rules, words, cues["neg"])
            anger = rules.anger.get(lang)
            angry = anger is not None and (
                bool(cues["anger"])
                or (anger.sentiment_below is not None and score < anger.sentiment_below)
                or (anger.caps_words is not None and _shouted(text) >= anger.caps_words)
            )
            evidence = dict(found.evidence)
            evidence.update(flagged.evidence)
            out[i] = Signals(lang, score, found.names, flagged.categories, angry,
                             bool(cues["confusion"]), frozenset(rule_hits), evidence)
        return out

    def warm(self) -> None:
        """Load every table the signals and the policy build on first use (VADER's lexicon,
        the models, the matchers' indexes, the rules' gates) by reading a few texts in each
        language of the rules, remembering none of them.

        A parent calls this before forking its workers, so they share the tables instead of
        each building its own.
        """
        when = datetime(2026, 1, 5, 10, tzinfo=UTC)
        hints = [None, "en", "fr", *sorted(k for k in self.rules.matchers if k != "*")]
        events = [
            Event(platform="instagram", kind="comment", id="warm", text=text,
                  author=Author(id="warm"), created_at=when, lang=hint)
            for hint in dict.fromkeys(hints) for text in _WARM_TEXTS
        ]
        for event, found in zip(events, self._read_many(events), strict=True):
            self.decide(event, found)

    def decide(self, event: Event, signals: Signals, thread: Thread | None = None) -> Verdict:
        """Apply the policy to an event's signals and its thread's state."""
        return self.decide_alone(event, signals, thread)[0]

    def decide_alone(self, event: Event, signals: Signals, thread: Thread | None = None
                     ) -> tuple[Verdict, bool]:
        """`decide`, and whether the verdict holds whatever the thread's state: no rule that
        reads the thread was tested. Ingest decides in its worker processes, where the store
        is out of reach, and decides again only the messages for which this is False."""
        if event.direction == "out":
            return Verdict(id=event.id, lang=signals.lang, sentiment=0.0,
                           priority=Priority.LOW), True
        thread = thread or Thread()
        ctx = Context(event, signals.lang, signals.sentiment, signals.intents, signals.categories,
                      self.is_vip(event.author), signals.angry, signals.confused, signals.words,
                      thread)
        decision = decide(self.rules, ctx)
        policy = decision.sla or self.rules.default_sla
        return Verdict(
            id=event.id, lang=signals.lang, sentiment=signals.sentiment,
            intents=signals.intents, moderation=decision.moderation,
            categories=signals.categories, priority=decision.priority, sla_policy=policy,
            first_response_due=self.response_due(policy, event.created_at, first=True,
                                                 platform=event.platform),
            role=decision.role, escalate=decision.escalate, reason=decision.reason,
            rules=tuple(decision.fired), actions=tuple(a.to_json() for a in decision.actions),
            tags=tuple(decision.tags),
        ), not decision.read_thread

    def run(self, event: Event, thread: Thread | None = None) -> Verdict:
        """Triage one event."""
        return self.decide(event, self.signals(event), thread)


_ENCODER = json.JSONEncoder(ensure_ascii=False, check_circular=False)
_TEXT = json.encoder.encode_basestring  # a JSON string, as json.dumps(ensure_ascii=False) writes
_PRIORITY_NAMES = {p: p.name.lower() for p in Priority}


def _texts(items: tuple[str, ...]) -> str:
    return "[" + ", ".join(map(_TEXT, items)) + "]" if items else "[]"


def verdict_line(verdict: Verdict) -> str:
    """A verdict as one line of `triage --json`: exactly `json.dumps(verdict.to_json(),
    ensure_ascii=False)` and a newline, written without building the dictionaries (the
    tests compare the two)."""
    v = verdict
    score = round(v.sentiment, 4)
    due = iso(v.first_response_due)
    return "".join((
        '{"id": ', _TEXT(v.id), ', "lang": ', _TEXT(v.lang),
        ', "sentiment": {"label": ', _TEXT(sentiment.label(v.sentiment)),
        ', "score": ', score.__repr__() if score.__class__ is float else _ENCODER.encode(score),
        '}, "intents": ', _texts(v.intents),
        ', "moderation": {"verdict": ', _TEXT(v.moderation),
        ', "categories": ', _texts(v.categories),
        '}, "priority": ', _TEXT(_PRIORITY_NAMES.get(v.priority) or v.priority.name.lower()),
        ', "sla": {"policy": ', _TEXT(v.sla_policy),
        ', "first_response_due": ', "null" if due is None else _TEXT(due),
        '}, "route": {"role": ', _TEXT(v.role),
        ', "escalate": ', "true" if v.escalate else "false",
        ', "reason": ', _TEXT(v.reason),
        '}, "rules": ', _texts(v.rules),
        ', "actions": ', _ENCODER.encode([dict(a) for a in v.actions]) if v.actions else "[]",
        ', "tags": ', _texts(v.tags), "}\n",
    ))


def _shouted(text: str) -> int:
    """Words of four letters or more written in capitals."""
    return sum(1 for word in text[:2000].split()
               if len(word) >= _CAPS_MIN and word.isalpha() and word.isupper())
