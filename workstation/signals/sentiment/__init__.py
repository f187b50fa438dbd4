"""Sentiment of a message, as a score in [-1, 1] and a label.

Why it exists: queues are ordered partly by how unhappy a customer sounds, the KPI panel plots
sentiment trends, and rules escalate angry messages. The team works in French and English.

Two layers. First, hand-written scorers. English goes through VADER (a lexicon and rules
tuned for social media) plus the customer-service words and phrases it misses ("still
waiting", "never arrived", "leaking"): `english`. VADER has no French lexicon, so French gets
a scorer written in the same spirit (`french`, its lexicon in `french_words`): a valence
lexicon matched with or without accents, negation ("ne ... pas", "pas", "jamais", "ne ...
plus"), intensifiers ("très", "trop", "grave"), capitals and "!!!" for emphasis, "mais"
moving the weight to what follows, emoji (`emoji`), and the words of a coffee roaster's inbox
("toujours pas reçu", "arnaque", "nickel"). Both count on VADER's scale (`scale`).

Second, per language, a small fitted model (`model`; `benchmarks/fit_sentiment.py`, weights in
`data/sentiment_en.json` and `data/sentiment_fr.json` with their provenance): a multinomial
logistic regression (negative / neutral / positive) over the words, word pairs (English),
sentiment words under a negation ("¬happy"), and the hand-written scorer's verdict in bins,
so that it corrects the rules where the data disagree with them rather than replacing them.
Alone, VADER scores 0.57 macro recall on TweetEval and the French rules about 0.60 on French
tweets; with the model, about 0.67 and 0.63 on a held-out fifth of the development data.

The label is the model's most likely class; the score's strength blends the model's
P(positive) - P(negative) with the hand-written score (`combine`), so the rules' thresholds
(an anger floor of -0.9, say) keep their meaning. Other languages use the English reading,
which still reads emoji and English loan words.

Speed: VADER's rules run as VADER runs them, minus work that changes nothing (see
`english._vader_sums`); French tokens are remembered per form. English costs about what VADER
alone costs, French a little more than VADER on the same texts.

The text is untrusted: only the first `MAX_CHARS` characters are read, the regular
expressions are constants, and nothing here raises on odd input (NUL, bidi controls, emoji).
"""

from __future__ import annotations

import bisect
from typing import Any

from .english import _english_reading, _vader
from .french import _french_reading, _french_tokens
from .french_words import _FR_WORDS
from .model import (
    _EN_NEGATORS, _FR_NEGATORS, _NEGATIVE_BINS, _PART_CUTS, _POSITIVE_BINS, _SCORE_BINS,
    _SCORE_CUTS, _negated, _probabilities, _weights, combine, softmax,
)
from .scale import NEGATIVE_BELOW, POSITIVE_ABOVE

__all__ = ["MODELS", "NEGATIVE_BELOW", "POSITIVE_ABOVE", "combine", "features", "label",
           "read", "score", "softmax"]

MAX_CHARS = 5_000
"""Only the start of a long text is scored; sentiment is settled long before that."""

MODELS = {"en": "sentiment_en", "fr": "sentiment_fr"}
"""The model file (in `workstation/signals/data/`) of each reading; other languages use "en"."""


def label(score: float) -> str:
    """Name the class of a sentiment score.

    Args:
        score: A value from `score`, in [-1, 1].

    Returns:
        "negative" at or below `NEGATIVE_BELOW`, "positive" at or above `POSITIVE_ABOVE`,
        "neutral" in between (and for NaN).
    """
    if score <= NEGATIVE_BELOW:
        return "negative"
    if score >= POSITIVE_ABOVE:
        return "positive"
    return "neutral"


def score(text: str, lang: str) -> float:
    """Score how negative or positive a message sounds.

    Args:
        text: The message, untrusted and of any length (only the first `MAX_CHARS`
            characters are read).
        lang: Its ISO 639-1 language ("fr" uses the French reading, anything else the
            English one).

    Returns:
        A float in [-1, 1] whose `label` is the model's most likely class: at or below
        `NEGATIVE_BELOW` negative, at or above `POSITIVE_ABOVE` positive, near 0.0 neutral
        (0.0 for an empty text); its distance from zero grows with the model's confidence
        and the strength of the words (see `combine`).
    """
    if not isinstance(text, str) or not text:
        return 0.0
    family = "fr" if isinstance(lang, str) and lang[:2].lower() == "fr" else "en"
    intercept, table, config = _weights(MODELS[family])
    feats, rules = read(text, family, config)
    value = combine(_probabilities(intercept, table, feats), rules)
    if value != value:  # NaN never leaves this module
        return 0.0
    return max(-1.0, min(1.0, value))


def features(text: str, lang: str, config: dict[str, Any] | None = None) -> list[str]:
    """The features the sentiment model reads in a text (also used to fit it).

    Args:
        text: Untrusted text (only the first `MAX_CHARS` characters are read).
        lang: "fr" for the French reading, anything else the English one.
        config: The model's feature switches (its file's `config`): `negation` (sentiment
            words shortly after a negator are read as "¬word"), `bigrams` (adjacent word
            pairs), `parts` (bins of the positive and negative valence sums), `distinct`
            (each feature once). All default to true.

    Returns:
        Features in order of appearance: lower-case tokens (words, numbers, "!" and "?",
        punctuation runs, emoji in English; accent-folded words and emoticons in French),
        word pairs, and the hand-written scorer's verdict as bins: "_s0" for a score of
        exactly zero, "_s1".."_s9" between `_SCORE_CUTS`; "_p0".."_p4" and "_n0".."_n4" for
        the sums of its positive and negative valences.
    """
    return read(text, lang, config or {})[0]


def read(text: str, lang: str, config: dict[str, Any]) -> tuple[list[str], float]:
    """`features`, and the hand-written scorer's score of the text (in [-1, 1])."""
    sample = text[:MAX_CHARS]
    if lang == "fr":
        tokens = _french_tokens(sample)
        value, positive, negative = _french_reading(sample, tokens)
        words = [key if key and key != "=" else raw for key, raw in tokens]
        negators, lexicon = _FR_NEGATORS, _FR_WORDS
    else:
        value, positive, negative, words = _english_reading(sample)
        negators, lexicon = _EN_NEGATORS, _vader().lexicon
    if config.get("negation", True) and not negators.isdisjoint(words):
        feats = _negated(words, negators, lexicon)
    else:
        feats = list(words)
    if config.get("bigrams", True) and len(words) > 1:
        feats += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    feats.append(_SCORE_BINS[bisect.bisect(_SCORE_CUTS, value)] if value else "_s0")
    if config.get("parts", True):
        feats.append(_POSITIVE_BINS[bisect.bisect(_PART_CUTS, positive)])
        feats.append(_NEGATIVE_BINS[bisect.bisect(_PART_CUTS, -negative)])
    if config.get("distinct", True):
        feats = list(dict.fromkeys(feats))  # presence, not counts: "!!!" is one "!"
    return feats, value
