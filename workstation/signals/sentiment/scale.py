"""VADER's scale, shared by the English and French scorers: the label bands, the constants
of its rules, how a raw sum becomes a score in [-1, 1], and "!" / "?" emphasis."""

from __future__ import annotations

import math

NEGATIVE_BELOW = -0.05
"""A score at or below this is labelled "negative"."""

POSITIVE_ABOVE = 0.05
"""A score at or above this is labelled "positive"; in between is "neutral"."""

_ALPHA = 15.0  # VADER's normalisation constant: score = sum / sqrt(sum² + alpha)
_BOOST = 0.293  # VADER's intensifier increment
_CAPS = 0.733  # VADER's emphasis for a word in capitals among lower-case words
_NEGATION = -0.74  # VADER's factor for a negated valence
# Positive sums are reduced by this much (in VADER's raw units) before normalising: one mild
# word ("like", "well", "free") is not enough to call a message positive. Fitted on the
# development halves; French needs less because its lexicon has no such function words.
_EN_POSITIVE_SLACK = 1.0
_FR_POSITIVE_SLACK = 0.2


def _normalise(total: float) -> float:
    return total / math.sqrt(total * total + _ALPHA)


def _punctuation_emphasis(text: str, total: float) -> float:
    """VADER's "!" (up to four) and "??" amplification, in the direction of the sentiment."""
    amplifier = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        amplifier += 0.96 if questions > 3 else questions * 0.18
    return amplifier if total > 0 else -amplifier
