"""What a customer wants: the intents of a message, from the lexicons of rules.toml.

Words are matched per language (the message's, plus terms written for `any`); a negation cue
("no need to", "pas besoin de") cancels the intent words that follow it. Each intent adds the
weights of the distinct terms found; those reaching their threshold are kept, strongest first,
ties going to the intent written first in the file (the most serious).
"""

from __future__ import annotations

from dataclasses import dataclass

from workstation.rules.model import RuleSet
from workstation.signals.lexicon import Hit, Lexicon, Normalised


@dataclass(frozen=True, slots=True)
class Intents:
    """The intents found, primary first, and the words behind each."""

    names: tuple[str, ...]
    evidence: dict[str, tuple[str, ...]]


def _lexicons(rules: RuleSet, lang: str) -> list[Lexicon]:
    chosen = [rules.lexicons[lang]] if lang in rules.lexicons else [
        lexicon for code, lexicon in rules.lexicons.items() if code != "any"
    ]
    if "any" in rules.lexicons:
        chosen.append(rules.lexicons["any"])
    return chosen


def _negated(hits: list[Hit], message: Normalised, rules: RuleSet, lang: str) -> set[int]:
    """Word positions that a negation cue cancels."""
    cues = rules.negation.get(lang)
    if cues is None:
        return set()
    cancelled: set[int] = set()
    for cue in cues.find(message):
        for position in range(cue.end, min(cue.end + rules.negation_window, len(message.tokens))):
            if message.tokens[position] in rules.negation_breaks:
                break
            cancelled.add(position)
    return cancelled


def detect(message: Normalised, lang: str, rules: RuleSet) -> Intents:
    """The intents of a normalised message in language `lang`."""
    hits = [hit for lexicon in _lexicons(rules, lang) for hit in lexicon.find(message)]
    if not hits:
        return Intents((), {})
    cancelled = _negated(hits, message, rules, lang)
    scores: dict[str, float] = {}
    terms: dict[str, list[str]] = {}
    for hit in hits:
        if hit.start in cancelled or hit.term in terms.get(hit.label, ()):
            continue
        scores[hit.label] = scores.get(hit.label, 0.0) + hit.weight
        terms.setdefault(hit.label, []).append(hit.term)
    order = {name: index for index, name in enumerate(rules.intents)}
    kept = [name for name, score in scores.items()
            if name in rules.intents and score >= rules.intents[name].threshold]
    specific = [n for n in kept if not rules.intents[n].fallback]
    if any(n != "praise" for n in specific):
        kept = specific
    kept.sort(key=lambda n: (-scores[n], order[n]))
    return Intents(tuple(kept), {n: tuple(terms[n]) for n in kept})
