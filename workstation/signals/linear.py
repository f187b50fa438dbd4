"""A tiny linear text classifier for inference: tokens in, one probability per label out.

Why it exists: several signals (moderation now, sentiment later) want a fitted model rather
than a hand-written lexicon alone, but the core must stay light (no numpy, no scikit-learn)
and fast (tens of thousands of messages a second on one core). Logistic regression over word
unigrams and bigrams (a vocabulary, not hashing; word prefixes and character n-grams on
request) is all that needs: fitting happens offline (`benchmarks/fit_moderation.py`), and
this module only normalises text, extracts the same features the fitting script used, and
sums weights read from a JSON file shipped in `workstation/signals/data/`.

A model file holds `heads` (the labels), one `bias` per head, the feature `config`, and
`weights`: head -> {feature: weight} (absent features weigh nothing). Each head is an
independent binary logistic regression (one-vs-rest), so `score` returns a probability per
label that does not have to sum to one. The file also carries free-form `meta` (provenance,
metrics, decision thresholds) that the calling signal interprets. `Phrases` finds
hand-written token phrases for the rules a signal keeps beside its model.

The text is untrusted: it is capped at `MAX_CHARS`, the regular expressions are constants
without nested quantifiers, and nothing is built from input.
"""

from __future__ import annotations

import html
import json
import math
import re
import threading
import unicodedata
from collections.abc import Iterable, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

__all__ = ["DATA_DIR", "EMAIL", "FORMAT", "LINK", "MAX_CHARS", "MENTION", "LinearModel",
           "Phrases", "features", "fold", "load", "normalise", "tokens"]

FORMAT = "workstation.linear/1"
"""The `format` a model file must declare; bump it when features change meaning."""

MAX_CHARS = 5_000
"""Only the start of a text is read: a verdict is settled long before that."""

DATA_DIR = Path(__file__).resolve().parent / "data"
"""Where the shipped model files live."""

# Case and accent folding for Latin scripts, plus typographic look-alikes (curly quotes,
# fullwidth and "mathematical bold" letters used to dodge filters). Built once from
# unicodedata, so "Énervé", "ｅｎｅｒｖｅ" and "𝐞𝐧𝐞𝐫𝐯𝐞" all read "enerve".
_SPECIAL_FOLDS = {"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "đ": "d", "ł": "l", "ı": "i",
                  "\u2019": "'", "\u2018": "'", "\u02bc": "'", "`": "'", "\u00b4": "'"}


def _fold_table() -> dict[int, str]:
    table: dict[int, str] = {}
    ranges = (range(0x00C0, 0x0250), range(0x1E00, 0x1F00), range(0xFF01, 0xFF5F),
              range(0x1D400, 0x1D800))
    for block in ranges:
        for code in block:
            decomposed = unicodedata.normalize("NFKD", chr(code))
            base = "".join(c for c in decomposed if not unicodedata.combining(c)).lower()
            if base and base != chr(code) and base.isascii():
                table[code] = base
    for char, repl in _SPECIAL_FOLDS.items():
        table[ord(char)] = repl
    return table


_FOLD = _fold_table()
# Links, e-mail addresses and @handles are found chunk by chunk (between spaces): the few
# chunks that hold "@", "http", "www." or a top-level domain are looked at, and the regular
# expressions below run on those chunks only.
_TLD = re.compile(r"\.(?:com|net|org|biz|info|io|xyz|ly|shop|online|site)\b")
_EMAIL_CHUNK = re.compile(r"\w@[\w-]+\.\w")
_MENTION = re.compile(r"@\w+")
_WORD = re.compile(r"\w+|[\u2600-\u27bf\U0001f300-\U0001faff]")
# The same tokens in ASCII text, where `\w` is these characters: a set of characters costs the
# regular expression engine far less than a Unicode category per character.
_ASCII_WORD = re.compile(r"[0-9A-Za-z_]+")
# Placeholders made of word characters, so `_WORD` keeps each as one token.
LINK, MENTION, EMAIL = "_url_", "_at_", "_email_"


def fold(text: str) -> str:
    """Lower-case `text` and fold Latin accents and look-alike letters, nothing else."""
    text = text.lower()
    return text if text.isascii() else text.translate(_FOLD)


def normalise(text: str) -> str:
    """Return `text` capped, HTML-unescaped, folded, with placeholders for links.

    Args:
        text: Untrusted text of any length.

    Returns:
        The first `MAX_CHARS` characters, with entities such as `&amp;` decoded, lower case,
        Latin accents and look-alike letters folded to ASCII, and links, e-mail addresses
        and @handles replaced by `LINK`, `EMAIL` and `MENTION`.
    """
    sample = text[:MAX_CHARS]
    if "&" in sample:
        sample = html.unescape(sample)
    sample = fold(sample)
    if "@" in sample or "http:" in sample or "https:" in sample or "www." in sample or (
            "." in sample and _TLD.search(sample)):
        sample = _placeholders(sample)
    return sample


def _placeholders(text: str) -> str:
    chunks = text.split()
    for i, chunk in enumerate(chunks):
        if "@" in chunk:
            chunks[i] = EMAIL if _EMAIL_CHUNK.search(chunk) else _MENTION.sub(
                f" {MENTION} ", chunk)
        elif "http" in chunk or "www." in chunk or ("." in chunk and _TLD.search(chunk)):
            chunks[i] = LINK
    return " ".join(chunks)


def tokens(normalised: str) -> list[str]:
    """Split normalised text into word tokens.

    Args:
        normalised: Text from `normalise`.

    Returns:
        Words (letters, digits, underscores), single emoji, and the placeholders `LINK`,
        `MENTION` and `EMAIL` that `normalise` put in place of links, @handles and addresses.
    """
    return (_ASCII_WORD if normalised.isascii() else _WORD).findall(normalised)


def features(words: Sequence[str], config: dict[str, Any] | None = None) -> list[str]:
    """Feature names of a token list: unigrams, bigrams and, if configured, more.

    Args:
        words: Tokens from `tokens`.
        config: A model's feature configuration. Keys: `bigrams` (bool, default true),
            `prefix` (int: also emit the first N characters of longer words, 0 = off),
            `suffix` (int: also emit the last N characters of words longer than N + 2),
            `char_ngrams` ([min, max] character n-grams inside words, empty = off).

    Returns:
        The features, duplicates kept (a repeated word counts twice).
    """
    config = config or {}
    feats = list(words)
    if config.get("bigrams", True) and len(words) > 1:
        feats += [f"{a} {b}" for a, b in zip(words, words[1:], strict=False)]
    prefix = config.get("prefix", 0)
    if prefix:
        feats += [f"{w[:prefix]}~" for w in words if len(w) > prefix]
    suffix = config.get("suffix", 0)
    if suffix:
        feats += [f"~{w[-suffix:]}" for w in words if len(w) > suffix + 2]
    grams = config.get("char_ngrams")
    if grams:
        low, high = grams
        for word in words:
            padded = f"^{word}$"
            for n in range(low, min(high, len(padded)) + 1):
                feats += [f"#{padded[i:i + n]}" for i in range(len(padded) - n + 1)]
    return feats


class Phrases:
    """Token phrases found in a token list, each tried only when its longest word is there.

    A phrase is lower-case, accent-folded words separated by spaces ("je vais te
    retrouver"); "*" stands for any one word ("earn * a day"). Phrases come from data files
    written for a signal, never from the text being read.
    """

    def __init__(self, families: dict[str, Iterable[str]]) -> None:
        """Index phrases by family (a label returned with each hit, e.g. "threat")."""
        self._by_anchor: dict[str, list[tuple[str, str, re.Pattern[str] | None]]] = {}
        for family, phrases in families.items():
            for phrase in phrases:
                words = phrase.split()
                pattern = None
                if "*" in words:  # " a \w+ b ": literals and one bounded class, never nested
                    body = " ".join(r"\w+" if w == "*" else re.escape(w) for w in words)
                    pattern = re.compile(f" {body} ")
                anchor = max((w for w in words if w != "*"), key=len)
                self._by_anchor.setdefault(anchor, []).append((family, f" {phrase} ", pattern))
        self.anchors = frozenset(self._by_anchor)

    def find(self, anchor: str, words: Sequence[str], joined: str = "") -> list[tuple[str, str]]:
        """(family, phrase) of the phrases filed under `anchor` that occur in `words`.

        Args:
            anchor: A word of `anchors` present in `words`.
            words: The text's tokens.
            joined: `" " + " ".join(words) + " "` if the caller already built it.

        Returns:
            The (family, phrase) pairs found, in file order.
        """
        found = []
        for family, phrase, pattern in self._by_anchor.get(anchor, ()):
            joined = joined or f" {' '.join(words)} "
            if pattern.search(joined) if pattern else phrase in joined:
                found.append((family, phrase.strip()))
        return found


def _sigmoid(margin: float) -> float:
    """The logistic function, without overflow for large margins."""
    if margin >= 0:
        return 1.0 / (1.0 + math.exp(-margin))
    e = math.exp(margin)
    return e / (1.0 + e)


class LinearModel:
    """A set of one-vs-rest logistic regressions sharing one feature extractor.

    Attributes:
        heads: The labels, in file order.
        config: The feature configuration (see `features`).
        meta: Everything else the file carries (provenance, metrics, thresholds).
    """

    def __init__(self, heads: Sequence[str], bias: Sequence[float],
                 weights: dict[str, dict[str, float]], config: dict[str, Any] | None = None,
                 meta: dict[str, Any] | None = None) -> None:
        """Build a model from its parts.

        Args:
            heads: Label names.
            bias: One intercept per head.
            weights: Head -> {feature: weight}; a head may be missing (no weights).
            config: Feature configuration, as for `features`.
            meta: Free-form information kept with the model.
        """
        if len(bias) != len(heads):
            raise ValueError("one bias per head is required")
        self.heads = tuple(heads)
        self.config = dict(config or {})
        self.meta = dict(meta or {})
        self._bias = tuple(float(b) for b in bias)
        self._index = {h: i for i, h in enumerate(self.heads)}
        self._evidence: dict[tuple[str, frozenset[str]], dict[str, float]] = {}
        # One dict per head holding only its non-zero weights: summing a head is then a
        # single C-level pass, `sum(map(table.get, feats, zeros))`.
        self._tables: tuple[dict[str, float], ...] = tuple(
            {f: float(w) for f, w in weights.get(h, {}).items() if w} for h in self.heads)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> LinearModel:
        """Build a model from the decoded JSON of a model file.

        Raises:
            ValueError: when the file is not a `FORMAT` model.
        """
        if data.get("format") != FORMAT:
            raise ValueError(f"not a {FORMAT} model file")
        return cls(data["heads"], data["bias"], data["weights"], data.get("config"),
                   data.get("meta"))

    def to_dict(self) -> dict[str, Any]:
        """The JSON-ready form `from_dict` reads back."""
        return {"format": FORMAT, "heads": list(self.heads), "bias": list(self._bias),
                "config": self.config, "meta": self.meta,
                "weights": {h: dict(t) for h, t in zip(self.heads, self._tables, strict=True)}}

    def features(self, text: str, extra: Iterable[str] = ()) -> list[str]:
        """The features this model reads in `text` (plus `extra` ones, e.g. a language)."""
        return features(tokens(normalise(text)), self.config) + list(extra)

    def margins(self, feats: Sequence[str]) -> list[float]:
        """Per head, the bias plus the weights of `feats` (the log-odds)."""
        zeros = repeat(0.0)
        return [b + sum(map(t.get, feats, zeros))
                for b, t in zip(self._bias, self._tables, strict=True)]

    def margin(self, feats: Sequence[str], head: str) -> float:
        """The log-odds of one head only (cheaper when the others are not needed)."""
        i = self._index[head]
        return self._bias[i] + sum(map(self._tables[i].get, feats, repeat(0.0)))

    def probabilities(self, feats: Sequence[str]) -> dict[str, float]:
        """Per head, the probability of its label given `feats`."""
        return {h: _sigmoid(m) for h, m in zip(self.heads, self.margins(feats), strict=True)}

    def score(self, text: str, extra: Iterable[str] = ()) -> dict[str, float]:
        """Probability of each label for an untrusted text.

        Args:
            text: Any string (only the first `MAX_CHARS` characters are read).
            extra: Additional feature names, such as a language marker the model knows.

        Returns:
            Label -> probability in (0, 1).
        """
        return self.probabilities(self.features(text, extra))

    def strongest(self, feats: Iterable[str], head: str,
                  ignore: frozenset[str] = frozenset()) -> float:
        """The largest weight `head` gives a word among `feats`, `ignore` aside.

        A model trained on one corpus can drift above its threshold on another through many
        small weights (function words, a corpus's style); asking for one strong feature as
        well, among words that are not everyday words (`ignore`), keeps a decision tied to
        words that carry it. Features with an underscore (placeholders such as `LINK`, and
        markers callers add) are not words and never count.

        Returns:
            The weight, or 0.0 when no feature counts.
        """
        key = (head, ignore)
        table = self._evidence.get(key)
        if table is None:  # the head's table without markers and ignored words, built once
            table = self._evidence[key] = {f: w for f, w in self._tables[self._index[head]].items()
                                           if "_" not in f and f not in ignore}
        return max(map(table.get, feats, repeat(0.0)), default=0.0)

    def explain(self, feats: Sequence[str], head: str, top: int = 3,
                ignore: frozenset[str] = frozenset()) -> tuple[str, ...]:
        """The words pushing `head` up the most, strongest first (for explanations).

        Args:
            feats: Features from `features`.
            head: One of `heads`.
            top: How many to return at most.
            ignore: Features not worth showing (everyday words), as for `strongest`.

        Returns:
            Distinct feature names with a positive weight; features with an underscore
            (placeholders, markers) are never shown.
        """
        self.strongest((), head, ignore)  # builds the filtered table
        table = self._evidence[(head, ignore)]
        found = {f: w for f, w in zip(feats, map(table.get, feats, repeat(0.0)), strict=True)
                 if w > 0}
        return tuple(sorted(found, key=lambda f: (-found[f], f))[:top])


_MODELS: dict[str, LinearModel] = {}
_LOCK = threading.Lock()


def load(name: str) -> LinearModel:
    """The shipped model `data/<name>.json`, read once and then shared (thread-safe).

    Args:
        name: The file's stem, a constant chosen by the calling signal (never user input).

    Raises:
        FileNotFoundError: when no such model is shipped.
    """
    model = _MODELS.get(name)
    if model is None:
        with _LOCK:
            model = _MODELS.get(name)
            if model is None:
                path = DATA_DIR / f"{name}.json"
                with path.open(encoding="utf-8") as handle:
                    model = LinearModel.from_dict(json.load(handle))
                _MODELS[name] = model
    return model
