"""Moderation of a message: spam, profanity, hate, harassment, threats and private data.

Why it exists: the team hides spam, profanity and a customer's own private data, deletes hate
and doxxing, bans threats and reviews harassment (contracts/policy.md), and must leave a
genuine complaint alone, however angry. `detect` names the taxonomy's categories
(contracts/events.md) a message falls in, with scores and the words behind each, so rules.toml
can map them to verdicts and an agent can read why. English and French, in three layers:
1. Hand-written lexicons and phrases (`data/moderation_lexicon.json`, which keeps swear words
   and slurs out of the code): threats, spam cues, hate phrases, swear words, insults. An
   insult is harassment only when aimed at a person ("you idiot", "t'es nul", "the waitress
   is an idiot", an @handle); "your company is garbage" is anger at the brand. Frames are
   phrase groups that name a category only together: hate is a protected group plus an
   exclusion or generalisation ("run by immigrants" + "typical"), a threat "I know what
   time you close" + "see you then". A scam asks for a keyword in quotes ("DM me "HOW"").
   Each language's lists are heard in the other's text too (a short French tweet is often
   found to be English), but for words that are ordinary words elsewhere ("con", "retard");
   a few homographs are read by their neighbour ("il s'attarde", "un caramel salé").
2. Private data (`pii.py`) found by pattern and validated (e-mail, phone, postal address,
   card by Luhn, IBAN by mod 97, French social security number by its key); the nearest owner
   word before it says whose: "my" gives `pii_self`; "le numéro de Julie" `doxxing`.
3. Logistic regressions fitted by `benchmarks/fit_moderation.py` (`data/moderation.json`):
   spam, toxicity in English and in French, hate. A head fires past its threshold only if
   one uncommon word weighs enough on its own (its gate), and the spam head only judges texts
   that mention promotion: the datasets were collected for their label, an inbox was not.
   Nor do the spam and toxicity heads flag on their own a text about a customer's business
   (an order, a refund, a collaboration: the lexicon's `customer` phrases), and no spam
   flag stands when the writer asks us whether a message is a scam (`spam_veto`).

Text is untrusted: models read the first `linear.MAX_CHARS` characters, private data is sought
in the first `PII_MAX_CHARS`, regular expressions are constants without nested quantifiers,
and the work per text is bounded.
"""

from __future__ import annotations

import functools
import json
import math
import re
from dataclasses import dataclass, field
from typing import Any

from workstation.frozen import quick_init

from . import linear
from .pii import PII_MAX_CHARS, find_pii, has_digit, iban_valid, luhn

__all__ = ["CATEGORIES", "CUES", "FEATURES", "PII_MAX_CHARS", "Moderation", "Reading", "detect",
           "cued", "find_pii", "iban_valid", "luhn", "not_evidence", "read"]

CATEGORIES = ("threat", "doxxing", "hate", "harassment", "spam", "pii_self", "profanity")
"""The taxonomy, most severe first (ties in score keep this order)."""

FEATURES: dict[str, Any] = {"bigrams": True, "prefix": 5, "prefix_langs": ["en"]}
"""Feature configuration the fitting script uses (the shipped model carries its own copy).
Word beginnings ("attar~" for "attardés", "attardée") let a head weigh spellings the data
saw only once, in the languages of `prefix_langs`; they only add to a margin, never stand
as a gate's evidence (`not_evidence`)."""


def not_evidence(feature: str) -> bool:
    """Whether a model feature may never be a head's one strong word: a word beginning
    ("count~" is "country" and "counter" alike)."""
    return feature.endswith("~")


MODEL_NAME, LEXICON_NAME = "moderation", "moderation_lexicon"
RULE, WEAK, PII = 0.9, 0.75, 0.95  # scores of a rule hit, of two weak spam cues, of found data
HELD = 0.49  # a head's score when a rule says its flag would be a guess
_SPAM_CUES = frozenset({"spam", "spam_weak", "spam_context"})
_FRAME = "~"  # prefix of the phrase families that are parts of a frame ("~hate~0~1")
# A keyword in quotes and capitals, the reply a scam asks for: DM me "HOW", écris-moi « INFO ».
# Literal classes and bounded repeats only; run on the first `linear.MAX_CHARS` characters.
_KEYWORD = re.compile("[\"'\u00ab\u201c\u2018] ?[A-Z]{2,15} ?[\"'\u00bb\u201d\u2019]")
_ASKS = frozenset({"dm", "mp", "inbox", "ecris", "ecrivez", "envoie", "envoyez", "message",
                   "comment", "commente", "commentez", "text", "reply", "type", "tape"})


@quick_init
@dataclass(frozen=True, slots=True)
class Moderation:
    """What `detect` found in one message.

    Attributes:
        categories: Flagged categories from `CATEGORIES`, strongest first.
        scores: Every category's score in [0, 1]; 0.5 and above means flagged.
        evidence: For each flagged category, the words, phrases or (masked) data behind it.
    """

    categories: tuple[str, ...] = ()
    scores: dict[str, float] = field(default_factory=dict)
    evidence: dict[str, tuple[str, ...]] = field(default_factory=dict)


@dataclass(slots=True)
class Reading:
    """What the rules saw in a text, before any model (also the fitting script's input).

    Attributes:
        words: Tokens of the normalised text.
        features: Model features, with markers of rule hits (`_prof_`, `_spam_`...).
        hits: Category (or phrase family) -> evidence from lexicons, phrases, data patterns.
        aimed: Whether the text addresses a person (an @handle, "tu", a lone "you").
    """

    words: list[str]
    features: list[str]
    hits: dict[str, list[str]]
    aimed: bool


class _Lexicon:
    """`data/moderation_lexicon.json` compiled; `watch[lang]` holds every word a rule may
    care about, so `read` meets a text's features with it in one set intersection."""

    def __init__(self, data: dict[str, Any]) -> None:
        self.targets = {k: frozenset(v) for k, v in data["targets"].items()}
        self.kinds: dict[str, dict[str, frozenset[str]]] = {}
        # Each language hears the other's swearing (weak insults aside: anger at a brand), so
        # "@user sale arabe", read as English for want of evidence, still insults; but not
        # words that are ordinary elsewhere ("con" is Spanish for "with", "retard" French
        # for a delay).
        elsewhere = {lang: frozenset(words) for lang, words in data["homographs"].items()}
        for code in ("en", "fr"):
            table: dict[str, set[str]] = {}
            for kind in ("profanity", "insult", "insult_weak", "hostile"):
                for lang in ("en", "fr") if kind != "insult_weak" else (code,):
                    for word in data[kind][lang]:
                        if lang == code or word not in elsewhere[lang]:
                            table.setdefault(word, set()).add(kind)
            self.kinds[code] = {w: frozenset(k) for w, k in table.items()}
        # Words whose reading depends on their neighbour: "s'attarde" lingers where
        # "attardé" insults; "sale" before a noun is a slur's, after it a dirty cup.
        self.verbs = {code: data["verbs"].get(code, {}) for code in self.kinds}
        self.postposed = {code: data["postposed"].get(code, {}) for code in self.kinds}
        self.function = {code: frozenset(data["function"].get(code, ())) for code in self.kinds}
        # swear words sought inside longer tokens ("#dogshit"), per language as for `kinds`
        self.stems = {code: tuple(dict.fromkeys(data["stems"]["en"] + data["stems"][code]))
                      for code in self.kinds}
        # A frame is a category's phrase groups that mean it only together ("I know what time
        # you close" + "see you then"); its groups are phrase families named "~family~i~k".
        self.frames = {f"{_FRAME}{family}{_FRAME}{i}": len(groups)
                       for family, frames in data.get("frames", {}).items()
                       for i, groups in enumerate(frames)}
        families = dict(data["phrases"])
        for family, frames in data.get("frames", {}).items():
            for i, groups in enumerate(frames):
                for k, group in enumerate(groups):
                    families[f"{_FRAME}{family}{_FRAME}{i}{_FRAME}{k}"] = group
        self.phrases = linear.Phrases(families)
        self.referents = frozenset(self.targets.get("referent", ()))
        self.staff = self.referents - {linear.MENTION}
        self.nouns_only = frozenset(self.targets.get("adjective", ()))
        self.benign = [f" {p} " for p in data["benign"]]
        self.benign_anchors = frozenset(max(p.split(), key=len) for p in data["benign"])
        aiming = self.targets["tu"] | {"you", linear.MENTION}
        self.watch = {code: frozenset(self.kinds[code]) | self.phrases.anchors | aiming
                      for code in self.kinds}


@functools.cache  # read on first use; a race only reads the file twice
def _lexicon() -> _Lexicon:
    path = linear.DATA_DIR / f"{LEXICON_NAME}.json"
    return _Lexicon(json.loads(path.read_text(encoding="utf-8")))


_REFLEXIVE = frozenset({"m", "me", "t", "te", "s", "se", "y"})  # "s'y attarde"
# between a reflexive pronoun and a past participle: "je ne m'y suis pas attardé"
_AUXILIARY = frozenset({"suis", "es", "est", "sommes", "etes", "sont", "etais", "etait",
                        "etions", "etiez", "etaient", "serai", "sera", "serait", "y", "ne",
                        "n", "pas", "jamais", "trop", "bien", "meme"})
_DEMONSTRATIVE = frozenset({"this", "that", "ce", "cet", "cette"})
_OF = frozenset({"at", "from", "in", "of", "on", "chez", "de", "du", "des", "dans", "au"})
_TRAILERS = frozenset({"lol", "mdr", "ptdr", linear.LINK})
_WHOEVER = frozenset({"whoever", "celui", "celle"})
_EXCLAIM = frozenset({"quel", "quelle", "quels", "quelles", "what"})
# The writer as subject ("I'm such an idiot"), a French pronoun before a verb that folds to an
# insult ("qu'on s'y attarde"),
_SELF = frozenset({"i", "m", "am", "je", "suis", "me", "moi", "myself", "s", "y", "se", "ne",
                   "n", "l", "some", "any", "certain"})  # and nobody in particular ("some creep")


def _person_subject(subject: list[str], t: dict[str, frozenset[str]]) -> bool:
    """Whether the words before a copula name a person: a person noun and no brand word
    ("the waitress is"), or a brand word only after a preposition that follows the person
    ("the cashier at your shop is", "le vendeur de la boutique est"), or "whoever..."
    ("whoever packed my order is"); not "she said your service is"."""
    people = [i for i, w in enumerate(subject) if w in t["person"]]
    if not people:
        return False
    brands = [i for i, w in enumerate(subject) if w in t["brand"]]
    if not brands or not _WHOEVER.isdisjoint(subject):
        return True
    linked = next((i for i in range(people[0] + 1, len(subject)) if subject[i] in _OF), None)
    return linked is not None and linked < brands[0] and people[0] < brands[0]


def _frames(hits: dict[str, list[str]], lex: _Lexicon) -> None:
    """Replace the frame parts found in `hits` by the categories whose frames are complete."""
    parts: dict[str, dict[str, str]] = {}
    for family in [f for f in hits if f[:1] == _FRAME]:
        frame, _, group = family.rpartition(_FRAME)
        parts.setdefault(frame, {})[group] = hits.pop(family)[0]
    for frame, found in parts.items():
        if len(found) == lex.frames[frame]:  # evidence in the frame's order of groups
            hits.setdefault(frame[1:frame.index(_FRAME, 1)], []).append(
                " + ".join(found[g] for g in sorted(found, key=int)))


def _language(lang: object) -> str:
    return "fr" if isinstance(lang, str) and lang[:2].lower() == "fr" else "en"


def _aimed_insults(words: list[str], lex: _Lexicon,
                   kinds: dict[str, frozenset[str]]) -> tuple[list[str], int]:
    """Insults aimed at a person: "you idiot", "t'es nul", "the waitress is an idiot".

    Walking back from an insult over filler ("a", "such", "are", "vraie"), the first other
    word decides: "tu", "t'", "espèce", "pauvre" aim any insult at a person; "you", an
    @handle or a person noun ("waitress", "livreur") aim a strong one; after a copula ("is",
    "est") a person noun among the words before it does. Weak insults ("useless", "nul",
    "escrocs") after "you" or "vous" are anger at the brand.
    A text about someone (an @handle, "whoever", "celui qui", a staff noun: `targets.referent`)
    also aims its insults: a noun insult ending the text ("..., clueless idiot"), any insult
    after "quel" or "what a" ("quel incapable"). A demonstrative before a noun insult aims it
    anywhere ("this loser", "ce bouffon"). Neither when a brand word follows ("this idiot
    app") or the writer is the subject ("I'm such an idiot").

    Returns:
        The aimed insults, and how many of them were aimed only by the text's referent or a
        demonstrative (the models were fitted without those: `read` gives them no marker).
    """
    t = lex.targets
    found, inferred = [], 0
    for i, word in enumerate(words):
        kind = kinds.get(word, ())
        strong = "insult" in kind
        if not strong and "insult_weak" not in kind:
            continue
        j, copula = i - 1, -1
        while j >= 0 and i - j <= 5 and words[j] in t["filler"]:
            copula = j if copula < 0 and words[j] in t["copula"] else copula
            j -= 1
        before = words[j] if j >= 0 else ""
        if before in t["tu"] or (strong and (before in t["you"] or before in t["person"])):
            found.append(word)
        elif copula > 0:
            if _person_subject(words[max(0, copula - 6):copula], t):
                found.append(word)
        elif before in _SELF or (i + 1 < len(words) and words[i + 1] in t["brand"]):
            continue
        elif strong and word not in lex.nouns_only and before in _DEMONSTRATIVE:
            if i + 2 < len(words) and words[i + 1] in ("de", "d", "of") and \
                    words[i + 2] not in t["person"]:
                continue  # "ce connard de moulin": the insult swears at a thing
            found.append(word)
            inferred += 1
        elif strong and (before in _EXCLAIM or word not in lex.nouns_only and (
                i == len(words) - 1 or i == len(words) - 2 and (
                    words[-1] in _TRAILERS or not words[-1].isalpha()))):
            if before not in t["brand"] and not lex.referents.isdisjoint(words):
                found.append(word)  # "@dave_k go troll somewhere else, moron"
                inferred += 1
        elif before in _EXCLAIM and not lex.staff.isdisjoint(words):
            found.append(word)  # "celui qui m'a servi... quel incapable", not "@brand what a joke"
            inferred += 1
    return found, inferred


_STRETCHED = re.compile(r"([a-z])\1\1")  # a letter three times in a row
_RUN = re.compile(r"([a-z])\1+")


def _unstretch(word: str, kinds: dict[str, frozenset[str]]) -> str:
    """`word` with its stretched letters undone when that spells a lexicon word: runs cut to
    two letters ("connnnard" -> "connard"), else to one ("fuuuck" -> "fuck")."""
    for single in (r"\1\1", r"\1"):
        plain = _RUN.sub(single, word)
        if plain in kinds:
            return plain
    return word


def _glued(words: list[str], stems: list[str], kinds: dict[str, frozenset[str]]) -> list[str]:
    """The swear words of `stems` found inside longer tokens that are not lexicon words
    themselves ("dumberthandogshit" gives "shit"; "bullshit" is already listed)."""
    return [stem for word in words if len(word) > 4 and word not in kinds
            for stem in stems if stem in word and len(word) > len(stem)]


_PLURAL_FILLER = frozenset({"des", "etes", "sont", "were", "all"})  # "vous êtes des ...", "you are all ..."


def _pointed(words: list[str], lex: _Lexicon, kinds: dict[str, frozenset[str]]) -> list[str]:
    """Markers for insults and hostile words pointed at someone: `_dem_` after a
    demonstrative ("ce mongol", "bande d'abrutis", "this clown"), `_you_` after "you", "tu"
    or "vous" ("you coward", "vous êtes des traîtres"), skipping filler as `_aimed_insults`
    does. The model weighs them; no rule fires on them."""
    t = lex.targets
    found = []
    for i, word in enumerate(words):
        kind = kinds.get(word, ())
        if "insult" not in kind and "hostile" not in kind:
            continue
        j = i - 1
        while j >= 0 and i - j <= 5 and (words[j] in t["filler"] or words[j] in _PLURAL_FILLER):
            j -= 1
        before = words[j] if j >= 0 else ""
        if before in t["demonstrative"]:
            found.append("_dem_")
        elif before in t["you"] or before in t["tu"] or before == "vous":
            found.append("_you_")
    return found


def _in_context(words: list[str], verbs: dict[str, str], postposed: dict[str, str],
                function: frozenset[str]) -> list[str]:
    """`words` with the homographs that their neighbour shows to be harmless replaced by a
    form no list holds: a verb after a reflexive pronoun ("il s'attarde" -> "attarder"), an
    adjective of `postposed` at the end or before a function word ("une tasse sale", "un
    caramel salé" -> "salé"), not before the noun it insults ("sale menteur")."""
    last = len(words) - 1
    return [verbs[w] if w in verbs and _reflexive(words, i) else
            postposed[w] if w in postposed and (i == last or words[i + 1] in function) else w
            for i, w in enumerate(words)]


def _reflexive(words: list[str], i: int) -> bool:
    """Whether the word at `i` follows a reflexive pronoun ("s'attarde"), maybe across an
    auxiliary ("il s'est attardé", "je m'y suis pas attardé"); "t'es attardé" insults, but
    "tu t'es attardé" lingers."""
    if i and words[i - 1] in _REFLEXIVE:
        return True
    j = i - 1
    while j >= 0 and i - j <= 4 and words[j] in _AUXILIARY:
        j -= 1
    if j == i - 1 or j < 0:
        return False
    return words[j] in _REFLEXIVE and (words[j] != "t" or j > 0 and words[j - 1] == "tu")


def read(text: str, lang: str, config: dict[str, Any] | None = None) -> Reading:
    """Apply the hand-written layers to a text (no model): tokens, features and rule hits.

    Args:
        text: The message, untrusted.
        lang: Its language ("fr..." reads the French lists; anything else the English ones).
        config: Feature configuration; `FEATURES` by default.

    Returns:
        A `Reading`, which `detect` completes with the fitted models.
    """
    lex, code = _lexicon(), _language(lang)
    normalised = linear.normalise(text)
    words = linear.tokens(normalised)
    kinds = lex.kinds[code]
    if _STRETCHED.search(normalised):  # "connnnard", "fuuuck": read as the lexicon spells them
        words = [_unstretch(w, kinds) if _STRETCHED.search(w) else w for w in words]
    if not lex.benign_anchors.isdisjoint(words):  # "kill for a coffee", "c'est une tuerie"
        joined = f" {' '.join(words)} "
        for phrase in lex.benign:
            joined = joined.replace(phrase, " ")
        words = joined.split()
    verbs, postposed = lex.verbs[code], lex.postposed[code]
    if (verbs and not verbs.keys().isdisjoint(words)) or (
            postposed and not postposed.keys().isdisjoint(words)):
        words = _in_context(words, verbs, postposed, lex.function[code])
    config = FEATURES if config is None else config
    if config.get("prefix") and code not in config.get("prefix_langs", (code,)):
        config = {**config, "prefix": 0}
    feats = linear.features(words, config)
    glued = [stem for stem in lex.stems[code] if stem in normalised]
    if glued:  # "#dogshit", "barrysoetorobullshit": the swear word inside counts as one
        feats += _glued(words, glued, kinds)
    hits: dict[str, list[str]] = {}
    swear, insults, weak, hostile, joined = [], 0, 0, 0, ""
    # The words a rule cares about, as a set of the features would give them (the features
    # hold every word, and the word pairs some swearing is written with).
    for item in sorted(lex.watch[code].intersection(feats)):  # sorted: stable evidence
        kind = kinds.get(item, ())
        if kind:
            if "profanity" in kind:
                swear.append(item)
            insults += "insult" in kind
            weak += "insult_weak" in kind
            hostile += "hostile" in kind
        if item in lex.phrases.anchors:
            joined = joined or f" {' '.join(words)} "
            for family, phrase in lex.phrases.find(item, words, joined):
                hits.setdefault(family, []).append(phrase)
    if lex.frames and hits:
        _frames(hits, lex)
    if _KEYWORD.search(text, 0, linear.MAX_CHARS) and not _ASKS.isdisjoint(words):
        hits.setdefault("spam", []).append("a keyword to send")
    aimed, inferred = _aimed_insults(words, lex, kinds) if insults or weak else ([], 0)
    if aimed:
        hits.setdefault("harassment", []).extend(aimed)
    if swear:
        harassing = " ".join(hits.get("harassment", ()))
        swear = [w for w in swear if w not in aimed and w not in harassing]
        if swear:
            hits["profanity"] = swear
    if len(words) >= 12 and len(set(feats)) < len(words) and len(set(words)) * 4 < len(words):
        hits.setdefault("spam", []).append("repeated text")
    if hits or insults or weak or hostile:
        feats += (["_prof_"] * len(swear) + ["_ins_"] * insults + ["_insw_"] * weak
                  + ["_host_"] * hostile
                  + [f"_{k}_" for k in ("threat", "harassment", "hate", "spam") if k in hits
                     and (k != "harassment" or len(hits[k]) > inferred)])
        if insults or hostile:
            feats += _pointed(words, lex, kinds)
    sample, short = text[:PII_MAX_CHARS], len(text) <= linear.MAX_CHARS  # short: all seen
    if (linear.EMAIL in words if short else "@" in sample) or has_digit(sample):
        for owner, evidence in find_pii(sample, words if short else None):
            hits.setdefault("pii_self" if owner == "self" else "doxxing", []).append(evidence)
    addressed = linear.MENTION in words or not lex.targets["tu"].isdisjoint(words) or (
        "you" in words and "your" not in words and "guys" not in words
        and "people" not in words)
    return Reading(words, feats, hits, addressed)


CUES = frozenset({"_prof_", "_ins_", "_host_"})
"""Markers of a swear word, a strong insult or a hostile word in the text. A toxicity head
judges a text without any by its stricter `_plain` threshold: anger at a brand ("a joke of a
company", weak insults) and everyday inbox messages carry none, and a model fitted on
corpora collected for their hostility drifts on them."""


def cued(feats: list[str]) -> bool:
    """Whether `feats` (from `read`) hold one of the `CUES`."""
    return not CUES.isdisjoint(feats)


def _head(model: linear.LinearModel, feats: list[str], head: str) -> float:
    """A head's score, 0.5 at its threshold; held just under 0.5 when no uncommon word
    weighs at least the head's gate (many faint hints never make a flag on their own).
    A toxicity head with a `_plain` threshold uses it for a text without `CUES`."""
    cuts = model.meta["thresholds"]
    cut = cuts[head]
    if f"{head}_plain" in cuts and not cued(feats):
        cut = cuts[f"{head}_plain"]
    margin = model.margin(feats, head) - cut
    exp = math.exp(-abs(margin))  # never overflows, however long the text
    score = 1.0 / (1.0 + exp) if margin >= 0 else exp / (1.0 + exp)
    if score >= 0.5 and model.strongest(feats, head, _common(model)) < cuts[f"{head}_gate"]:
        return 0.49
    return score


@functools.cache
def _common(model: linear.LinearModel) -> frozenset[str]:
    """The model's everyday features ("you", "le") and word beginnings: never evidence on
    their own."""
    beginnings = {f for table in model.to_dict()["weights"].values() for f in table
                  if not_evidence(f)}
    return frozenset(model.meta.get("common", ())) | beginnings


def detect(text: str, lang: str) -> Moderation:
    """Name the moderation categories a message falls in.

    Args:
        text: The message, untrusted, of any length (NUL, emoji, RTL marks are fine).
        lang: Its ISO 639-1 language; French and English have their own lists and models,
            other languages use the English ones.

    Returns:
        A `Moderation`: flagged categories strongest first, every category's score (0.5 and
        above means flagged) and the evidence behind each flagged one.
    """
    if not isinstance(text, str) or not text or text.isspace():
        return Moderation(scores=dict.fromkeys(CATEGORIES, 0.0))
    model, code = linear.load(MODEL_NAME), _language(lang)
    reading = read(text, code, model.config)
    hits, feats = reading.hits, reading.features
    scores = dict.fromkeys(CATEGORIES, 0.0)
    for name in hits.keys() & scores.keys():
        scores[name] = PII if name in ("pii_self", "doxxing") else RULE
    if not hits.keys().isdisjoint(_SPAM_CUES):  # the spam head learnt YouTube: it only
        weak = WEAK if len(hits.get("spam_weak", ())) >= 2 else 0.0  # judges promotion
        # ...and a customer's own business ("my money back", "could your beans feature in
        # my video") mentions money and videos without promoting anything
        head = _head(model, feats, "spam") if "customer" not in hits else 0.0
        scores["spam"] = max(scores["spam"], weak, head)
    if "spam_veto" in hits and scores["spam"] >= 0.5:  # "is this legit? they DMed me that
        scores["spam"] = HELD                          # I won": a customer warning us
        hits.pop("spam", None)
    toxic = _head(model, feats, f"toxic_{code}")
    if toxic >= 0.5 and "customer" in hits:  # "how many grams per delivery?": a customer's
        toxic = HELD                          # business, which no model alone calls hostile
    ruled = max(scores["profanity"], scores["hate"], scores["harassment"], scores["threat"])
    if max(toxic, ruled) >= 0.5:  # model hate is a kind of hostility, never a topic alone
        scores["hate"] = max(scores["hate"], min(_head(model, feats, "hate"), max(toxic, ruled)))
    if toxic >= 0.5 and ruled < 0.5 and scores["hate"] < 0.5:
        # hostility no list names: aimed at someone it is harassment, else profanity
        fallback = "harassment" if reading.aimed else "profanity"
        scores[fallback] = toxic
        hits[fallback] = list(model.explain(feats, f"toxic_{code}", ignore=_common(model)))
    elif scores["profanity"] < toxic < 0.5:
        scores["profanity"] = toxic
    flagged = [c for c in CATEGORIES if scores[c] >= 0.5]
    if not flagged:
        return Moderation((), scores, {})
    for name in ("spam", "hate"):
        if scores[name] >= 0.5 and name not in hits:
            hits[name] = list(model.explain(feats, name, ignore=_common(model)))
    flagged.sort(key=lambda c: -scores[c])  # stable: ties keep the severity order
    return Moderation(tuple(flagged), scores,
                      {c: tuple(dict.fromkeys(hits.get(c, ()))) for c in flagged})
