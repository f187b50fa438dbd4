"""What a customer wants: the intents of a message, from the lexicons of rules.toml.

Words are matched per language (the message's, plus terms written for `any`). A negation cue
("no need to", "pas besoin de") cancels its own words and the intent words that follow it,
except those of the intents listed in `[negation] spares`; an intent's `unless` words ("jk",
"le fruit") veto that intent for the whole message. Each intent adds the weights of the terms
found (1 a word, 2 a `strong` one, 0.5 a `weak` one), each word of the message counting once
per intent (the longest term covering it: "toujours pas reçu" is one piece of evidence, not
three). Intents reaching their threshold are kept, ranked by score times the intent's
`weight`, ties going to the intent written first in the file (the most serious). A fallback
intent (`question`) is kept only when no other intent was found, or beside praise when it
outweighs the praise.
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.frozen import quick_init
from workstation.rules.model import RuleSet
from workstation.signals.lexicon import Hit, Normalised

_VETO = "!"
"""Label prefix of an intent's `unless` words (see rules/load.py)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Intents:
    """The intents found, primary first, and the words behind each."""

    names: tuple[str, ...]
    evidence: dict[str, tuple[str, ...]]


def _negated(message: Normalised, rules: RuleSet, cues: list[Hit]) -> set[int]:
    """Word positions that a negation cue cancels: the cue itself and the words after it."""
    cancelled: set[int] = set()
    for cue in cues:
        cancelled.update(range(cue.start, cue.end))
        for position in range(cue.end, min(cue.end + rules.negation_window, len(message.tokens))):
            if message.tokens[position] in rules.negation_breaks:
                break
            cancelled.add(position)
    return cancelled


def _rank(hit: Hit) -> tuple[int, float]:
    return hit.start - hit.end, -hit.weight


def detect(message: Normalised, rules: RuleSet, hits: list[Hit], cues: list[Hit]) -> Intents:
    """The intents of a normalised message from its intent-word hits and negation cues.

    Args:
        message: the message as the matchers read it.
        rules: the rules in force.
        hits: what the language's matcher found of intent words (`RuleSet.matchers`).
        cues: the negation cues it found.
    """
    if not hits:
        return Intents((), {})
    vetoed = {hit.label[1:] for hit in hits if hit.label.startswith(_VETO)}
    cancelled = _negated(message, rules, cues)
    scores: dict[str, float] = {}
    terms: dict[str, list[str]] = {}
    covered: dict[str, set[int]] = {}
    # Longest (most specific), then strongest terms first: a word goes to the best term that
    # covers it ("best regards" is a sign-off, not "best").
    for hit in sorted(hits, key=_rank):
        label = hit.label
        if label.startswith(_VETO) or label in vetoed:
            continue
        if hit.start in cancelled and label not in rules.negation_spares:
            continue
        if hit.term in terms.get(label, ()):
            continue
        if hit.start >= 0:
            words = covered.setdefault(label, set())
            span = range(hit.start, hit.end)
            if any(position in words for position in span):
                continue
            words.update(span)
        scores[label] = scores.get(label, 0.0) + hit.weight
        terms.setdefault(label, []).append(hit.term)
    intents = rules.intents
    order = {name: index for index, name in enumerate(intents)}
    kept = [name for name, score in scores.items()
            if name in intents and score >= intents[name].threshold - 1e-9]
    specific = [n for n in kept if not intents[n].fallback]
    if any(n != "praise" for n in specific):
        kept = specific
    elif specific:
        # Beside praise alone, a fallback intent stays only when it outweighs the praise:
        # "thank you, it arrived when he needed it" is thanks, not a question.
        best = max(scores[n] for n in specific)
        kept = [n for n in kept if not intents[n].fallback or scores[n] > best]
    kept.sort(key=lambda n: (-scores[n] * intents[n].weight, order[n]))
    return Intents(tuple(kept), {n: tuple(terms[n]) for n in kept})
