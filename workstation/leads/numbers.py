"""Numbers and amounts as customers write them, in English and French.

"200", "2 000", "2,000", "1,5", "1.5k", "200€", "$50", "two hundred and fifty", "deux cents",
"quatre-vingt-dix", "une douzaine". Quantities and budgets of a qualifier flow are read with
these; anything else is left alone (None), so the flow can ask again instead of guessing.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from workstation.signals.lexicon import fold

_UNITS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13,
    "fourteen": 14, "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18,
    "nineteen": 19, "twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60,
    "seventy": 70, "eighty": 80, "ninety": 90,
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5, "sept": 7,
    "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12, "treize": 13, "quatorze": 14,
    "quinze": 15, "seize": 16, "vingt": 20, "vingts": 20, "trente": 30, "quarante": 40,
    "cinquante": 50, "soixante": 60,
}  # fmt: skip
"""Word values; "six" is the same in both languages."""
_SCALES = {"hundred": 100, "hundreds": 100, "cent": 100, "cents": 100, "thousand": 1000,
           "thousands": 1000, "mille": 1000, "milles": 1000}
_GROUPS = {"dozen": 12, "dozens": 12, "douzaine": 12, "douzaines": 12, "dizaine": 10,
           "dizaines": 10, "centaine": 100, "centaines": 100, "couple": 2, "pair": 2}
_JOINERS = {"and", "et", "a", "an"}
_DIGITS = re.compile(
    r"(?<![\w.,])(\d{1,3}(?:[ \u00a0\u202f.,]\d{3})+|\d+)(?:[.,](\d{1,2}))?\s*(k)?(?![\w])",
    re.IGNORECASE,
)
_CURRENCIES = (
    ("EUR", ("€", "eur", "euro", "euros", "balles")),
    ("USD", ("$", "usd", "dollar", "dollars")),
    ("GBP", ("£", "gbp", "pound", "pounds", "livres")),
)
MAX_VALUE = 10**9
"""Larger numbers are not quantities or budgets anyone means; they are refused."""


@dataclass(frozen=True, slots=True)
class Amount:
    """A number read in an answer, with its currency when one was written."""

    value: float
    currency: str = ""
    high: float | None = None
    """The upper end of a range ("100-200", "entre 100 et 200")."""

    @property
    def top(self) -> float:
        """The largest value said: the range's top, else the value."""
        return self.high if self.high is not None else self.value


def _digits(match: re.Match[str]) -> float:
    whole = re.sub(r"[ \u00a0\u202f.,]", "", match.group(1))
    value = float(whole)
    if match.group(2):
        value += float(match.group(2)) / (10 ** len(match.group(2)))
    if match.group(3):
        value *= 1000
    return value


def _word_numbers(text: str) -> list[float]:
    """Numbers written in words, in order of appearance."""
    tokens = re.findall(r"[a-z]+", fold(text).replace("-", " "))
    found: list[float] = []
    total = current = 0
    started = False
    previous = ""
    for index, token in enumerate(tokens):
        following = tokens[index + 1] if index + 1 < len(tokens) else ""
        if token in ("a", "an", "une", "un") and not started and (
                following in _SCALES or following in _GROUPS):
            current, started = 1, True
        elif token in _UNITS:
            if token in ("vingt", "vingts") and previous == "quatre":
                current += 80 - 4
            else:
                current += _UNITS[token]
            started = True
        elif token in _SCALES and (started or token in ("mille", "thousand", "hundred", "cent")):
            scale = _SCALES[token]
            if scale == 1000:
                total += max(current, 1) * 1000
                current = 0
            else:
                current = max(current, 1) * scale
            started = True
        elif token in _GROUPS:
            current = max(current, 1) * _GROUPS[token]
            started = True
        elif token in _JOINERS and started:
            pass
        elif started:
            found.append(float(total + current))
            total = current = 0
            started = False
        previous = token
    if started:
        found.append(float(total + current))
    return found


def numbers(text: str) -> list[float]:
    """Every number in `text`, digits first in order, then those written in words."""
    values = [_digits(m) for m in _DIGITS.finditer(text[:2000])]
    values += _word_numbers(text[:2000])
    return [v for v in values if 0 <= v <= MAX_VALUE]


def currency(text: str) -> str:
    """The currency written in `text` (EUR, USD, GBP), '' when none."""
    folded = fold(text[:2000])
    words = set(re.findall(r"[a-z]+", folded))
    for code, marks in _CURRENCIES:
        if any((m in folded) if not m.isalpha() else (m in words) for m in marks):
            return code
    return ""


def amount(text: str) -> Amount | None:
    """The number (or range) an answer gives, with its currency; None when there is none."""
    values = numbers(text)
    if not values:
        return None
    high = values[1] if len(values) > 1 and values[1] > values[0] else None
    return Amount(values[0], currency(text), high)


def quantity(text: str) -> int | None:
    """A whole quantity ("200", "deux cents", "a dozen"); None when there is none."""
    values = numbers(text)
    if not values or values[0] < 1:
        return None
    return int(round(values[0]))
