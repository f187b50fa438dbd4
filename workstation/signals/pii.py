"""Private data in a message: e-mail, phone, postal address, card, IBAN, ID numbers.

Why it exists: the team hides a customer's own private data and deletes someone else's
(doxxing); `moderation.detect` reports both. Data is found by pattern and validated (card by
Luhn, IBAN by mod 97, French social security number by its key); the nearest owner word
before it says whose: "my", "appelez-moi" give "self"; "her", "le numéro de Julie" "other".
An owner attached to the data noun ("son numéro perso", "le numéro du livreur") and a verb
of dwelling after someone else ("votre torréfacteur habite") say "other" before that.
The owner words live in `data/moderation_lexicon.json` (its `pii` table).

Text is untrusted: only the first `PII_MAX_CHARS` characters are searched, the regular
expressions are constants without nested quantifiers, and the number of matches tried and
reported is bounded.
"""

from __future__ import annotations

import functools
import json
import re
from itertools import islice

from . import linear

PII_MAX_CHARS = 100_000
"""Private data is searched in this many characters: more than any real message."""

_PII_MAX_HITS, _PII_MAX_TRIES = 50, 500  # bound the work a hostile text can cause


class _Cues:
    """The `pii` table of the moderation lexicon: owner words and IBAN lengths."""

    def __init__(self, data: dict) -> None:
        self.pii = {k: frozenset(v) for k, v in data.items() if k != "iban_lengths"}
        self.iban_lengths: dict[str, int] = data["iban_lengths"]


@functools.cache  # read on first use; a race only reads the file twice
def _lexicon() -> _Cues:
    path = linear.DATA_DIR / "moderation_lexicon.json"
    return _Cues(json.loads(path.read_text(encoding="utf-8"))["pii"])


def has_digit(text: str) -> bool:
    """Whether `text` holds a digit (no phone, card or address without one)."""
    return _DIGIT.search(text) is not None


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


_OTHERS = frozenset({"son", "sa", "ses", "his", "her", "their", "leur", "leurs"})
_OF = frozenset({"du", "de", "d", "of", "la", "l", "the", "cette", "ce", "that", "this",
                 "your", "votre", "ton", "ta", "notre"})
_QUALIFIERS = frozenset({"perso", "personnel", "personal", "private", "prive", "home", "mobile",
                         "portable", "cell", "email", "mail", "e", "de", "d", "telephone", "tel",
                         "phone"})


def _noun_owner(window: list[str], cue: dict[str, frozenset[str]]) -> str | None:
    """"other" when the data noun nearest the data has someone else's owner attached ("son
    numéro perso", "le numéro du livreur", "the driver's number", "the number of the
    waitress"), whatever owner words come between ("...qui a jeté mon colis : 06...")."""
    for j in range(len(window) - 1, -1, -1):
        if window[j] not in cue["data_nouns"]:
            continue
        k = j - 1
        while k >= 0 and window[k] in _QUALIFIERS:  # "son numéro de portable perso"
            k -= 1
        if k >= 0 and (window[k] in _OTHERS or window[k] in cue["staff"]
                       or window[k] == "s" and k and window[k - 1] in cue["staff"]):
            return "other"  # "son numéro", "the driver's number", "livreur email"
        k = j + 1
        if k < len(window) and window[k] in ("du", "de", "d", "of"):
            while k < len(window) and window[k] in _OF and k - j <= 3:
                k += 1
        if j + 1 < k < len(window) and window[k] in cue["staff"]:
            return "other"  # "le numéro du livreur", "the number of your waitress"
        return None
    return None


def _owner(text: str, start: int, lex: _Cues) -> str | None:
    """Whose data sits at `start`: "self", "other", or None for the addressee's own (the
    brand's public number), from the nearest owner word among the 12 before it; an owner
    attached to the nearest data noun ("le numéro du livreur") or a verb of dwelling ("votre
    torréfacteur habite 17 rue...") says "other" first."""
    cue = lex.pii
    window = _WORDS.findall(text[max(0, start - 160):start])[-12:]
    if _noun_owner(window, cue):
        return "other"
    for j in range(len(window) - 1, -1, -1):
        word, after = window[j], window[j + 1] if j + 1 < len(window) else ""
        if word in cue["lives"]:  # "I live at" is mine; "le livreur habite au" is not
            before = window[j - 1] if j else ""
            return "self" if before in cue["own"] or before in ("we", "nous", "on") else "other"
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
