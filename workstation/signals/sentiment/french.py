"""French: a scorer in VADER's spirit over the lexicon of `french_words`.

Tokens carry their lexicon key (lower-case, accents off, "n'" read "ne", letters repeated for
emphasis squashed); the reading applies negation before and after a word, boosters and
dampeners, capitals, "mais" (what follows counts more), emoji, emoticons and "!!!".
"""

from __future__ import annotations

import re

from .emoji import _EMOJI_HINT, _EMOTICONS, _emoji_total
from .french_words import (
    _BOOSTER_KEYS, _COMPARATIVES, _CONTRAST, _DAMPENER_KEYS, _DEACCENT, _ELIDED, _FIRST,
    _FR_ACTIVE, _FR_FORWARD, _FR_PHRASES, _FR_WORDS, _NEGATOR_KEYS, _NEGATOR_NE_KEYS,
    _PHRASE_HEADS, _PHRASE_LENGTHS, _key,
)
from .scale import _BOOST, _CAPS, _FR_POSITIVE_SLACK, _normalise, _punctuation_emphasis

_RUN = re.compile(r"(.)\1{2,}")  # a letter repeated three times or more
_CAPITALS = re.compile(r"[^\W\d_a-zà-ÿ]{2}")  # two capitals in a row (a word in capitals?)
# "bon" between these is a discourse marker ("Bon, ...", "mais bon ...", "ah bon ?").
_OPENERS = frozenset(("", "mais", "ah", "eh", "oh", "bah", "ben", "allez", "enfin"))
_AFTER_BON = frozenset("je j faut ben bah ca c on il alors allez bref voila ok".split())

# Words, emoticons and punctuation, in order; links and @handles are matched to be skipped.
_FR_TOKEN = re.compile(
    r"(?:https?://|www\.)\S*|@\w+"
    r"|(:-?[()dDpP/@]|:'\(|;-?\)|<3|\^\^|-_-|[xX][dD](?![^\W\d_]))"
    r"|([^\W\d_]+(?:['’][^\W\d_]+)*|\d+)"
    r"|([.,;:!?…]+)"
)


def _french_tokens(text: str) -> list[tuple[str, str]]:
    """(key, original) for each word; ("", punctuation) for boundaries; ("=", emoticon)."""
    out: list[tuple[str, str]] = []
    memo = _FR_TOKEN_MEMO
    for match in _FR_TOKEN.findall(text):
        found = memo.get(match)
        if found is None:
            word = match[1]
            if word and "'" not in word and "’" not in word:  # most words, read here
                key = word.lower()
                if not key.isascii():
                    key = key.translate(_DEACCENT)
                if key not in _FR_WORDS and _RUN.search(key):
                    key = _squashed(key, word)
                found = ((key, word),)
            else:
                found = _french_token(*match)
            if len(memo) >= _MEMO_SIZE:
                memo.clear()
            if len(word) <= _MEMO_WORD:
                memo[match] = found
        out += found
    return out


_FR_TOKEN_MEMO: dict[tuple[str, str, str], tuple[tuple[str, str], ...]] = {}
_MEMO_SIZE = 50_000  # token forms remembered (a few MB at most), then forgotten all at once
_MEMO_WORD = 40  # longer words are not remembered


def _squashed(key: str, word: str) -> str:
    """The key of a word with letters repeated three times or more: "nuuul" reads "nul",
    "mercii" stays "mercii" but "merciii" reads "merci", "géniaaal" reads "génial"."""
    key = _RUN.sub(r"\1", key)
    if key not in _FR_WORDS:
        key = _RUN.sub(r"\1\1", _key(word))
    return key


def _french_token(emoticon: str, word: str, punct: str) -> tuple[tuple[str, str], ...]:
    """The tokens of one `_FR_TOKEN` match: a word ("n'aime" gives "ne" and "aime"), a
    punctuation run, an emoticon, or nothing for a link or an @handle."""
    if word:
        out = []
        if "'" in word or "’" in word:
            head, _, tail = word.replace("’", "'").partition("'")
            if head.lower() in _ELIDED:
                if head.lower() == "n":
                    out.append(("ne", head))
                word = tail
        key = _key(word)
        if key not in _FR_WORDS and _RUN.search(key):
            key = _squashed(key, word)
        out.append((key, word))
        return tuple(out)
    if punct:
        return (("", punct),)
    if emoticon:
        return (("=", emoticon.lower()),)
    return ()


def _french(text: str) -> float:
    """The rules' score of a French text (the lexicon scorer)."""
    return _french_reading(text, _french_tokens(text))[0]


def _french_reading(text: str, tokens: list[tuple[str, str]]) -> tuple[float, float, float]:
    """The lexicon scorer's verdict on `text` (tokenised by `_french_tokens`).

    Returns:
        The score in [-1, 1], and the sums of positive and of negative valences (VADER's
        raw scale, before emphasis and `_FR_POSITIVE_SLACK`).
    """
    n = len(tokens)
    shouting = False  # some words in capitals, not all of them
    if _CAPITALS.search(text):  # else no word is in capitals
        words = [raw for key, raw in tokens if key and key != "="]
        caps_words = sum(1 for raw in words if len(raw) > 1 and raw.isupper())
        shouting = 0 < caps_words < len(words)
    valences: list[float] = [0.0] * n
    inert: set[int] = set()  # negators inside a positive phrase ("pas mal") negate nothing
    contrast_at = -1
    skip_until = 0
    active = _FR_ACTIVE
    for i in [i for i, (key, _) in enumerate(tokens) if key in active]:
        if i < skip_until:  # inside a phrase already read
            continue
        key, raw = tokens[i]
        if key == "=":
            valences[i] = _EMOTICONS.get(raw, 0.0)
            continue
        if key in _CONTRAST:
            contrast_at = i
            continue
        entry = None
        span = 1
        if key in _PHRASE_HEADS:
            for length in _PHRASE_LENGTHS[key]:  # longest first
                phrase = tuple(map(_FIRST, tokens[i : i + length]))
                if len(phrase) == length and phrase in _FR_PHRASES:
                    entry, span = _FR_PHRASES[phrase], length
                    if entry[0] > 0:
                        inert.update(range(i, i + length))
                    break
        if entry is None:
            entry = _FR_WORDS.get(key)
        if entry is None:
            continue
        valence, negated = entry
        if key == "bon" and span == 1 and _is_interjection(tokens, i):
            continue  # "Bon, je vais..." / "mais bon": a discourse marker, not a judgement
        if key in _BOOSTER_KEYS and span == 1 and _next_has_valence(tokens, i):
            continue  # "super bon": super boosts bon rather than scoring itself
        if span == 1 and _is_negated(tokens, i, inert):
            valence = negated
        if valence:
            valence += _boost(tokens, i, valence)
            if shouting and raw.isupper() and len(raw) > 1:
                valence += _CAPS if valence > 0 else -_CAPS
        valences[i] = valence
        skip_until = i + span
    if contrast_at >= 0:
        for j in range(n):
            if valences[j]:
                valences[j] *= 0.5 if j < contrast_at else 1.5
    emoji_total = _emoji_total(text) if _EMOJI_HINT.search(text) else 0.0
    total = sum(valences) + emoji_total
    positive = sum(v for v in valences if v > 0) + max(0.0, emoji_total)
    negative = total - positive
    if total:
        total += _punctuation_emphasis(text, total)
    if total > 0:
        total = max(0.0, total - _FR_POSITIVE_SLACK)
    return _normalise(total), positive, negative


def _words_before(tokens: list[tuple[str, str]], i: int, count: int) -> list[tuple[int, str]]:
    """Up to `count` (index, key) words before `i`, nearest first, within the clause."""
    found: list[tuple[int, str]] = []
    j = i - 1
    while j >= 0 and len(found) < count:
        key = tokens[j][0]
        if not key or key in _CONTRAST:  # punctuation or "mais" closes the scope
            break
        if key != "=":
            found.append((j, key))
        j -= 1
    return found


def _is_interjection(tokens: list[tuple[str, str]], i: int) -> bool:
    """ "Bon, on verra" or "mais bon": "bon" opens or closes a thought without judging."""
    previous = tokens[i - 1][0] if i else ""
    if previous == "mais":
        return True
    if previous not in _OPENERS or not any(key for key, _ in tokens[i + 1 :]):
        return False  # "bon" alone, or ending the message, is a verdict
    following = tokens[i + 1][0]
    return following in _OPENERS or following in _AFTER_BON


def _next_has_valence(tokens: list[tuple[str, str]], i: int) -> bool:
    if i + 1 >= len(tokens):
        return False
    entry = _FR_WORDS.get(tokens[i + 1][0])
    return entry is not None and entry[0] != 0.0


def _is_negated(tokens: list[tuple[str, str]], i: int, inert: set[int]) -> bool:
    """VADER's three-word look-back, plus French "ne ... pas" and "j'aime pas" after the word."""
    before = _words_before(tokens, i, 3)
    if before and before[0][1] == "moins":  # "moins cher" is good, "moins bon" bad
        return True
    has_ne = False
    for j, key in before:
        if j in inert:
            continue
        if key in _NEGATOR_KEYS:
            # "jamais été aussi bon" compares rather than negates
            return not any(k in _COMPARATIVES for jj, k in before if jj > j)
        if key == "ne":
            has_ne = True
        elif key in _NEGATOR_NE_KEYS and any(k == "ne" for _, k in _words_before(tokens, j, 3)):
            return True
    if not has_ne and tokens[i][0] not in _FR_FORWARD:
        return False
    for j in range(i + 1, min(i + 3, len(tokens))):
        key = tokens[j][0]
        if not key or key in _CONTRAST:
            break
        if key in _NEGATOR_KEYS or key in _NEGATOR_NE_KEYS:
            return True
    return False


def _boost(tokens: list[tuple[str, str]], i: int, valence: float) -> float:
    """VADER's intensifier rule: each booster in the three words before adds a step."""
    step = 0.0
    for distance, (_, key) in enumerate(_words_before(tokens, i, 3)):
        if key in _BOOSTER_KEYS:
            step += _BOOST * (1.0, 0.95, 0.9)[distance]
        elif key in _DAMPENER_KEYS:
            step -= _BOOST * (1.0, 0.95, 0.9)[distance]
    return step if valence > 0 else -step
