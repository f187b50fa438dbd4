"""Campaign and promo-code attribution read in customer messages.

A promo code counts when it is one of flows.toml's codes (whole word, any case) or a token of
letters and digits written right after "code", "promo" or "coupon". A campaign comes from the
`utm_campaign` of a link the customer pasted; links are split with `urllib.parse`, never
followed.
"""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

_LINK = re.compile(r"https?://[^\s<>\"']{1,500}", re.IGNORECASE)
_AFTER = re.compile(r"\b(?:code|promo|coupon|promocode)\s*[:=]?\s*([A-Za-z0-9]{4,20})\b",
                    re.IGNORECASE)
_TOKEN = re.compile(r"[A-Za-z0-9]{3,20}")
_NOT_CODES = frozenset({"PROMO", "CODE", "COUPON", "POUR", "FOR", "THE", "CETTE", "WITH",
                        "AVEC", "MERCI", "THANKS", "PLEASE", "WORK", "MARCHE"})


def promo_codes(text: str, known: tuple[str, ...]) -> tuple[str, ...]:
    """Promo codes in a message, upper-cased, in order, each once."""
    text = text[:2000]
    upper = text.upper()
    found: list[str] = []
    candidates = [code for code in known if code in upper]  # cheap test first: most have none
    if candidates:
        tokens = {t.upper() for t in _TOKEN.findall(text)}
        found += [code for code in candidates if code in tokens]
    if not any(word in upper for word in ("CODE", "PROMO", "COUPON")):
        return tuple(found)
    for match in _AFTER.finditer(text):
        code = match.group(1).upper()
        if code not in _NOT_CODES and any(c.isdigit() for c in code) or code in known:
            found.append(code)
    return tuple(dict.fromkeys(found))


def utm_campaign(text: str) -> str:
    """The `utm_campaign` of the first link that has one, '' when none does."""
    if "utm_campaign" not in text:
        return ""
    for match in _LINK.finditer(text[:4000]):
        try:
            query = parse_qs(urlsplit(match.group(0)).query)
        except ValueError:
            continue
        values = query.get("utm_campaign")
        if values and values[0].strip():
            return values[0].strip()[:200]
    return ""
