"""English: VADER plus the customer-service vocabulary it lacks.

VADER's rules run as VADER runs them (the tests compare the sums on thousands of texts),
without the per-word work that changes nothing; words and phrases of a support inbox that
VADER misses or misreads are added to its lexicon or to its sum.
"""

from __future__ import annotations

import re
import string
import threading
from typing import Any

from .emoji import _EMOJI_BLANKS, _EMOJI_CHARS, _EMOJI_HINT, _emoji_total
from .scale import _EN_POSITIVE_SLACK, _normalise

# Words added to (or corrected in) VADER's lexicon, "word:valence" on its -4..+4 scale:
# support-inbox damage and praise; then frequent words whose VADER valence misleads on social
# media and in a support inbox ("like" is mostly a preposition, "help" and "please" open
# requests, "joke" is derisive); then safety and repeat-contact words.
_ENGLISH_WORDS = """
leaking:-1.5 leak:-1.2 leaks:-1.2 leaked:-1.2 cracked:-1.5 stale:-1.5 smashed:-1.5 crushed:-1.2
dented:-1.2 soaked:-0.8 faulty:-2.0 defective:-2.0 misaligned:-1.2 uneven:-1.0 ghosted:-2.0
clowns:-1.8 overcharged:-2.0 moldy:-2.5 mouldy:-2.5 mold:-1.8 mould:-1.8 undrinkable:-2.5
burnt:-1.2 delayed:-1.2 refund:-0.3 scam:-2.7 scammers:-2.8 ripoff:-2.5 broke:-1.5 stuck:-1.2
hooked:1.5 slaps:1.5 obsessed:1.5 tasty:2.0 shoutout:1.5 legit:1.0 delish:2.5 yum:2.0

like:0.5 please:0.3 help:0.5 support:0.5 joke:-1.0 security:0.3 party:0.5 care:0.8 sure:0.5
well:0.3 true:0.8 yes:0.8 ok:0.5 okay:0.5 yeah:0.6 free:1.2 award:1.0 miss:0.0 lol:0.6 god:0.3
energy:0.3 play:0.5 join:0.6 friend:1.2 truth:0.5 hand:0.3 gift:0.8 thanks:1.4 thank:1.2

burn:-1.5 blistering:-1.2 boiling:-0.5 smoking:-1.0 smoke:-0.8 melted:-1.0 exploded:-1.8
shattered:-1.5 allergic:-1.5 hives:-1.5 hospital:-1.0 unbelievable:-1.2 supposedly:-0.8
"""

# Phrases VADER reads word by word, with the valence added to its sum when one is present
# ("_" stands for a space).
_ENGLISH_PHRASES_SPEC = """
still_waiting:-1.8 still_not:-1.2 still_no_:-1.2 never_arrived:-2.2 never_received:-2.2
never_got:-1.5 not_received:-1.8 haven't_received:-1.8 hasn't_arrived:-1.8 didn't_arrive:-1.8
did_not_arrive:-1.8 not_arrived:-1.8 no_reply:-1.5 no_replies:-1.5 no_response:-1.5
no_answer:-1.5 zero_replies:-1.5 zero_answers:-1.5 not_answering:-1.5 picks_up_the_phone:-1.0
charged_twice:-2.0 charged_me_twice:-2.0 double_charged:-2.0 where_is_my_order:-1.2
arrived_late:-1.5 late_delivery:-1.5 arrived_broken:-2.0 arrived_damaged:-2.0 not_working:-1.8
doesn't_work:-1.8 does_not_work:-1.8 stopped_working:-2.0 isn't_working:-1.8 won't_turn_on:-1.8
waste_of_money:-2.5 never_again:-2.5 rip_off:-2.5 rip-off:-2.5 not_what_i_paid_for:-1.8
small_claims:-2.5 my_lawyer:-1.0 third_time:-1.2 third_message:-1.2 second_time:-0.6
same_thing_again:-1.0 sort_it_out:-1.0 sort_this_out:-1.0 not_so_much:-1.5 worth_it:2.0
kill_for:5.0 best_coffee:1.0 best_beans:1.0
"""
_ENGLISH_PHRASES = tuple(
    (phrase.replace("_", " "), float(valence))
    for phrase, _, valence in (item.rpartition(":") for item in _ENGLISH_PHRASES_SPEC.split())
)

# Tokens the model reads in English: words (with their apostrophes, "don't"), numbers, "!" and
# "?" one by one (three "!" count three times), other punctuation runs, and single emoji.
_EN_TOKEN = re.compile(
    r"[^\W\d_][\w']*|\d+|[!?]|[.,;:…]+|[\u2600-\u27bf\U0001f300-\U0001faff]"
)
# The same in ASCII text, with sets of characters for the Unicode categories (cheaper to match).
_ASCII_EN_TOKEN = re.compile(r"[A-Za-z][0-9A-Za-z_']*|[0-9]+|[!?]|[.,;:]+")


def _phrase_index() -> dict[str, tuple[tuple[str, float], ...]]:
    """The phrases filed under their first token: only those whose first word is in a text
    are looked for in it."""
    index: dict[str, list[tuple[str, float]]] = {}
    for phrase, valence in _ENGLISH_PHRASES:
        index.setdefault(_EN_TOKEN.findall(phrase)[0], []).append((phrase, valence))
    return {anchor: tuple(items) for anchor, items in index.items()}


_EN_PHRASES_BY_ANCHOR = _phrase_index()
_EN_ANCHORS = frozenset(_EN_PHRASES_BY_ANCHOR)

_VADER: Any = None
_VADER_PARTS: tuple[dict[str, float], frozenset[str], frozenset[str]] = ({}, frozenset(),
                                                                          frozenset())
_VADER_LOCK = threading.Lock()
# VADER's tables, bound when it is first loaded
_VADER_NEGATE: frozenset[str] = frozenset()
_VADER_N_SCALAR = -0.74
_C_INCR = 0.733
_VADER_SPECIAL_CASES: dict[str, float] = {}
_VADER_BOOSTERS: dict[str, float] = {}


def _vader() -> Any:
    """The shared analyser, built on first use (loading its lexicon takes ~100 ms)."""
    global _VADER, _VADER_PARTS
    if _VADER is None:
        with _VADER_LOCK:
            if _VADER is None:
                global _VADER_NEGATE, _VADER_N_SCALAR, _C_INCR, _VADER_SPECIAL_CASES
                global _VADER_BOOSTERS
                from vaderSentiment.vaderSentiment import (
                    BOOSTER_DICT,
                    C_INCR,
                    N_SCALAR,
                    NEGATE,
                    SPECIAL_CASES,
                    SentimentIntensityAnalyzer,
                )

                _VADER_NEGATE, _VADER_N_SCALAR, _C_INCR = frozenset(NEGATE), N_SCALAR, C_INCR
                _VADER_SPECIAL_CASES, _VADER_BOOSTERS = SPECIAL_CASES, BOOSTER_DICT

                analyser = SentimentIntensityAnalyzer()
                for item in _ENGLISH_WORDS.split():
                    word, _, valence = item.partition(":")
                    analyser.lexicon[word] = float(valence)
                emoji = frozenset(key for key in analyser.emojis if len(key) == 1)
                # Words of VADER's idioms and two-word boosters: a text without any of them
                # needs no idiom check.
                idiom_words = frozenset(word for key in (*SPECIAL_CASES, *BOOSTER_DICT)
                                        if " " in key for word in key.split())
                _VADER_PARTS = (BOOSTER_DICT, emoji, idiom_words)
                _VADER = analyser
    return _VADER


def _vader_negated(word: str) -> bool:
    """VADER's `negated([word])` for one lower-case word."""
    return word in _VADER_NEGATE or "n't" in word


def _negation_check(valence: float, lowered: list[str], start_i: int, i: int) -> float:
    """VADER's `_negation_check`, on words already lower-cased."""
    if start_i == 0:
        if _vader_negated(lowered[i - 1]):
            valence = valence * _VADER_N_SCALAR
    elif start_i == 1:
        two, one = lowered[i - 2], lowered[i - 1]
        if two == "never" and (one == "so" or one == "this"):
            valence = valence * 1.25
        elif two == "without" and one == "doubt":
            pass
        elif _vader_negated(two):
            valence = valence * _VADER_N_SCALAR
    elif start_i == 2:
        three, two, one = lowered[i - 3], lowered[i - 2], lowered[i - 1]
        # (sic: VADER boosts after any "so" or "this", whatever precedes it)
        if three == "never" and (two == "so" or two == "this") or (one == "so" or one == "this"):
            valence = valence * 1.25
        elif three == "without" and (two == "doubt" or one == "doubt"):
            pass
        elif _vader_negated(three):
            valence = valence * _VADER_N_SCALAR
    return valence


def _special_idioms_check(valence: float, lowered: list[str], i: int) -> float:
    """VADER's `_special_idioms_check`, on words already lower-cased."""
    three, two, one, zero = lowered[i - 3], lowered[i - 2], lowered[i - 1], lowered[i]
    onezero = f"{one} {zero}"
    twoonezero = f"{two} {one} {zero}"
    twoone = f"{two} {one}"
    threetwoone = f"{three} {two} {one}"
    threetwo = f"{three} {two}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _VADER_SPECIAL_CASES:
            valence = _VADER_SPECIAL_CASES[seq]
            break
    if len(lowered) - 1 > i:
        zeroone = f"{zero} {lowered[i + 1]}"
        if zeroone in _VADER_SPECIAL_CASES:
            valence = _VADER_SPECIAL_CASES[zeroone]
    if len(lowered) - 1 > i + 1:
        zeroonetwo = f"{zero} {lowered[i + 1]} {lowered[i + 2]}"
        if zeroonetwo in _VADER_SPECIAL_CASES:
            valence = _VADER_SPECIAL_CASES[zeroonetwo]
    for n_gram in (threetwoone, threetwo, twoone):
        if n_gram in _VADER_BOOSTERS:
            valence = valence + _VADER_BOOSTERS[n_gram]
    return valence


def _vader_sums(text: str) -> tuple[float, float, float]:
    """VADER's sum of valences, as `polarity_scores` computes it before normalising, and the
    sums of its positive and of its negative word valences.

    This is `polarity_scores` step by step, with VADER's own rules for each lexicon word
    (`sentiment_valence`: "no", capitals, boosters and dampeners in the three words before,
    negation, idioms, "least"; then the "but" rule and punctuation emphasis) and the same
    result (the tests compare the two on thousands of texts), without the work that changes
    nothing: the character-by-character loop spelling emoji out (run only when the text
    holds one of its emoji), the words lower-cased once rather than forty times per lexicon
    word, the call per word outside the lexicon (which appends 0), the idioms looked for
    only in texts holding one of their words, the "but" rule on texts without "but", and the
    proportions computed beside the compound score.
    """
    analyser = _vader()
    boosters, emoji, idiom_words = _VADER_PARTS
    if not text.isascii() and not emoji.isdisjoint(text):
        text = _spell_emoji(text, analyser.emojis)
    text = text.strip()
    # SentiText(text).words_and_emoticons
    words = [s if len(s := w.strip(_ASCII_PUNCTUATION)) > 2 else w for w in text.split()]
    lowered = list(map(str.lower, words))
    lexicon = analyser.lexicon
    found = [i for i, word in enumerate(lowered) if word in lexicon]
    if not found:
        return 0.0, 0.0, 0.0
    count = len(words)
    is_cap_diff = 0 < count - sum(map(str.isupper, words)) < count
    idioms = not idiom_words.isdisjoint(lowered)
    sentiments: list[float] = [0] * count
    last = count - 1
    for i in found:
        word = lowered[i]
        if word in boosters or (word == "kind" and i < last and lowered[i + 1] == "of"):
            continue
        valence = base = lexicon[word]
        if word == "no" and i != last and lowered[i + 1] in lexicon:
            valence = 0.0
        if (i > 0 and lowered[i - 1] == "no") or (i > 1 and lowered[i - 2] == "no") or (
                i > 2 and lowered[i - 3] == "no" and lowered[i - 1] in ("or", "nor")):
            valence = base * _VADER_N_SCALAR
        if is_cap_diff and words[i].isupper():
            valence = valence + _C_INCR if valence > 0 else valence - _C_INCR
        for start_i in (0, 1, 2):
            if i <= start_i:
                break
            before = lowered[i - start_i - 1]
            if before in lexicon:
                continue
            scalar = boosters.get(before)
            if scalar is not None:  # VADER's scalar_inc_dec
                if valence < 0:
                    scalar *= -1
                if is_cap_diff and words[i - start_i - 1].isupper():
                    scalar = scalar + _C_INCR if valence > 0 else scalar - _C_INCR
                if start_i and scalar != 0:
                    scalar = scalar * (0.95 if start_i == 1 else 0.9)
                valence = valence + scalar
            valence = _negation_check(valence, lowered, start_i, i)
            if start_i == 2 and idioms:
                valence = _special_idioms_check(valence, lowered, i)
        if i > 0 and lowered[i - 1] == "least" and "least" not in lexicon:  # _least_check
            if i == 1 or (lowered[i - 2] != "at" and lowered[i - 2] != "very"):
                valence = valence * _VADER_N_SCALAR
        sentiments[i] = valence
    if "but" in lowered:
        sentiments = analyser._but_check(words, sentiments)
    total = float(sum(sentiments))
    positive = float(sum(filter(_IS_POSITIVE, sentiments)))
    negative = total - positive
    if total:
        emphasis = analyser._punctuation_emphasis(text)
        total += emphasis if total > 0 else -emphasis
    return total, positive, negative


_IS_POSITIVE = (0.0).__lt__  # float.__lt__ also compares ints (int.__lt__ would not take floats)
_ASCII_PUNCTUATION = string.punctuation  # what VADER strips around words


def _spell_emoji(text: str, names: dict[str, str]) -> str:
    """VADER's own emoji step: each emoji it knows replaced by its name, spaced."""
    out = []
    prev_space = True
    for char in text:
        name = names.get(char)
        if name is not None:
            if not prev_space:
                out.append(" ")
            out.append(name)
            prev_space = False
        else:
            out.append(char)
            prev_space = char == " "
    return "".join(out)


def _english_reading(text: str) -> tuple[float, float, float, list[str]]:
    """The rules' verdict on an English text and the tokens the model reads.

    Returns:
        The rules' score in [-1, 1] (VADER plus the phrases and emoji it misses, with
        `_EN_POSITIVE_SLACK`), the sums of positive and of negative valences (VADER's raw
        scale), and the lower-case tokens of `_EN_TOKEN`.
    """
    lowered = text.lower()
    emoji_total = 0.0
    if not text.isascii():
        lowered = lowered.replace("\u2019", "'")
        emoji = _EMOJI_CHARS.intersection(text) if _EMOJI_HINT.search(text) else None
        if emoji:  # VADER reads "🔥" as "fire" (negative): score the common emoji ourselves
            emoji_total = _emoji_total(text, emoji)
            text = text.translate(_EMOJI_BLANKS)
    total, positive, negative = _vader_sums(text)
    words = (_ASCII_EN_TOKEN if lowered.isascii() else _EN_TOKEN).findall(lowered)
    anchors = _EN_ANCHORS.intersection(words)
    extra = [emoji_total] if emoji_total else []
    for anchor in sorted(anchors):
        extra += [valence for phrase, valence in _EN_PHRASES_BY_ANCHOR[anchor] if phrase in lowered]
    for valence in extra:
        total += valence
        if valence > 0:
            positive += valence
        else:
            negative += valence
    if total > 0:
        total = max(0.0, total - _EN_POSITIVE_SLACK)
    return _normalise(total), positive, negative, words


def _english(text: str) -> float:
    """The rules' score of an English text (VADER and its patches)."""
    return _english_reading(text)[0]
