"""Sentiment of a message, as a score in [-1, 1] and a label.

Why it exists: queues are ordered partly by how unhappy a customer sounds, the KPI panel plots
sentiment trends, and rules escalate angry messages. The team works in French and English.

Two layers. First, hand-written scorers. English goes through VADER (a lexicon and rules
tuned for social media) plus the customer-service words and phrases it misses ("still
waiting", "never arrived", "leaking"). VADER has no French lexicon, so French gets a scorer
written in the same spirit: a valence lexicon matched with or without accents, negation
("ne ... pas", "pas", "jamais", "ne ... plus"), intensifiers ("très", "trop", "grave"),
capitals and "!!!" for emphasis, "mais" moving the weight to what follows, emoji, and the
words of a coffee roaster's inbox ("toujours pas reçu", "arnaque", "nickel").

Second, per language, a small fitted model (`benchmarks/fit_sentiment.py`, weights in
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
`_vader_sums`); French tokens are remembered per form. English costs about what VADER alone
costs, French a little more than VADER on the same texts.

The text is untrusted: only the first `MAX_CHARS` characters are read, the regular
expressions are constants, and nothing here raises on odd input (NUL, bidi controls, emoji).
"""

from __future__ import annotations

import bisect
import math
import operator
import re
import string
import threading
from itertools import repeat
from typing import Any

from workstation.signals import linear

__all__ = ["MODELS", "NEGATIVE_BELOW", "POSITIVE_ABOVE", "combine", "features", "label",
           "read", "score", "softmax"]

NEGATIVE_BELOW = -0.05
"""A score at or below this is labelled "negative"."""

POSITIVE_ABOVE = 0.05
"""A score at or above this is labelled "positive"; in between is "neutral"."""

MAX_CHARS = 5_000
"""Only the start of a long text is scored; sentiment is settled long before that."""

MODELS = {"en": "sentiment_en", "fr": "sentiment_fr"}
"""The model file (in `workstation/signals/data/`) of each reading; other languages use "en"."""

_ALPHA = 15.0  # VADER's normalisation constant: score = sum / sqrt(sum² + alpha)
_BOOST = 0.293  # VADER's intensifier increment
_CAPS = 0.733  # VADER's emphasis for a word in capitals among lower-case words
_NEGATION = -0.74  # VADER's factor for a negated valence
# Positive sums are reduced by this much (in VADER's raw units) before normalising: one mild
# word ("like", "well", "free") is not enough to call a message positive. Fitted on the
# development halves; French needs less because its lexicon has no such function words.
_EN_POSITIVE_SLACK = 1.0
_FR_POSITIVE_SLACK = 0.2


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


def _normalise(total: float) -> float:
    return total / math.sqrt(total * total + _ALPHA)


# --------------------------------------------------------------------------------------------
# English: VADER plus the customer-service vocabulary it lacks.

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
_VADER_PARTS: tuple[Any, Any, frozenset[str]] = (None, None, frozenset())
_VADER_LOCK = threading.Lock()
# VADER's tables, bound when it is first loaded
_VADER_NEGATE: frozenset[str] = frozenset()
_VADER_N_SCALAR = -0.74
_VADER_SPECIAL_CASES: dict[str, float] = {}
_VADER_BOOSTERS: dict[str, float] = {}


def _vader() -> Any:
    """The shared analyser, built on first use (loading its lexicon takes ~100 ms)."""
    global _VADER, _VADER_PARTS
    if _VADER is None:
        with _VADER_LOCK:
            if _VADER is None:
                global _VADER_NEGATE, _VADER_N_SCALAR, _VADER_SPECIAL_CASES, _VADER_BOOSTERS
                from vaderSentiment.vaderSentiment import (
                    BOOSTER_DICT,
                    N_SCALAR,
                    NEGATE,
                    SPECIAL_CASES,
                    SentimentIntensityAnalyzer,
                    SentiText,
                )

                _VADER_NEGATE, _VADER_N_SCALAR = frozenset(NEGATE), N_SCALAR
                _VADER_SPECIAL_CASES, _VADER_BOOSTERS = SPECIAL_CASES, BOOSTER_DICT

                analyser = SentimentIntensityAnalyzer()
                for item in _ENGLISH_WORDS.split():
                    word, _, valence = item.partition(":")
                    analyser.lexicon[word] = float(valence)
                # VADER's two costliest rules lower-case the whole text for each lexicon
                # word; these equivalents (same results, the tests compare) read 3-5 words.
                analyser._negation_check = _negation_check
                analyser._special_idioms_check = _special_idioms_check
                emoji = frozenset(key for key in analyser.emojis if len(key) == 1)
                _VADER_PARTS = (BOOSTER_DICT, SentiText, emoji)
                _VADER = analyser
    return _VADER


def _vader_negated(word: str) -> bool:
    """VADER's `negated([word])` for one lower-case word."""
    return word in _VADER_NEGATE or "n't" in word


def _negation_check(valence: float, words: list[str], start_i: int, i: int) -> float:
    """VADER's `_negation_check`, lower-casing only the words it reads."""
    if start_i == 0:
        if _vader_negated(words[i - 1].lower()):
            valence = valence * _VADER_N_SCALAR
    elif start_i == 1:
        two, one = words[i - 2].lower(), words[i - 1].lower()
        if two == "never" and (one == "so" or one == "this"):
            valence = valence * 1.25
        elif two == "without" and one == "doubt":
            pass
        elif _vader_negated(two):
            valence = valence * _VADER_N_SCALAR
    elif start_i == 2:
        three, two, one = words[i - 3].lower(), words[i - 2].lower(), words[i - 1].lower()
        # (sic: VADER boosts after any "so" or "this", whatever precedes it)
        if three == "never" and (two == "so" or two == "this") or (one == "so" or one == "this"):
            valence = valence * 1.25
        elif three == "without" and (two == "doubt" or one == "doubt"):
            pass
        elif _vader_negated(three):
            valence = valence * _VADER_N_SCALAR
    return valence


def _special_idioms_check(valence: float, words: list[str], i: int) -> float:
    """VADER's `_special_idioms_check`, lower-casing only the words it reads."""
    three, two, one, zero = (words[i + k].lower() for k in (-3, -2, -1, 0))
    onezero = f"{one} {zero}"
    twoonezero = f"{two} {one} {zero}"
    twoone = f"{two} {one}"
    threetwoone = f"{three} {two} {one}"
    threetwo = f"{three} {two}"
    for seq in (onezero, twoonezero, twoone, threetwoone, threetwo):
        if seq in _VADER_SPECIAL_CASES:
            valence = _VADER_SPECIAL_CASES[seq]
            break
    if len(words) - 1 > i:
        zeroone = f"{zero} {words[i + 1].lower()}"
        if zeroone in _VADER_SPECIAL_CASES:
            valence = _VADER_SPECIAL_CASES[zeroone]
    if len(words) - 1 > i + 1:
        zeroonetwo = f"{zero} {words[i + 1].lower()} {words[i + 2].lower()}"
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
    (`sentiment_valence`, the "but" rule, punctuation emphasis) and the same result (the
    tests compare the two on thousands of texts), without the work that changes nothing:
    the character-by-character loop spelling emoji out (run only when the text holds one of
    its emoji), a Python call per word to split and to look words up (done here in list
    comprehensions), the call per word outside the lexicon (which appends 0), the "but"
    rule on texts without "but", and the proportions computed beside the compound score.
    """
    analyser = _vader()
    boosters, senti_text, emoji = _VADER_PARTS
    if not text.isascii() and not emoji.isdisjoint(text):
        text = _spell_emoji(text, analyser.emojis)
    text = text.strip()
    # SentiText(text), its fields computed as its __init__ does
    words = [s if len(s := w.strip(_ASCII_PUNCTUATION)) > 2 else w for w in text.split()]
    reading = senti_text.__new__(senti_text)
    reading.text = text
    reading.words_and_emoticons = words
    reading.is_cap_diff = 0 < len(words) - sum(map(str.isupper, words)) < len(words)
    lowered = list(map(str.lower, words))
    lexicon = analyser.lexicon
    last = len(words) - 1
    sentiments: list[float] = [0] * len(words)
    for i in [i for i, word in enumerate(lowered) if word in lexicon]:
        word = lowered[i]
        if word in boosters or (word == "kind" and i < last and lowered[i + 1] == "of"):
            continue
        sentiments[i] = analyser.sentiment_valence(0, reading, words[i], i, [])[0]
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
    words = _EN_TOKEN.findall(lowered)
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


# --------------------------------------------------------------------------------------------
# French: a lexicon and rules in VADER's spirit.
#
# Entries are "word:valence" or "word:valence:valence-when-negated" on VADER's -4..+4 scale.
# A word ending in "+" is an -er verb stem ("ador+" covers adore, adorer, adoré, adorait...);
# other words also match their feminine and plural forms (déçu → déçue, déçus, déçues). Words
# are matched without accents, so "decu" and "déçu" are one entry. "_" joins a phrase's words.
# When no negated valence is given, negation multiplies the valence by -0.74 as VADER does;
# words neutral on their own ("reçu", "répond", "normal") carry only a negated valence.

_FRENCH_POSITIVE = """
bon:1.9 bien:0.8 meilleur:2.5 mieux:1.5 excellent:3.0 excellentissime:3.4 parfait:3.0
parfaitement:2.4 génial:3.0 geniaux:3.0 super:2.4 top:2.5:-1.8 cool:1.8 sympa:2.0
sympathique:2.0 chouette:2.0 agréable:2.2 beau:2.0 belle:2.0 beaux:2.0 joli:2.0 magnifique:3.0
splendide:3.0 sublime:3.0 superbe:3.0 merveilleux:3.0 merveille:3.0 formidable:3.0
fantastique:3.0 extraordinaire:3.0 incroyable:2.0 exceptionnel:3.0 remarquable:2.5
impressionnant:2.2 délicieux:3.0 savoureux:2.6 bonheur:3.0 heureux:2.7 heureusement:1.2 joie:2.8
joyeux:2.6 content:2.0:-2.0 ravi:2.8 satisfait:2.0:-2.2 fier:2.0 enchanté:2.4 adorable:2.6
aimable:2.0 gentil:2.0 efficace:2.0 rapide:1.2 rapidement:1.0 pratique:1.0 utile:1.5 facile:1.2
clair:0.6 propre:0.6 intéressant:1.6 passionnant:2.4 drôle:1.5 marrant:1.5 rigolo:1.5
hilarant:2.0 fun:1.5 kiff+:2.6 kif:2.4 ador+:3.0 aim+:2.0:-2.0 appréci+:2.0:-1.6
recommand+:2.0:-2.0 conseill+:1.0:-1.6 remerci+:1.8 merci:1.5 thx:0.6 bravo:2.6
félicitations:3.0 félicit+:2.6 chapeau:1.2 génie:2.0 réussite:2.6 réussi:2.2 réussir:2.0
succès:2.6 victoire:2.5 gagn+:1.4 gagnant:2.0 champion:2.0 progrès:1.6 amélior+:1.4
amélioration:1.5 innovation:1.5 innovant:2.0 solution:1.2 renforc+:0.8 progress+:1.2
efficacité:1.2 permet:0.4 soutien:1.5 soutenir:1.5 soutient:1.5 aide:0.8 aider:0.8 sauv+:1.5
protég+:1.0 protection:1.0 espoir:1.8 confiance:1.5 paix:2.0 amour:3.0 amoureux:2.5 ami:1.2
amitié:2.0 plaisir:2.6 régal:3.0 régal+:2.8 miam:2.5 délice:3.0 tuerie:3.0 pépite:2.5 nickel:2.5
impeccable:2.8 irréprochable:2.8 canon:1.8 classe:1.6 stylé:2.0 chaleureux:2.2 accueillant:2.0
professionnel:1.2:-2.0 sérieux:0.8:-2.0 fiable:1.8 rassurant:1.5 rassuré:1.5 soulagé:1.5
hâte:1.6 vivement:1.0 enthousiaste:2.2 optimiste:1.8 positif:1.8 favorable:1.5 gratuit:1.0
gratuitement:1.0 offert:1.0 cadeau:0.6 promo:0.5 avantage:1.2 bénéfique:1.8 sain:1.2
bienvenue:2.0 bienvenu:2.0 bisous:1.5 bise:0.8 love:3.0 lovely:3.0 good:1.9 great:2.5 nice:1.8
best:3.0 perfect:2.7 amazing:2.8 awesome:3.0 wow:2.0 yes:1.0 lol:1.5 mdr:1.2 ptdr:1.2 haha:1.5
ahah:1.5 hihi:1.2 ouf:1.0:-1.8 fou:0.5:-1.0 dingue:1.0 énorme:1.6 ouah:2.0 waouh:2.2 whaou:2.2
cocorico:1.5 vive:2.0 vivre:0.8 facilement:1.2 durable:0.3 renouvelable:0.6 partenariat:0.8
lancement:0.6 lanc+:0.4 invest+:0.8 investissement:0.8 cré+:0.8 créer:0.8 création:0.8
promet:0.8 prometteur:2.0 ambitieux:1.2 opportunité:1.5 avenir:0.6 fête:1.8 fêter:1.8
célébr+:1.8 honneur:1.8 qualité:1.2 omg:0.5 réparé:0.5:-1.5 correct:0.8:-1.5 respect+:0.5:-1.5
respect:0.8 mérite:0.5:-1.5 rentable:1.0 essentiel:1.0 responsable:0.6 accord:0.6 unique:1.0
beauté:2.0 jubil+:2.5 inauguration:1.0 inaugur+:1.0 validé:0.8 important:0.5 bienveillant:2.0
"""

_FRENCH_NEGATIVE = """
mauvais:-2.5 mal:-1.5:1.6 nul:-2.7 pire:-2.8 horrible:-3.0 affreux:-3.0 atroce:-3.2
terrible:-2.0:-1.8 épouvantable:-3.0 lamentable:-3.0 pitoyable:-2.8 minable:-2.8 médiocre:-2.2
moyen:-0.8 bof:-1.2 décevant:-2.3 déçu:-2.3 déception:-2.5 décev+:-2.0 déçoit:-2.0 dommage:-1.3
triste:-2.0 tristesse:-2.2 malheureux:-2.0 malheureusement:-1.5 hélas:-1.5 regret:-1.5
regrett+:-1.5:1.0 énerv+:-2.2 énervant:-2.2 agacé:-2.0 agaçant:-2.0 furieux:-3.0 furax:-2.8
colère:-2.5 rage:-2.5 fâché:-2.2 marre:-2.5 saoul+:-2.0 soûl+:-2.0 chiant:-2.5 chier:-2.6
relou:-2.0 pénible:-2.0 insupportable:-2.8 inadmissible:-3.0 inacceptable:-3.0 intolérable:-3.0
scandaleux:-3.2 scandale:-3.0 honteux:-3.0 honte:-2.7 arnaque:-3.2 arnaqu+:-3.0 arnaqueur:-3.0
escroc:-3.2 escroquerie:-3.2 escroqu+:-3.0 voleur:-3.0 voleurs:-3.0 menteur:-2.8 mensonge:-2.5
mensonger:-2.5 ment:-1.5 mentir:-2.2 malhonnête:-2.8 catastrophe:-3.0 catastrophique:-3.2
désastre:-3.0 désastreux:-3.0 galère:-2.0 galér+:-2.0 problème:-1.3:0.8 souci:-1.0:0.8
erreur:-1.5 bug:-1.5 beug+:-1.5 bugg+:-1.5 panne:-2.0 cassé:-2.2:0.5 cass+:-1.8 abîmé:-2.2
endommagé:-2.2 défectueux:-2.5 défaut:-1.4 fuite:-1.8 fuit:-1.8 rouillé:-1.8 moisi:-2.5
moisissure:-2.5 périmé:-2.2 rance:-2.5 éventé:-1.8 amer:-0.6 fade:-1.8 imbuvable:-3.0
dégueulasse:-3.2 dégueu:-3.0 dégoûtant:-3.0 dégoûté:-2.5 écœurant:-2.5 beurk:-2.5 berk:-2.5
immonde:-3.0 infect:-3.0 retard:-1.8 retardé:-1.5 lent:-1.5 lenteur:-1.8 attente:-0.8 perdu:-1.5
perte:-1.5 bloqué:-1.4 impossible:-1.3 inutile:-1.8 incompétent:-2.8 incompétence:-2.8
amateur:-1.2 amateurisme:-2.5 irrespectueux:-2.5 impoli:-2.2 désagréable:-2.2 agressif:-2.5
méprisant:-2.5 mépris:-2.5 glacial:-1.8 cher:-0.8:1.5 peur:-2.0 inquiet:-1.8 inquiétant:-2.0
inquiétude:-1.8 angoisse:-2.5 stress:-1.8 stressé:-1.8 danger:-2.2 dangereux:-2.5 risque:-1.2
menace:-2.0 menacé:-2.0 menac+:-2.0 mort:-2.5 morts:-2.5 mourir:-2.5 meurt:-2.5 tue:-2.5
tuer:-2.8 tué:-2.8 tueur:-2.5 meurtre:-3.0 assassin:-3.0 assassin+:-3.0 violence:-2.8
violent:-2.5 guerre:-2.8 attentat:-3.0 terroriste:-3.0 victime:-2.0 drame:-2.5 dramatique:-2.5
tragique:-2.8 tragédie:-2.8 crise:-2.0 pollution:-2.0 pollu+:-2.0 polluant:-2.0 toxique:-2.5
poison:-2.5 empoisonn+:-2.5 détrui+:-2.5 détruit:-2.5 destruction:-2.5 disparaître:-1.8
disparition:-1.8 disparu:-1.5 dommages:-2.0 dégât:-2.0 souffrance:-2.5 souffr+:-2.2 malade:-2.0
maladie:-2.0 blessé:-2.3 blessure:-2.3 brûlure:-2.3 brûlé:-1.8 vomi:-2.5 vomir:-2.5 injuste:-2.5
injustice:-2.5 inégalité:-1.8 corruption:-2.8 corrompu:-2.8 fraude:-2.8 polémique:-1.5
controverse:-1.5 révolte:-1.8 révoltant:-3.0 choquant:-2.5 choqué:-2.3 indigné:-2.5
indignation:-2.5 rejet+:-1.5 rejet:-1.5 refus+:-1.5 refus:-1.5 échec:-2.5 échou+:-2.3 raté:-2.0
rat+:-1.2 loup+:-1.2 fail:-2.0 faute:-1.5 coupable:-2.0 accus+:-1.5 critique:-0.8 critiqu+:-1.2
problématique:-1.5 grave:-1.5:0.5 gravement:-1.5 pauvre:-1.2 misère:-2.5 chômage:-2.0
manque:-1.2 manqu+:-1.0 manquant:-1.5 insuffisant:-1.8 absurde:-2.0 ridicule:-2.3 stupide:-2.5
idiot:-2.5 débile:-2.7 con:-2.5 connard:-3.2 conne:-3.0 crétin:-2.8 abruti:-2.8 imbécile:-2.8
guignol:-2.3 guignols:-2.3 clown:-1.8 clowns:-1.8 bouffon:-2.5 merde:-2.8 merdique:-3.0
pourri:-2.8 naze:-2.3 nase:-2.3 foutu:-2.0 bordel:-1.8 horreur:-2.8 cauchemar:-2.8 sale:-1.8
salaud:-3.0 salopard:-3.0 insatisfait:-2.2 mécontent:-2.5 mécontentement:-2.5 plainte:-1.8
réclamation:-1.4 litige:-2.0 signalement:-1.2 tribunal:-1.2 procès:-1.2 remboursement:-0.4
remboursez:-0.8 abusé:-2.0 abus:-2.0 abusif:-2.4 inadapté:-1.5 bruyant:-1.2 bruit:-0.6
trompé:-2.0 tromperie:-2.5 trompeur:-2.5 fake:-2.0 faux:-1.5 mensonges:-2.5 foutez:-2.0
fous:-0.5 bad:-2.5 worst:-3.1 wtf:-1.5 sad:-2.1 fuck:-2.5 sérieusement:-0.5 allergie:-1.5
allergique:-1.5 intoxication:-2.5 intoxiqué:-2.5 malaise:-2.0 palpitations:-1.5 urgences:-1.5
hôpital:-1.2 fumée:-1.2 flamme:-1.0 flammes:-1.2 incendie:-2.5 explosé:-2.0 étincelle:-1.0
décharge:-1.0 coupure:-1.2 dgccrf:-1.8 désolé:-1.0 monstre:-2.0 péril:-2.0 infraction:-1.5
boud+:-1.0 bloqu+:-1.0 difficile:-1.0 défonc+:-1.5 fiasco:-2.8 pourquoi:-0.5 abandon:-1.2
abandonn+:-1.2 chute:-1.5 gâchis:-2.0 gaspillage:-1.5 indifférence:-1.5 piège:-1.8 pénurie:-1.8
fléau:-2.5 sceptique:-1.0 farce:-1.5 greenwashing:-1.5
"""

# Neutral alone, negative when negated: "pas reçu", "ne répond pas", "c'est pas normal".
_FRENCH_NEUTRAL_UNLESS_NEGATED = """
allum+:0:-1.5 rembourser:0 remboursé:0:-1.5 reçu:0:-1.8 arrivé:0:-1.5 livré:0:-1.5 réponse:0:-1.5
répondu:0:-1.5 répond:0:-1.5 répondre:0:-1.2 nouvelles:0:-1.2 march+:0:-1.8 fonctionn+:0:-1.8
chauff+:0:-1.5 normal:0:-1.5 possible:0:-0.8 vaut:0:-1.5 valait:0:-1.5 plaît:0:-1.8 plait:0:-1.8
supporte:0:-1.8
"""

# Phrases are matched before single words and are not themselves negated.
_FRENCH_PHRASES = """
bien_sûr:0 bien_entendu:0 bien_que:0 bien_avant:0 bien_loin:0 sans_merci:-1.5 merci_de:0.4
grâce_à:1.0 bonne_nouvelle:2.6 bien_joué:2.6 au_top:2.6 pas_mal:1.6 pas_de_souci:0.8
pas_de_problème:0.8 sans_souci:0.8 sans_problème:1.0 pas_cher:1.5 pas_grave:0.5 quel_plaisir:3.0
coup_de_coeur:3.0 service_impeccable:1.0 ras_le_bol:-2.6 hors_de_prix:-2.2 mise_en_demeure:-2.5
avis_négatif:-2.0 une_étoile:-2.0 1_étoile:-2.0 cher_payé:-1.8 ne_importe_quoi:-2.2
foutage_de_gueule:-3.0 aux_abonnés_absents:-2.2 en_retard:-1.8 en_panne:-2.2 hors_service:-2.0
en_attente:-0.8 toujours_pas:-1.5 toujours_rien:-2.0 toujours_aucun:-1.0 plus_jamais:-2.4
jamais_plus:-2.0 rien_reçu:-2.2 jamais_reçu:-2.2 jamais_arrivé:-2.2 sans_réponse:-2.0
sans_nouvelles:-1.6 pas_terrible:-1.8 pas_top:-1.8 pas_ouf:-1.8 pas_de_réponse:-1.6
aucune_réponse:-2.0 aucune_nouvelle:-1.6 aucun_retour:-1.6 pas_de_retour:-1.2
pas_de_nouvelles:-1.6 double_débit:-2.0 débité_deux_fois:-2.0 débité_2_fois:-2.0 2_fois:-0.4
ufc_que_choisir:-1.8 que_choisir:-1.8 prendre_soin:1.5 vent_en_poupe:1.5 vaut_le_coup:1.5
valait_le_coup:1.5 compter_sur:0.8 à_cause:-0.8 peut_mieux_faire:-1.2 tant_pis:-1.2
"""

# Words that make the following valence stronger ("très bon") or weaker ("un peu déçu").
_BOOSTERS = frozenset(
    "très tres trop vraiment grave super hyper tellement si vachement carrément carrement "
    "extrêmement extremement totalement complètement completement absolument franchement "
    "particulièrement énormément enormement incroyablement terriblement sacrément ultra "
    "méga mega archi putain ptn bien tout vrmt".split()
)
_DAMPENERS = frozenset(
    "peu assez plutôt plutot légèrement legerement moyennement presque quasiment".split()
)
# Negations that work alone ("pas content", "jamais reçu") and those that need a "ne"
# ("je ne suis plus satisfait", but "plus rapide" is not negated).
_NEGATORS = frozenset("pas jamais aucun aucune sans ni guère guere non".split())
_NEGATORS_AFTER_NE = frozenset("plus rien personne".split())
_CONTRAST = frozenset("mais cependant pourtant toutefois".split())
_COMPARATIVES = frozenset("aussi autant si tellement".split())
_ELIDED = frozenset("j l d n s m t c qu jusqu lorsqu puisqu quoiqu".split())
_VERB_ENDINGS = (
    "e es ent er ons ez ais ait aient ai a as ant era erai erait eront ee ees ions iez "
    "i ie ies ir is it issent issons issez irait".split()
)

# Emoji valences (VADER's scale); English uses them too, as VADER reads "🔥" as "fire".
_EMOJI_SPEC = """
😍=3.0 🥰=3.0 😘=2.2 ❤=2.8 💕=2.5 💖=2.5 💗=2.5 💙=2.2 💚=2.2 💜=2.2 🧡=2.2
💛=2.2 🤍=2.0 😊=2.2 ☺=2.0 🙂=1.2 😀=2.0 😃=2.2 😄=2.2 😁=2.2 😆=1.8 😂=1.2
🤣=1.2 😅=0.6 😎=1.8 🤩=3.0 🥳=2.8 🎉=2.4 👍=2.0 👌=2.0 👏=2.0 🙌=2.2 🔥=2.0
✨=1.2 💯=2.0 🏆=2.0 🥇=2.0 😋=2.4 🤤=1.8 🥹=2.2 😇=1.8 🙏=1.2 💪=1.6 ⭐=1.5
🌟=1.8 ☀=1.0 😉=1.0 😜=1.2 😏=0.2 🤗=2.0 😌=1.2 🫶=2.6 💝=2.4 🎁=0.6 🍾=1.8
🥂=1.8 😢=-2.2 😭=-1.0 😞=-2.2 😔=-2.0 😟=-1.8 🙁=-1.8 ☹=-2.2 😕=-1.6
😒=-1.8 😩=-2.2 😫=-2.2 😤=-2.4 😠=-2.8 😡=-3.0 🤬=-3.2 👎=-2.2 💩=-2.4
🤮=-3.0 🤢=-2.6 😱=-1.8 😨=-2.0 😰=-2.0 😖=-2.0 😣=-1.8 😓=-1.5 🙄=-1.8
🤦=-1.8 😑=-1.0 😐=-0.6 🙃=-0.8 💔=-2.6 ⚠=-1.0 ❌=-1.5 😬=-1.0 🥵=-0.5
🤡=-2.0 😪=-1.2 😴=-0.5 🥲=-0.5 😥=-1.8 😿=-2.0
"""
# Text emoticons, as the French tokenizer matches them (lower-cased).
_EMOTICON_SPEC = """
:)=2.0 :-)=2.0 :d=2.2 :-d=2.2 ;)=1.2 ;-)=1.2 <3=2.8 ^^=1.6 :p=1.2 xd=1.6 :(=-2.2 :-(=-2.2
:'(=-2.4 :/=-1.2 :-/=-1.2 :@=-2.5 -_-=-1.2
"""


def _valences(spec: str) -> dict[str, float]:
    """Read a "key=valence ..." table."""
    return {key: float(value) for key, _, value in (i.rpartition("=") for i in spec.split())}


_EMOJI = _valences(_EMOJI_SPEC)
_EMOTICONS = _valences(_EMOTICON_SPEC)
_EMOJI_CHARS = frozenset(_EMOJI)
_EMOJI_BLANKS = {ord(char): " " for char in _EMOJI}
# A text without a character from the first of them on holds none (a quick test in C).
_EMOJI_HINT = re.compile(f"[{re.escape(min(_EMOJI_CHARS))}-\U0010ffff]")
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
_DEACCENT = str.maketrans(
    "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ", "aaaaaaceeeeiiiinooooouuuuyy", ""
) | str.maketrans({"œ": "oe", "æ": "ae", "’": "'"})


def _key(word: str) -> str:
    """Lower-case, accents off: the form the French lexicon is keyed by."""
    word = word.lower()
    return word if word.isascii() else word.translate(_DEACCENT)


def _forms(word: str) -> list[str]:
    """The feminine and plural forms generated for a non-verb lexicon entry."""
    forms = [word, word + "s", word + "e", word + "es"]
    if word.endswith("x"):  # heureux → heureuse
        forms += [word[:-1] + "se", word[:-1] + "ses"]
    elif word.endswith("if"):  # positif → positive
        forms += [word[:-1] + "ve", word[:-1] + "ves"]
    elif word.endswith("al"):  # génial → géniaux
        forms += [word[:-1] + "ux"]
    elif word.endswith("er"):  # cher → chère
        forms += [word[:-2] + "ere", word[:-2] + "eres"]
    elif word.endswith("eur"):  # menteur → menteuse
        forms += [word[:-1] + "se", word[:-1] + "ses"]
    if word[-1:] in ("l", "n", "t"):  # nul → nulle, bon → bonne, net → nette
        forms += [word + word[-1] + "e", word + word[-1] + "es"]
    return forms


_Entry = tuple[float, float]


def _build_french() -> tuple[dict[str, _Entry], dict[tuple[str, ...], _Entry], frozenset[str]]:
    """Expand the French tables into words, phrases (key → (valence, negated valence)) and verbs."""
    words: dict[str, _Entry] = {}
    verbs: set[str] = set()
    generated: dict[str, _Entry] = {}
    phrases: dict[tuple[str, ...], _Entry] = {}
    spec = _FRENCH_POSITIVE + _FRENCH_NEGATIVE + _FRENCH_NEUTRAL_UNLESS_NEGATED + _FRENCH_PHRASES
    for item in spec.split():
        name, _, rest = item.partition(":")
        values = [float(v) for v in rest.split(":")]
        entry = (values[0], values[1] if len(values) > 1 else values[0] * _NEGATION)
        if "_" in name:
            phrases[tuple(_key(part) for part in name.split("_"))] = entry
        elif name.endswith("+"):
            stem = _key(name[:-1])
            for ending in _VERB_ENDINGS:
                generated.setdefault(stem + ending, entry)
                verbs.add(stem + ending)
        else:
            key = _key(name)
            words[key] = entry
            for form in _forms(key)[1:]:
                generated.setdefault(form, entry)
    for form, entry in generated.items():
        words.setdefault(form, entry)
    # A negation may follow these ("j'aime pas", "ça marche pas", "ça vaut pas le coup").
    forward = verbs | {key for key, (valence, _) in words.items() if valence == 0.0}
    return words, phrases, frozenset(forward)


_FR_WORDS, _FR_PHRASES, _FR_FORWARD = _build_french()
_PHRASE_HEADS = frozenset(phrase[0] for phrase in _FR_PHRASES)
_FR_ACTIVE = frozenset(_FR_WORDS.keys() | _PHRASE_HEADS | _CONTRAST | {"="})  # worth a look
_PHRASE_LENGTHS = {head: sorted({len(p) for p in _FR_PHRASES if p[0] == head}, reverse=True)
                   for head in _PHRASE_HEADS}
_FIRST = operator.itemgetter(0)
_BOOSTER_KEYS = frozenset(_key(w) for w in _BOOSTERS)
_DAMPENER_KEYS = frozenset(_key(w) for w in _DAMPENERS)
_NEGATOR_KEYS = frozenset(_key(w) for w in _NEGATORS)
_NEGATOR_NE_KEYS = frozenset(_key(w) for w in _NEGATORS_AFTER_NE)


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


def _emoji_total(text: str, present: set[str] | frozenset[str] | None = None) -> float:
    total = 0.0
    for char in _EMOJI_CHARS.intersection(text) if present is None else present:
        total += _EMOJI[char] * min(text.count(char), 3)
    return total


def _punctuation_emphasis(text: str, total: float) -> float:
    """VADER's "!" (up to four) and "??" amplification, in the direction of the sentiment."""
    amplifier = min(text.count("!"), 4) * 0.292
    questions = text.count("?")
    if questions > 1:
        amplifier += 0.96 if questions > 3 else questions * 0.18
    return amplifier if total > 0 else -amplifier


# --------------------------------------------------------------------------------------------
# The fitted model: a multinomial logistic regression over the words and the rules' verdict.

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
