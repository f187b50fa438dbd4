"""Word lists compiled into one matcher: phrases, word endings (`rembours*`), typos, RE2 patterns.

Intent lexicons, rule keywords and the anger and confusion cues of rules.toml are all word
lists; each list is compiled once, when the rules load, into hash tables keyed by a message's
words, so matching costs a few lookups per word of the message whatever the number of terms
(thousands of terms, hundreds of rules). Messages are normalised once (`normalise`) and shared
by every matcher. Patterns come from the rules file, never from a message, and are compiled
with RE2, whose matching time is linear in the text: a careless pattern cannot hang triage.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any

import re2
from rapidfuzz.distance import OSA

from workstation.frozen import quick_init

MAX_CHARS = 5000
"""Only the start of a message is read; a 1 MB message costs what a 5 kB one does."""
_TOKEN = re.compile(r"[a-z0-9]+(?:&[a-z0-9]+)?|\?+|!+")
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "’": " ", "'": " ", "`": " ", "ø": "o"})
_PREFIX_KEY = 3
_FUZZY_MIN = 4
_WORD_CACHE = 100_000
"""Words whose lookups are remembered; past this the memory starts afresh."""
_NOTHING: Any = ()
"""A word that starts no term and has no typo of one."""


class _CharFold(dict[int, str]):
    """Each non-ASCII character's folded form, worked out the first time it is met.

    Folding a text character by character is what NFKD-then-strip does to it: decomposition
    is per character, and the combining marks whose order NFKD would fix are all dropped.
    """

    def __missing__(self, code: int) -> str:
        char = chr(code)
        folded = _FOLD.get(code)
        if folded is None:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
        if len(self) < 20_000:  # bounded: hostile text cannot grow it without end
            self[code] = folded
        return folded


_CHAR_FOLD = _CharFold()


def fold(text: str) -> str:
    """Lower-case `text` and strip its accents (`Remboursé` -> `rembourse`)."""
    text = text.lower()
    if text.isascii():
        return text.translate(_FOLD)
    return text.translate(_CHAR_FOLD)


@quick_init
@dataclass(frozen=True, slots=True)
class Normalised:
    """A message as the matchers read it: folded text and its words."""

    text: str
    tokens: tuple[str, ...]


def tokens_of(folded: str) -> tuple[str, ...]:
    """Words of folded text; runs of three or more `?` or `!` count as one word `???`/`!!!`."""
    out = []
    for tok in _TOKEN.findall(folded):
        if tok[0] in "?!" and len(tok) >= 3:
            tok = tok[0] * 3
        out.append(tok)
    return tuple(out)


def normalise(text: str) -> Normalised:
    """Fold and tokenise the start of a message, once for every matcher."""
    folded = fold(text[:MAX_CHARS])
    return Normalised(folded, tokens_of(folded))


@quick_init
@dataclass(frozen=True, slots=True)
class Hit:
    """One term found in a message."""

    label: str
    term: str
    start: int
    """Index of its first word (-1 for a pattern, which has no word position)."""
    end: int
    weight: float


@dataclass(frozen=True, slots=True)
class _Phrase:
    label: str
    term: str
    words: tuple[str, ...]
    prefix: tuple[bool, ...]
    weight: float


class TermError(ValueError):
    """A term or pattern of a word list cannot be used; the message says why."""


def compile_pattern(pattern: str) -> re2._Regexp:
    """Compile an RE2 pattern of the rules file, or raise TermError with RE2's reason."""
    try:
        return re2.compile(pattern)
    except re2.error as exc:
        raise TermError(f"bad regex {pattern!r}: {exc}") from None


def parse_term(term: str) -> tuple[tuple[str, ...], tuple[bool, ...]]:
    """Split a term into its folded words and which of them end with `*`.

    Raises:
        TermError: the term has no words, or a `*` ending is shorter than three letters.
    """
    words, prefix = [], []
    for raw in fold(term).split():
        is_prefix = raw.endswith("*")
        tok = tokens_of(raw.rstrip("*"))
        if len(tok) != 1:
            # "a&e", "c'est" fold into several words: keep them as a phrase.
            if is_prefix or not tok:
                raise TermError(f"term {term!r} has a word that is not a word")
            words.extend(tok)
            prefix.extend([False] * len(tok))
            continue
        if is_prefix and len(tok[0]) < _PREFIX_KEY:
            raise TermError(f"term {term!r}: a * ending needs at least {_PREFIX_KEY} letters")
        words.append(tok[0])
        prefix.append(is_prefix)
    if not words:
        raise TermError(f"term {term!r} has no words")
    return tuple(words), tuple(prefix)


@dataclass
class _Index:
    """The lookup tables `find` reads, built from a lexicon's terms when first needed."""

    single: dict[str, list[tuple[str, str, float]]] = field(default_factory=dict)
    """One exact word: found with one dictionary lookup per word of the message."""
    pairs: dict[str, list[_Phrase]] = field(default_factory=dict)
    """Phrases whose first two words are exact, by those two words."""
    first: dict[str, list[_Phrase]] = field(default_factory=dict)
    """Other phrases whose first word is exact, by that word."""
    prefixed: dict[str, list[_Phrase]] = field(default_factory=dict)
    """Terms starting with a `*` word, by its first letters."""
    patterns: Any = None
    """An RE2 set: every pattern in one pass over the text."""
    heads: dict[str, dict[str, list[_Phrase]]] = field(default_factory=dict)
    """`pairs` by first word, then second word."""
    seen: dict[str, Any] = field(default_factory=dict)
    """What each word of past messages can start (`Lexicon._word`): most words of a message
    were seen before and start nothing, so reading one costs a single lookup."""


@dataclass
class Lexicon:
    """A compiled set of labelled terms; `find` returns every hit in a message."""

    _phrases: list[_Phrase] = field(default_factory=list)
    _fuzzy: dict[int, list[tuple[str, str, float]]] = field(default_factory=dict)
    _patterns: list[tuple[str, str, float]] = field(default_factory=list)
    _index: _Index | None = None

    def add(self, label: str, term: str, weight: float = 1.0) -> None:
        """Add a keyword or phrase (a trailing `*` on a word matches any ending)."""
        words, prefix = parse_term(term)
        self._phrases.append(_Phrase(label, term, words, prefix, weight))
        self._index = None

    def add_fuzzy(self, label: str, term: str, weight: float = 0.8) -> None:
        """Add a single word matched with a typo or two."""
        words, prefix = parse_term(term)
        if len(words) != 1 or prefix[0]:
            raise TermError(f"fuzzy term {term!r} must be one word without *")
        if len(words[0]) < _FUZZY_MIN:
            raise TermError(f"fuzzy term {term!r} is too short to match typos safely")
        self._fuzzy.setdefault(len(words[0]), []).append((label, words[0], weight))
        self.add(label, term, weight)

    def add_pattern(self, label: str, pattern: str, weight: float = 1.0) -> None:
        """Add an RE2 pattern, matched against the folded text."""
        compile_pattern(pattern)
        self._patterns.append((label, pattern, weight))
        self._index = None

    def extend(self, label: str, terms: Iterable[str], weight: float = 1.0) -> None:
        """Add several keywords under one label."""
        for term in terms:
            self.add(label, term, weight)

    def absorb(self, other: Lexicon, label: Callable[[str], str]) -> None:
        """Add every term of `other`, relabelled by `label`, so that one pass finds both."""
        self._phrases.extend(_Phrase(label(p.label), p.term, p.words, p.prefix, p.weight)
                             for p in other._phrases)
        for length, entries in other._fuzzy.items():
            self._fuzzy.setdefault(length, []).extend(
                (label(lb), term, weight) for lb, term, weight in entries
            )
        self._patterns.extend((label(lb), pattern, weight) for lb, pattern, weight in other._patterns)
        self._index = None

    def __bool__(self) -> bool:
        return bool(self._phrases or self._patterns)

    def _build(self) -> _Index:
        index = _Index()
        for phrase in self._phrases:
            words, prefix = phrase.words, phrase.prefix
            if prefix[0]:
                index.prefixed.setdefault(words[0][:_PREFIX_KEY], []).append(phrase)
            elif len(words) == 1:
                index.single.setdefault(words[0], []).append(
                    (phrase.label, phrase.term, phrase.weight))
            elif not prefix[1]:
                index.pairs.setdefault(f"{words[0]} {words[1]}", []).append(phrase)
            else:
                index.first.setdefault(words[0], []).append(phrase)
        for key, phrases in index.pairs.items():
            one, two = key.split(" ")
            index.heads.setdefault(one, {})[two] = phrases
        if self._patterns:
            patterns = re2.Set.SearchSet(re2.Options())
            for _label, pattern, _weight in self._patterns:
                patterns.Add(pattern)
            patterns.Compile()
            index.patterns = patterns
        self._index = index
        return index

    def find(self, message: Normalised) -> list[Hit]:
        """Every term of the lexicon found in `message`, in order of position (typos after
        exact terms, patterns last)."""
        index = self._index or self._build()
        tokens = message.tokens
        last = len(tokens) - 1
        hits: list[Hit] = []
        typos: list[Hit] = []
        seen, word = index.seen, self._word
        for i, tok in enumerate(tokens):
            info = seen.get(tok)
            if info is None:
                info = word(index, tok)
            if info is _NOTHING:
                continue
            single, heads, phrases, fuzzy = info
            matched = False
            if single:
                hits.extend(Hit(label, term, i, i + 1, weight) for label, term, weight in single)
                matched = True
            if heads and i < last:
                for phrase in heads.get(tokens[i + 1], ()):
                    if _matches(phrase, tokens, i):
                        hits.append(Hit(phrase.label, phrase.term, i, i + len(phrase.words),
                                        phrase.weight))
                        matched = True
            for phrase in phrases:
                if _matches(phrase, tokens, i):
                    hits.append(Hit(phrase.label, phrase.term, i, i + len(phrase.words),
                                    phrase.weight))
                    matched = True
            if fuzzy and not matched:
                typos.extend(Hit(label, term, i, i + 1, weight) for label, term, weight in fuzzy)
        hits += typos
        if index.patterns is not None:
            for which in index.patterns.Match(message.text) or ():
                label, pattern, weight = self._patterns[which]
                hits.append(Hit(label, pattern, -1, -1, weight))
        return hits

    def _word(self, index: _Index, tok: str) -> Any:
        """What a word can start: exact single-word terms, phrases by their second word,
        other phrases (first word exact or `*`-ended), and terms it is a typo of; `_NOTHING`
        when none. Remembered in `index.seen`."""
        single = tuple(index.single.get(tok, ()))
        heads = index.heads.get(tok)
        phrases = tuple(index.first.get(tok, ()))
        if len(tok) >= _PREFIX_KEY:
            phrases += tuple(index.prefixed.get(tok[:_PREFIX_KEY], ()))
        fuzzy = self._typos(tok) if self._fuzzy and len(tok) >= _FUZZY_MIN and tok.isalpha() \
            else ()
        info = (single, heads, phrases, fuzzy) if single or heads or phrases or fuzzy \
            else _NOTHING
        if len(index.seen) >= _WORD_CACHE:
            index.seen.clear()
        index.seen[tok] = info
        return info

    def _typos(self, tok: str) -> tuple[tuple[str, str, float], ...]:
        # OSA distance: a swap of two letters ("refnud") is one typo, as people make them.
        edits = 1 if len(tok) <= 6 else 2
        found = []
        for length in range(len(tok) - edits, len(tok) + edits + 1):
            for label, term, weight in self._fuzzy.get(length, ()):
                if term != tok and OSA.distance(tok, term, score_cutoff=edits) <= edits:
                    found.append((label, term, weight))
        return tuple(found)


def _matches(phrase: _Phrase, tokens: tuple[str, ...], start: int) -> bool:
    words = phrase.words
    if start + len(words) > len(tokens):
        return False
    for offset, (word, is_prefix) in enumerate(zip(words, phrase.prefix, strict=True)):
        tok = tokens[start + offset]
        if is_prefix:
            if not tok.startswith(word):
                return False
        elif tok != word:
            return False
    return True
