"""Suggesting a rule from a message: the words that set it apart, and a name.

A spam wave, a new scam phrase or a recurring question is caught by a phrase, not by the
common words around it. The suggestion is the run of two or three consecutive words of the
message that the recent inbox uses least (words such as "the" or "order" that most messages
share say nothing about this one), or its rarest word when no run qualifies. It is a
suggestion: the supervisor edits it, and the preview shows what it would catch.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable

from workstation.replies.normalize import STOP_WORDS
from workstation.signals.lexicon import normalise

COMMON_SHARE = 0.2
"""A word found in more than this share of the recent messages is not distinctive."""
_WORD = re.compile(r"[^\W\d_][\w'-]*")
"""A word worth suggesting: starts with a letter (no numbers, handles or links)."""


def _candidates(tokens: tuple[str, ...]) -> list[bool]:
    return [len(t) >= 3 and t not in STOP_WORDS and bool(_WORD.fullmatch(t))
            and not t.startswith(("http", "www")) for t in tokens]


def document_frequency(texts: Iterable[str]) -> tuple[Counter[str], int]:
    """How many of `texts` hold each word (folded as the matchers fold), and how many texts."""
    counts: Counter[str] = Counter()
    total = 0
    for text in texts:
        counts.update(set(normalise(text).tokens))
        total += 1
    return counts, total


def suggest_terms(text: str, frequency: tuple[Counter[str], int] | None = None
                  ) -> tuple[str, ...]:
    """The phrase (or word) of `text` a rule should look for; () when it has no word.

    Args:
        text: the message.
        frequency: `document_frequency` of the recent inbox (without it every word counts
            as equally rare, and the longest words win).
    """
    tokens = normalise(text).tokens[:200]
    usable = _candidates(tokens)
    counts, total = frequency or (Counter(), 0)

    def weight(token: str) -> float:
        seen = counts.get(token, 0)
        if total and seen / total > COMMON_SHARE:
            return 0.0
        # Rarer words weigh more; between equally rare words, the longer one.
        return math.log((total + 1) / (seen + 1)) + 1 + len(token) / 100

    best: tuple[float, int, int] | None = None
    for size in (3, 2):
        for start in range(len(tokens) - size + 1):
            end = start + size - 1
            if not (usable[start] and usable[end]) or not all(
                    _WORD.fullmatch(t) for t in tokens[start:end + 1]):
                continue  # words only, starting and ending on a real one ("free giveaway")
            score = sum(weight(t) for t, ok in zip(tokens[start:end + 1],
                                                    usable[start:end + 1], strict=True) if ok)
            if weight(tokens[start]) and weight(tokens[end]) and \
                    (best is None or score > best[0]):
                best = (score, start, end)
    if best is not None:
        return (" ".join(tokens[best[1]:best[2] + 1]),)
    singles = sorted((-weight(t), i) for i, t in enumerate(tokens) if usable[i] and weight(t))
    return (tokens[singles[0][1]],) if singles else ()


def suggest_name(terms: tuple[str, ...], taken: Iterable[str]) -> str:
    """A rule name from its first phrase ("free-giveaway"), unique among `taken`."""
    base = "-".join(re.findall(r"[a-z0-9]+", " ".join(terms[:1]).lower()))[:40].strip("-")
    base = base or "from-message"
    taken = set(taken)
    name, n = base, 2
    while name in taken:
        name, n = f"{base}-{n}", n + 1
    return name
