"""The fitted model: a multinomial logistic regression over the words and the rules' verdict.

Weights come from `benchmarks/fit_sentiment.py` (`data/sentiment_*.json`); the hand-written
scorer's verdict enters as bins of its score and of its positive and negative sums.
"""

from __future__ import annotations

import math
from itertools import repeat
from typing import Any

from workstation.signals import linear
from .scale import NEGATIVE_BELOW, POSITIVE_ABOVE

# "n't" forms are kept whole by `_EN_TOKEN`; "ne" opens a French negation ("n'" reads "ne").
_EN_NEGATORS = frozenset(
    "not no never cannot nothing nobody none neither nor without nowhere".split()
    + [f"{stem}{end}" for stem in "don doesn didn isn wasn aren weren won wouldn can couldn "
       "shouldn haven hasn hadn ain mustn needn".split() for end in ("'t", "t")]
)
_FR_NEGATORS = frozenset("ne pas jamais rien aucun aucune sans ni guere".split())
_NEGATION_SCOPE = 3  # words marked after a negator, up to the next punctuation
_PUNCTUATION = frozenset(".,;:!?…")
_SCORE_CUTS = (-0.75, -0.5, -0.25, -0.05, 0.05, 0.25, 0.5, 0.75)
_SCORE_BINS = tuple(f"_s{i}" for i in range(1, len(_SCORE_CUTS) + 2))
_PART_CUTS = (0.5, 1.5, 2.5, 4.0)
_POSITIVE_BINS = tuple(f"_p{i}" for i in range(len(_PART_CUTS) + 1))
_NEGATIVE_BINS = tuple(f"_n{i}" for i in range(len(_PART_CUTS) + 1))


def _negated(words: list[str], negators: frozenset[str], lexicon: Any) -> list[str]:
    """`words` with the sentiment words (those of `lexicon`) among the few after each
    negator, within the clause, read as "¬word": "not happy" gives "¬happy", but "not at
    all" keeps "at" and "all" (negated function words are noise, not meaning)."""
    out = []
    scope = 0
    for word in words:
        if word in negators:
            scope = _NEGATION_SCOPE
        elif scope:
            if word[0] in _PUNCTUATION:
                scope = 0
            else:
                scope -= 1
                if word in lexicon:
                    word = "¬" + word
        out.append(word)
    return out


_Weights = tuple[complex, dict[str, complex], dict[str, Any]]
_WEIGHTS: dict[str, _Weights] = {}


def _weights(name: str) -> _Weights:
    """A model file as one table: feature -> complex(negative, positive) weight relative to
    neutral, plus the intercepts the same way and the feature configuration.

    Packing both heads in one complex number sums them in a single pass over the features
    (`sum` adds complex numbers in C), a third faster than two `LinearModel.margin` calls.
    """
    packed = _WEIGHTS.get(name)
    if packed is None:
        data = linear.load(name).to_dict()
        heads, bias, weights = data["heads"], data["bias"], data["weights"]
        neg, neu, pos = (weights.get(head, {}) for head in ("negative", "neutral", "positive"))
        at = {head: bias[i] for i, head in enumerate(heads)}
        table = {f: complex(neg.get(f, 0.0) - neu.get(f, 0.0), pos.get(f, 0.0) - neu.get(f, 0.0))
                 for f in sorted(neg.keys() | pos.keys() | neu.keys())}
        intercept = complex(at["negative"] - at.get("neutral", 0.0),
                            at["positive"] - at.get("neutral", 0.0))
        packed = _WEIGHTS[name] = (intercept, table, data["config"])
    return packed


def _probabilities(intercept: complex, table: dict[str, complex],
                   feats: list[str]) -> tuple[float, float, float]:
    """P(negative), P(neutral), P(positive) for a text's features.

    The model is multinomial with "neutral" as the reference class (margin 0), so one pass
    over the features gives all three probabilities.
    """
    margins = intercept + sum(map(table.get, feats, repeat(0j)))
    return softmax(margins.real, margins.imag)


def softmax(negative: float, positive: float) -> tuple[float, float, float]:
    """The three class probabilities from the negative and positive margins (neutral's is 0)."""
    top = max(negative, positive, 0.0)
    e_neg, e_pos, e_neu = math.exp(negative - top), math.exp(positive - top), math.exp(-top)
    total = e_neg + e_neu + e_pos
    return e_neg / total, e_neu / total, e_pos / total


def combine(probabilities: tuple[float, float, float], rules: float) -> float:
    """The score of a text from the model's probabilities and the hand-written scorer's score.

    The class is the model's most likely one; the strength is the mean of P(positive) -
    P(negative) and the hand-written score, kept in that class's band: at or below
    `NEGATIVE_BELOW`, at or above `POSITIVE_ABOVE`, or within half of them for neutral. So
    `label(score)` is the argmax, and a score near -1 takes both a confident model and
    strongly negative words, as the rules' anger floor (`sentiment_below = -0.9`) expects;
    the model alone is confident about plain complaints too.
    """
    negative, neutral, positive = probabilities
    strength = (positive - negative + rules) / 2
    if negative >= neutral and negative >= positive:
        return min(NEGATIVE_BELOW, strength)
    if positive > neutral:
        return max(POSITIVE_ABOVE, strength)
    return max(NEGATIVE_BELOW / 2, min(POSITIVE_ABOVE / 2, strength))
