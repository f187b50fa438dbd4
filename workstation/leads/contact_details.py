"""E-mail addresses and phone numbers given in answers, validated before they are kept.

Only well-formed values are stored: an e-mail with one `@`, a dotted domain of plausible
labels and a top-level domain of letters; a phone number of 8 to 15 digits (E.164's limit)
written in the usual French and international forms ("06 12 34 56 78", "+33 6 12 34 56 78",
"+1 (415) 555-0100", "0033612345678"). French national numbers are kept in +33 form.
"""

from __future__ import annotations

import re

_EMAIL = re.compile(r"[A-Za-z0-9._%+'-]{1,64}@[A-Za-z0-9.-]{1,253}\.[A-Za-z]{2,24}")
_LABEL = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?")
_DATE = re.compile(r"\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}")
_PHONE = re.compile(r"(?<![\w+])(\+|00)?\d[\d .()\-\u00a0]{6,22}\d(?!\w)")


def email(text: str) -> str | None:
    """The first valid e-mail address in `text`, lower-cased; None when there is none."""
    for match in _EMAIL.finditer(text[:2000]):
        value = match.group(0).strip(".")
        local, _, domain = value.rpartition("@")
        if not local or local.startswith(".") or local.endswith(".") or ".." in local:
            continue
        labels = domain.split(".")
        if all(_LABEL.fullmatch(label) for label in labels) and len(labels) >= 2:
            return f"{local}@{domain.lower()}"
    return None


def phone(text: str) -> str | None:
    """The first valid phone number in `text`, as + and digits; None when there is none."""
    for match in _PHONE.finditer(text[:2000]):
        raw = match.group(0)
        if raw.count("(") != raw.count(")") or _DATE.fullmatch(raw):
            continue
        digits = re.sub(r"\D", "", raw)
        if raw.startswith("+"):
            international = digits
        elif raw.startswith("00"):
            international = digits[2:]
        elif len(digits) == 10 and digits.startswith("0"):
            international = "33" + digits[1:]
        else:
            continue
        if 8 <= len(international) <= 15 and not international.startswith("0"):
            return "+" + international
    return None
