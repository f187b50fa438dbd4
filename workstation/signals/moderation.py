"""Moderation of a message: spam, profanity, hate, harassment, threats and private data.

Why it exists: the team hides spam, profanity and a customer's own private data, deletes hate
and doxxing, bans threats and reviews harassment (contracts/policy.md), and must leave a
genuine complaint alone, however angry. `detect` names the taxonomy's categories
(contracts/events.md) a message falls in, with scores and the words behind each, so rules.toml
can map them to verdicts and an agent can read why. English and French, in three layers:
1. Hand-written lexicons and phrases (`data/moderation_lexicon.json`, which keeps swear words
   and slurs out of the code): threats, spam cues, hate phrases, swear words, insults. An
   insult is harassment only when aimed at a person ("you idiot", "t'es nul", "the waitress
   is an idiot", an @handle); "your company is garbage" is anger at the brand.
2. Private data found by pattern and validated (e-mail, phone, postal address, card by Luhn,
   IBAN by mod 97, French social security number by its key); the nearest owner word before
   it says whose: "my", "appelez-moi" give `pii_self`; "her", "le numéro de Julie" `doxxing`.
3. Logistic regressions fitted by `benchmarks/fit_moderation.py` (`data/moderation.json`):
   spam, toxicity in English and in French, hate. A head fires past its threshold only if
   one uncommon word weighs enough on its own (its gate), and the spam head only judges texts
   that mention promotion: the datasets were collected for their label, an inbox was not.

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
from itertools import islice
from typing import Any

from . import linear

__all__ = ["CATEGORIES", "FEATURES", "PII_MAX_CHARS", "Moderation", "Reading", "detect",
           "find_pii", "iban_valid", "luhn", "read"]

CATEGORIES = ("threat", "doxxing", "hate", "harassment", "spam", "pii_self", "profanity")
"""The taxonomy, most severe first (ties in score keep this order)."""

FEATURES: dict[str, Any] = {"bigrams": True}
"""Feature configuration the fitting script uses (the shipped model carries its own copy)."""

PII_MAX_CHARS = 100_000
"""Private data is searched in this many characters: more than any real message."""

MODEL_NAME, LEXICON_NAME = "moderation", "moderation_lexicon"
RULE, WEAK, PII = 0.9, 0.75, 0.95  # scores of a rule hit, of two weak spam cues, of found data
_PII_MAX_HITS, _PII_MAX_TRIES = 50, 500  # bound the work a hostile text can cause
_SPAM_CUES = frozenset({"spam", "spam_weak", "spam_context"})


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
        self.pii = {k: frozenset(v) for k, v in data["pii"].items() if k != "iban_lengths"}
        self.iban_lengths: dict[str, int] = data["pii"]["iban_lengths"]
        self.kinds: dict[str, dict[str, frozenset[str]]] = {}
        for code in ("en", "fr"):  # French text also hears English swearing, not vice versa
            table: dict[str, set[str]] = {}
            for kind in ("profanity", "insult", "insult_weak"):
                for lang in {"en", code} if kind != "insult_weak" else {code}:
                    for word in data[kind][lang]:
                        table.setdefault(word, set()).add(kind)
            self.kinds[code] = {w: frozenset(k) for w, k in table.items()}
        self.phrases = linear.Phrases(data["phrases"])
        self.benign = [f" {p} " for p in data["benign"]]
        self.benign_anchors = frozenset(max(p.split(), key=len) for p in data["benign"])
        aiming = self.targets["tu"] | {"you", linear.MENTION}
        self.watch = {code: frozenset(self.kinds[code]) | self.phrases.anchors | aiming
                      for code in self.kinds}


@functools.cache  # read on first use; a race only reads the file twice
def _lexicon() -> _Lexicon:
    path = linear.DATA_DIR / f"{LEXICON_NAME}.json"
    return _Lexicon(json.loads(path.read_text(encoding="utf-8")))


def _language(lang: object) -> str:
    return "fr" if isinstance(lang, str) and lang[:2].lower() == "fr" else "en"


def _aimed_insults(words: list[str], lex: _Lexicon, kinds: dict[str, frozenset[str]]) -> list[str]:
    """Insults aimed at a person: "you idiot", "t'es nul", "the waitress is an idiot".

    Walking back from an insult over filler ("a", "such", "are", "vraie"), the first other
    word decides: "tu", "t'", "espèce", "pauvre" aim any insult at a person; "you", an
    @handle or a person noun ("waitress", "livreur") aim a strong one; after a copula ("is",
    "est") a person noun among the words before it does. Weak insults ("useless", "nul",
    "escrocs") after "you" or "vous" are anger at the brand.
    """
    t = lex.targets
    found = []
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
            subject = words[max(0, copula - 6):copula]
            if not t["person"].isdisjoint(subject) and t["brand"].isdisjoint(subject):
                found.append(word)
    return found


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
    words = linear.tokens(linear.normalise(text))
    if not lex.benign_anchors.isdisjoint(words):  # "kill for a coffee", "c'est une tuerie"
        joined = f" {' '.join(words)} "
        for phrase in lex.benign:
            joined = joined.replace(phrase, " ")
        words = joined.split()
    feats = linear.features(words, FEATURES if config is None else config)
    present = set(feats)
    kinds, hits = lex.kinds[code], {}
    swear, insults, weak, joined = [], 0, 0, ""
    for item in sorted(present.intersection(lex.watch[code])):  # sorted: stable evidence
        kind = kinds.get(item, ())
        swear += [item] if "profanity" in kind else []
        insults += "insult" in kind
        weak += "insult_weak" in kind
        if item in lex.phrases.anchors:
            joined = joined or f" {' '.join(words)} "
            for family, phrase in lex.phrases.find(item, words, joined):
                hits.setdefault(family, []).append(phrase)
    aimed = _aimed_insults(words, lex, kinds) if insults or weak else []
    if aimed:
        hits.setdefault("harassment", []).extend(aimed)
    harassing = " ".join(hits.get("harassment", ()))
    swear = [w for w in swear if w not in aimed and w not in harassing]
    if swear:
        hits["profanity"] = swear
    if len(words) >= 12 and len(present) < len(words) and len(set(words)) * 4 < len(words):
        hits.setdefault("spam", []).append("repeated text")
    if hits or insults or weak:
        feats += (["_prof_"] * len(swear) + ["_ins_"] * insults + ["_insw_"] * weak
                  + [f"_{k}_" for k in ("threat", "harassment", "hate", "spam") if k in hits])
    sample, short = text[:PII_MAX_CHARS], len(text) <= linear.MAX_CHARS  # short: all seen
    if (linear.EMAIL in present if short else "@" in sample) or _DIGIT.search(sample):
        for owner, evidence in find_pii(sample, present if short else None):
            hits.setdefault("pii_self" if owner == "self" else "doxxing", []).append(evidence)
    addressed = linear.MENTION in present or not lex.targets["tu"].isdisjoint(present) or (
        "you" in present and present.isdisjoint(("your", "guys", "people")))
    return Reading(words, feats, hits, addressed)


def _head(model: linear.LinearModel, feats: list[str], head: str) -> float:
    """A head's score, 0.5 at its threshold; held just under 0.5 when no uncommon word
    weighs at least the head's gate (many faint hints never make a flag on their own)."""
    cuts = model.meta["thresholds"]
    margin = model.margin(feats, head) - cuts[head]
    exp = math.exp(-abs(margin))  # never overflows, however long the text
    score = 1.0 / (1.0 + exp) if margin >= 0 else exp / (1.0 + exp)
    if score >= 0.5 and model.strongest(feats, head, _common(model)) < cuts[f"{head}_gate"]:
        return 0.49
    return score


@functools.cache
def _common(model: linear.LinearModel) -> frozenset[str]:
    """The model's everyday features ("you", "le"): never evidence on their own."""
    return frozenset(model.meta.get("common", ()))


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
    if not isinstance(text, str) or not text.strip():
        return Moderation(scores=dict.fromkeys(CATEGORIES, 0.0))
    model, code = linear.load(MODEL_NAME), _language(lang)
    reading = read(text, code, model.config)
    hits, feats = reading.hits, reading.features
    scores = dict.fromkeys(CATEGORIES, 0.0)
    for name in hits.keys() & scores.keys():
        scores[name] = PII if name in ("pii_self", "doxxing") else RULE
    if not hits.keys().isdisjoint(_SPAM_CUES):  # the spam head learnt YouTube: it only
        weak = WEAK if len(hits.get("spam_weak", ())) >= 2 else 0.0  # judges promotion
        scores["spam"] = max(scores["spam"], weak, _head(model, feats, "spam"))
    toxic = _head(model, feats, f"toxic_{code}")
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


# --- private data -------------------------------------------------------------------------

_DIGIT = re.compile(r"\d")
_EMAIL = re.compile(r"[\w.+-]{1,64}@[\w-]{1,63}\.[\w.-]{2,190}")
_NUMBER = re.compile(r"(?<![\w+])(?:\+|00)?\(?\d[\d ().-]{6,30}\d(?!\w)")
_GROUP = re.compile(r"\d+")
_IBAN = re.compile(r"(?<![a-z0-9])[a-z]{2}\d{2}[a-z0-9 ]{10,40}")
_CARD_END = re.compile(r"\b(?:card|carte|cb|visa|mastercard|amex)[a-z ]{0,20}"
                       r"(?:ending|ends|finissant|terminant|termine)[a-z ]{0,12}\d{4}(?!\d)")
_ADDRESS = re.compile(
    r"(?<!\w)\d{1,4}(?:bis|ter| bis| ter)?,? (?:rue|avenue|av|bd|boulevard|chemin|allee|"
    r"impasse|place|quai|route|cours|passage|square|faubourg|sentier|voie|residence)\b"
    r"|(?<!\w)\d{1,5}[a-z]? (?:[a-z][a-z'-]{1,30}|[a-z][a-z'-]{1,30} [a-z][a-z'-]{1,30}) "
    r"(?:street|st|road|rd|avenue|ave|lane|ln|drive|dr|boulevard|blvd|court|ct|terrace|"
    r"crescent|square|parkway|highway)\b")
_KEYS = {"card": frozenset("card carte cb visa mastercard amex".split()),
         "address": frozenset("rue avenue av bd boulevard chemin allee impasse place quai route "
                              "cours passage square faubourg sentier voie residence street st "
                              "road rd ave lane ln drive dr blvd court ct terrace crescent "
                              "parkway highway".split())}
_WORDS = re.compile(r"\w+")


def luhn(digits: str) -> bool:
    """Whether a string of digits passes the Luhn check of payment card numbers."""
    if not digits.isdigit():
        return False
    total = 0
    for i, char in enumerate(reversed(digits)):
        d = int(char) * (2 if i % 2 else 1)
        total += d - 9 if d > 9 else d
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """Whether `candidate` (spaces allowed, any case) is an IBAN of its country's length
    whose check digits pass the ISO 13616 mod-97 test."""
    compact = candidate.replace(" ", "").lower()
    if _lexicon().iban_lengths.get(compact[:2]) != len(compact) or not compact.isascii() \
            or not compact.isalnum() or not compact[2:4].isdigit():
        return False
    return int("".join(str(int(c, 36)) for c in compact[4:] + compact[:4])) % 97 == 1


def _number_kind(window: str, digits: str, groups: list[str]) -> str | None:
    """"phone", "card" or "id number" for digits that validate as one, else None."""
    if window[0] == "+":
        return "phone" if (len(digits) == 11 if digits[:2] == "33" else
                           8 <= len(digits) <= 15) else None
    if window[:2] == "00":
        return "phone" if 12 <= len(digits) <= 17 else None
    if len(digits) == 15 and digits[0] in "12" and 97 - int(digits[:13]) % 97 == int(digits[13:]):
        return "id number"  # French social security number and its key
    if 13 <= len(digits) <= 19 and digits[0] in "23456" and luhn(digits):
        return "card"
    if digits[0] == "0" and (len(digits) == 10 and digits[1] != "0"
                             or len(digits) == 11 and digits[1] in "1237"):
        return "phone"  # French (10 digits) or British (11) national forms
    return "phone" if [len(g) for g in groups] == [3, 3, 4] else None  # (555) 123-4567


def _numbers(text: str, taken: list[tuple[int, int]]) -> list[tuple[int, str]]:
    """(position, masked evidence) of phone, card and ID numbers among runs of digits.

    A run may hold trailing digits ("06 39 98 14 27 2 fois"), so every window of whole digit
    groups is tried and the longest that validates wins.
    """
    found = []
    for match in islice(_NUMBER.finditer(text), _PII_MAX_TRIES):
        if any(a <= match.start() < b for a, b in taken):
            continue  # digits of an IBAN already reported
        span, best = match.group(), None
        groups = [(m.start(), m.group()) for m in _GROUP.finditer(span)][:12]
        for i in range(len(groups)):
            window = span if i == 0 else span[groups[i][0]:]  # keeps a leading "+" or "("
            for k in range(len(groups), i, -1):
                digits = "".join(g for _, g in groups[i:k])
                kind = _number_kind(window, digits, [g for _, g in groups[i:k]])
                if kind:
                    if best is None or len(digits) > len(best[2]):
                        best = (match.start() + groups[i][0], kind, digits)
                    break
        if best:
            found.append((best[0], f"{best[1]} …{best[2][-4:]}"))
    return found


def _owner(text: str, start: int, lex: _Lexicon) -> str | None:
    """Whose data sits at `start`: "self", "other", or None for the addressee's own (the
    brand's public number), from the nearest owner word among the 12 before it."""
    cue = lex.pii
    window = _WORDS.findall(text[max(0, start - 160):start])[-12:]
    for j in range(len(window) - 1, -1, -1):
        word, after = window[j], window[j + 1] if j + 1 < len(window) else ""
        if word in cue["own"]:
            return "self"
        if word in cue["addressee"]:
            return None
        if word == "il" and (j and window[j - 1] == "s" or after in ("y", "faut", "vous")):
            continue  # "s'il vous plaît", "il faut": nobody's
        if word in cue["other"]:
            return "other"
        if word in ("de", "of") and j and window[j - 1] in cue["data_nouns"] and after \
                and after not in cue["not_a_name"] and not after.isdigit():
            return "other"  # "le numéro de Julie"
        if word == "s" and after in cue["data_nouns"] and j and \
                window[j - 1] not in ("it", "that", "here", "what", "there", "c"):
            return "other"  # "Marc's number"
    return "self"


def find_pii(text: str, words: set[str] | None = None) -> list[tuple[str, str]]:
    """Private data in a text, each with its owner and a masked description.

    Args:
        text: Untrusted text; only the first `PII_MAX_CHARS` characters are searched.
        words: All the text's tokens, when the caller has them: the card-ending and address
            patterns are then only tried when one of their key words is there.

    Returns:
        (owner, evidence) pairs in text order, owner "self" or "other"; data that belongs
        to the addressee ("your number") is left out. Evidence masks the value:
        "phone …1427", "email …@example.com".
    """
    lex, sample = _lexicon(), linear.fold(text[:PII_MAX_CHARS])
    found: list[tuple[int, str]] = []
    at, tries = sample.find("@"), 0
    while at != -1 and tries < _PII_MAX_TRIES:
        tries += 1
        match = None
        if at and (sample[at - 1].isalnum() or sample[at - 1] in "._+-"):  # not "@handle"
            match = _EMAIL.search(sample, max(0, at - 64), at + 255)
        if match and match.start() <= at < match.end():
            found.append((match.start(), f"email …@{match.group().split('@')[1].rstrip('.-')}"))
            at = sample.find("@", match.end())
        else:
            at = sample.find("@", at + 1)
    digits = sum(map(sample.count, "0123456789"))
    if digits >= 8:  # phones, cards, IBANs and ID numbers all have more
        taken = []
        for match in islice(_IBAN.finditer(sample), _PII_MAX_TRIES):
            compact = match.group().replace(" ", "")
            if iban_valid(compact[:lex.iban_lengths.get(compact[:2], 0)]):
                found.append((match.start(), f"iban {compact[:4].upper()}…"))
                taken.append(match.span())
        found += _numbers(sample, taken)
    for pattern, kind in ((_CARD_END, "card"), (_ADDRESS, "address")) if digits else ():
        if words is None or not _KEYS[kind].isdisjoint(words):
            for match in islice(pattern.finditer(sample), _PII_MAX_TRIES):
                shown = match.group()[-4:] if kind == "card" else match.group().split()[-1]
                found.append((match.start(), f"{kind} …{shown}"))
    return [(owner, evidence) for pos, evidence in sorted(found)[:_PII_MAX_HITS]
            if (owner := _owner(sample, pos, lex))]
