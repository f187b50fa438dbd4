"""Dates and timings as customers write them, in English and French, relative to a day.

"next week", "la semaine prochaine", "15/12", "15 décembre", "Dec 15th", "demain", "in 3 days",
"dans deux semaines", "asap", "fin du mois", "lundi prochain". Day-first is assumed for
"15/12" unless the numbers only make sense month-first ("12/15"). A day already past this
year means next year's. Nothing matched gives None: the flow asks again rather than guess.
"""

from __future__ import annotations

import calendar
import re
from dataclasses import dataclass
from datetime import date, timedelta

from .numbers import numbers
from .words import words

_MONTHS = {
    "january": 1, "jan": 1, "janvier": 1, "janv": 1, "february": 2, "feb": 2, "fevrier": 2,
    "fev": 2, "march": 3, "mar": 3, "mars": 3, "april": 4, "apr": 4, "avril": 4, "avr": 4,
    "may": 5, "mai": 5, "june": 6, "jun": 6, "juin": 6, "july": 7, "jul": 7, "juillet": 7,
    "juil": 7, "august": 8, "aug": 8, "aout": 8, "september": 9, "sep": 9, "sept": 9,
    "septembre": 9, "october": 10, "oct": 10, "octobre": 10, "november": 11, "nov": 11,
    "novembre": 11, "december": 12, "dec": 12, "decembre": 12,
}  # fmt: skip
_WEEKDAYS = {
    "monday": 0, "lundi": 0, "tuesday": 1, "mardi": 1, "wednesday": 2, "mercredi": 2,
    "thursday": 3, "jeudi": 3, "friday": 4, "vendredi": 4, "saturday": 5, "samedi": 5,
    "sunday": 6, "dimanche": 6,
}  # fmt: skip
_ASAP = (" asap ", " as soon as possible ", " right away ", " urgent ", " urgently ",
         " immediately ", " au plus vite ", " des que possible ", " tout de suite ",
         " au plus tot ", " urgence ", " rapidement ", " vite ")
_FIXED = (
    ((" day after tomorrow ", " apres demain "), 2),
    ((" today ", " tonight ", " aujourd hui ", " ce soir ", " this week ", " cette semaine "), 0),
    ((" tomorrow ", " demain "), 1),
)
_NUMERIC = re.compile(r"(?<!\d)(\d{1,2})[/.-](\d{1,2})(?:[/.-](\d{2}|\d{4}))?(?!\d)")
_ISO = re.compile(r"(?<!\d)(\d{4})-(\d{2})-(\d{2})(?!\d)")
_DAY_MONTH = re.compile(r" (\d{1,2})(?: ?(?:er|st|nd|rd|th))? (?:of )?([a-z]+) ")
_MONTH_DAY = re.compile(r" ([a-z]+) (\d{1,2})(?: ?(?:st|nd|rd|th))? ")
_IN_SPAN = re.compile(
    r" (?:in|dans|d ici|within|sous) ((?:[a-z0-9]+ ){1,3}?)"
    r"(days?|weeks?|months?|jours?|semaines?|mois) ")


@dataclass(frozen=True, slots=True)
class When:
    """A day read in an answer, and whether the customer said it was urgent."""

    day: date
    urgent: bool = False


def _future(today: date, month: int, day: int, year: int | None = None) -> date | None:
    try:
        found = date(year or today.year, month, day)
    except ValueError:
        return None
    if year is None and found < today:
        try:
            found = date(today.year + 1, month, day)
        except ValueError:
            return None
    return found


def _year(text: str | None) -> int | None:
    if not text:
        return None
    value = int(text)
    return value + 2000 if value < 100 else value


def _add_months(day: date, months: int) -> date:
    month = day.month - 1 + months
    year = day.year + month // 12
    month = month % 12 + 1
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def parse(text: str, today: date) -> When | None:
    """The day an answer names, relative to `today`; None when it names none."""
    folded = words(text)
    urgent = any(mark in folded for mark in _ASAP)
    found = _explicit(text, folded, today) or _relative(folded, today)
    if found is None:
        return When(today, True) if urgent else None
    return When(found, urgent)


def _explicit(text: str, folded: str, today: date) -> date | None:
    iso = _ISO.search(text)
    if iso:
        y, m, d = (int(g) for g in iso.groups())
        return _future(today, m, d, y)
    numeric = _NUMERIC.search(text)
    if numeric:
        a, b = int(numeric.group(1)), int(numeric.group(2))
        day, month = (b, a) if b > 12 >= a else (a, b)
        return _future(today, month, day, _year(numeric.group(3)))
    for match in _DAY_MONTH.finditer(folded):
        month = _MONTHS.get(match.group(2))
        if month:
            return _future(today, month, int(match.group(1)))
    for match in _MONTH_DAY.finditer(folded):
        month = _MONTHS.get(match.group(1))
        if month:
            return _future(today, month, int(match.group(2)))
    return None


def _relative(folded: str, today: date) -> date | None:
    for marks, days in _FIXED:
        if any(mark in folded for mark in marks):
            return today + timedelta(days=days)
    if any(m in folded for m in (" christmas ", " xmas ", " noel ")):
        return _future(today, 12, 25)
    if any(m in folded for m in (" next week ", " semaine prochaine ", " semaine pro ")):
        return today + timedelta(days=7 - today.weekday())
    if any(m in folded for m in (" this weekend ", " ce week end ", " ce weekend ")):
        return today + timedelta(days=(5 - today.weekday()) % 7)
    if any(m in folded for m in (" next month ", " mois prochain ", " mois pro ")):
        return _add_months(today.replace(day=1), 1)
    if any(m in folded for m in (" end of the month ", " end of month ", " fin du mois ",
                                  " fin de mois ")):
        return today.replace(day=calendar.monthrange(today.year, today.month)[1])
    span = _IN_SPAN.search(folded)
    if span:
        count = numbers(span.group(1))
        amount = int(count[0]) if count else (1 if span.group(1).strip() in (
            "a", "an", "one", "un", "une") else 0)
        unit = span.group(2)
        if amount and amount <= 366:
            if unit.startswith(("month", "mois")):
                return _add_months(today, amount)
            weeks = unit.startswith(("week", "semaine"))
            return today + timedelta(days=amount * (7 if weeks else 1))
    for name, weekday in _WEEKDAYS.items():
        if f" {name} " in folded:
            ahead = (weekday - today.weekday()) % 7 or 7
            return today + timedelta(days=ahead)
    for name, month in _MONTHS.items():
        if len(name) > 3 and f" {name} " in folded and name not in ("mars", "march", "may"):
            return _future(today, month, 1)
    return None
