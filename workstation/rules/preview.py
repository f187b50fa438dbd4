"""What a new rule would catch: its blast radius over the recent inbox, before it is saved.

The rule is judged by the code that applies it at ingest, on the rule set the new file would
give: the rules' word matcher (`RuleSet.rule_words`) for its words, `evaluate.holds` for its
conditions, `evaluate.decide` for whether it would run at all (a rule above it with
`stop = true` may fire first). Each message is read with the signals triage stored for it
(language, sentiment, intents, moderation categories) and its author's followers; what the
store does not keep (anger and confusion cues, the thread's state at the time) counts as
absent, so the "stopped by" figures of rules on those are estimates.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass
from datetime import datetime

from workstation.events import Author, Event
from workstation.rules.evaluate import Context, decide, holds
from workstation.rules.model import RuleSet
from workstation.signals.lexicon import normalise

EXAMPLES = 5
"""Messages shown as examples of what the rule catches."""


@dataclass(frozen=True, slots=True)
class SampleMessage:
    """A recent customer message, with what triage stored about it."""

    id: int
    conversation_id: int
    platform: str
    kind: str
    text: str
    lang: str
    sentiment: float
    intents: tuple[str, ...]
    categories: tuple[str, ...]
    followers: int
    verified: bool
    created_at: datetime


@dataclass(frozen=True, slots=True)
class Preview:
    """How many recent messages the rule's conditions hold for, and what it would do there."""

    scanned: int
    """Recent customer messages read."""
    matched: int
    """Messages whose every condition of the new rule holds."""
    fired: int
    """Of those, the ones on which the rule would run (no rule above stopped first)."""
    stopped_by: tuple[tuple[str, int], ...]
    """Rules above with `stop = true` that would fire first, with how many times."""
    examples: tuple[SampleMessage, ...]
    """A few matched messages, newest first."""


def preview(ruleset: RuleSet, name: str, sample: tuple[SampleMessage, ...],
            *, examples: int = EXAMPLES) -> Preview:
    """Run the rule `name` of `ruleset` over `sample` as ingest would.

    Args:
        ruleset: the rules the new file gives (the new rule among them).
        name: the new rule's name.
        sample: recent customer messages, newest first.
        examples: how many matched messages to keep.

    Raises:
        KeyError: `ruleset` has no rule `name`.
    """
    index = next((i for i, r in enumerate(ruleset.rules) if r.name == name), None)
    if index is None:
        raise KeyError(name)
    rule = ruleset.rules[index]
    matched: list[SampleMessage] = []
    fired = 0
    stopped: Counter[str] = Counter()
    words = ruleset.rule_words
    for message in sample:
        found = {int(hit.label) for hit in words.find(normalise(message.text))}
        if rule.when.words and index not in found:
            continue  # the cheap test first: most messages lack the words
        ctx = _context(ruleset, message, frozenset(found))
        if not holds(rule.when, ctx, ruleset, index):
            continue
        matched.append(message)
        decision = decide(ruleset, ctx)
        if name in decision.fired:
            fired += 1
        else:
            last = decision.fired[-1] if decision.fired else "?"
            stopped[last] += 1
    return Preview(len(sample), len(matched), fired, tuple(stopped.most_common()),
                   tuple(matched[:examples]))


def _context(ruleset: RuleSet, message: SampleMessage, words: frozenset[int]) -> Context:
    author = Author(id="", followers=message.followers, verified=message.verified)
    event = Event(platform=message.platform, kind=message.kind, id=str(message.id),
                  author=author, text=message.text, created_at=message.created_at,
                  lang=message.lang or None)
    return Context(event, message.lang, message.sentiment, message.intents,
                   message.categories, ruleset.is_vip(message.followers, message.verified),
                   False, False, words)
