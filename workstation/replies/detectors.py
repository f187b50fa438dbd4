"""Finding private data in a reply: card numbers, IBANs, e-mails, phones, street addresses.

Each detector is a bounded regular expression (written here, never built from untrusted text)
followed by a check that removes look-alikes: the Luhn sum for cards, the ISO 13616 mod-97
check for IBANs, a digit count for phone numbers. Also here: how X counts a post's length.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

from .normalize import fold

_CARD = re.compile(r"(?<![\d-])(?:\d[ -]?){12,18}\d(?![\d-])")
_IBAN = re.compile(r"(?<![A-Z0-9])[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}(?![A-Z0-9])")
_EMAIL = re.compile(r"(?<![\w.+-])[\w.+-]{1,64}@([\w-]{1,63}(?:\.[\w-]{1,63})+)")
_PHONE = re.compile(r"(?<![\w+])(?:\+|00)?\d(?:[ .\-]?\(?\d\)?){7,16}(?![\w])")
_STREET_FR = re.compile(
    r"\b\d{1,4}(?: ?(?:bis|ter|[a-z]))?,? (?:rue|avenue|av\.?|boulevard|bd|chemin|allee|impasse"
    r"|place|quai|route|square|rond-point) ", re.IGNORECASE,
)
_STREET_EN = re.compile(
    r"\b\d{1,5}[a-z]? (?:[a-z]+ ){1,3}(?:street|st|road|rd|avenue|ave|lane|ln|boulevard|blvd"
    r"|crescent|terrace)\b", re.IGNORECASE,
)
_URL = re.compile(r"https?://\S+|\b(?:[a-z0-9-]+\.)+(?:com|fr|org|net|io|co|eu|be|ch)(?:/\S*)?",
                  re.IGNORECASE)


@dataclass(frozen=True, slots=True)
class Finding:
    """Private data found in a text: its kind and a masked excerpt safe to show."""

    kind: str
    masked: str


def digits(text: str) -> str:
    """Only the digits of `text` (to compare phone numbers however they are written)."""
    return "".join(c for c in text if c.isdigit())


def luhn(number: str) -> bool:
    """Whether a string of digits passes the Luhn check of payment cards."""
    total = 0
    for i, ch in enumerate(reversed(number)):
        d = int(ch)
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def iban_valid(candidate: str) -> bool:
    """Whether `candidate` (spaces allowed) passes the IBAN mod-97 check."""
    compact = candidate.replace(" ", "").upper()
    if not 15 <= len(compact) <= 34:
        return False
    moved = compact[4:] + compact[:4]
    number = "".join(str(int(c, 36)) for c in moved)
    return int(number) % 97 == 1


def _mask(text: str) -> str:
    keep = text.strip()
    if len(keep) <= 4:
        return "…"
    return keep[:2] + "…" + keep[-2:]


def find_private_data(
    text: str,
    *,
    allowed_domains: frozenset[str] = frozenset(),
    allowed_phones: frozenset[str] = frozenset(),
    allowed_addresses: tuple[str, ...] = (),
) -> list[Finding]:
    """Every piece of private data in `text`, brand contact details excepted.

    Args:
        text: the reply.
        allowed_domains: e-mail domains of the brand (lower case).
        allowed_phones: the brand's phone numbers, digits only.
        allowed_addresses: the brand's street addresses, folded.

    Returns:
        Findings in order of kind: card, iban, email, phone, address.
    """
    found: list[Finding] = []
    card_spans = []
    for match in _CARD.finditer(text):
        number = digits(match.group())
        if 13 <= len(number) <= 19 and luhn(number):
            found.append(Finding("card", _mask(number)))
            card_spans.append(match.span())
    for match in _IBAN.finditer(text.upper()):
        if iban_valid(match.group()):
            found.append(Finding("iban", _mask(match.group())))
    for match in _EMAIL.finditer(text):
        domain = match.group(1).lower()
        if not any(domain == d or domain.endswith("." + d) for d in allowed_domains):
            found.append(Finding("email", _mask(match.group())))
    without_urls = _URL.sub(" ", text)
    for match in _PHONE.finditer(without_urls):
        number = digits(match.group())
        if not 9 <= len(number) <= 15 or number in allowed_phones:
            continue
        if any(number.endswith(p[-9:]) for p in allowed_phones if len(p) >= 9):
            continue
        if 13 <= len(number) <= 19 and luhn(number):
            continue  # already reported as a card
        found.append(Finding("phone", _mask(number)))
    folded = fold(text)
    brand = [
        (m.start(), m.end())
        for a in allowed_addresses if a
        for m in re.finditer(re.escape(a), folded)
    ]
    for pattern in (_STREET_FR, _STREET_EN):
        for match in pattern.finditer(folded):
            if not any(lo <= match.start() < hi for lo, hi in brand):
                found.append(Finding("address", _mask(match.group())))
    return found


_LIGHT = ((0, 4351), (8192, 8205), (8208, 8223), (8242, 8247))
_X_URL_LENGTH = 23


def x_length(text: str) -> int:
    """A post's length as X counts it against its 280 limit.

    X (twitter-text v3) counts text in NFC form: code points in Latin and a few punctuation
    ranges count 1, others (CJK, most emoji) count 2, and every URL counts 23 whatever its
    length. Emoji modifiers, variation selectors and joiners add nothing to the emoji they
    belong to.
    """
    text = unicodedata.normalize("NFC", text)
    total = 0
    last = 0
    for match in _URL.finditer(text):
        total += _weigh(text[last : match.start()]) + _X_URL_LENGTH
        last = match.end()
    return total + _weigh(text[last:])


def _weigh(text: str) -> int:
    total = 0
    previous_joiner = False
    for ch in text:
        code = ord(ch)
        if code == 0x200D:
            previous_joiner = True
            continue
        if 0xFE00 <= code <= 0xFE0F or 0x1F3FB <= code <= 0x1F3FF:
            continue
        if previous_joiner:
            previous_joiner = False
            continue
        total += 1 if any(lo <= code <= hi for lo, hi in _LIGHT) else 2
    return total
