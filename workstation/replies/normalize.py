"""One way to fold text for matching, shared by guardrails and suggestions.

Customers and agents write "Déjà", "deja", "DÉJÀ" and "c’est" for "c'est"; phrase lists and
fuzzy matching must see them as the same words. Folding is for comparison only: nothing folded
is ever shown or sent.
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache

_APOSTROPHES = str.maketrans({"’": "'", "‘": "'", "`": "'", "´": "'", "ʼ": "'", "‐": "-", "‑": "-"})
_SPACES = re.compile(r"\s+")
_WORDS = re.compile(r"[a-z0-9]+")


def fold(text: str) -> str:
    """Lower-case, strip accents, unify apostrophes and collapse white space.

    Args:
        text: any text, trusted or not.

    Returns:
        The folded text, suitable for substring and word matching.
    """
    decomposed = unicodedata.normalize("NFKD", text.translate(_APOSTROPHES))
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return _SPACES.sub(" ", stripped.casefold()).strip()


STOP_WORDS = frozenset(
    """
    a an and are as at be but by can could do does for from had has have hi hello hey how i
    if in is it its just me my of on or our please pls so that the their them there this to
    us was we what when where which who why will with would you your yours im its thanks
    au aux avec ce ces cet cette dans de des du elle en est et il ils je la le les leur lui ma
    mais me mes moi mon ne nos notre nous on ou par pas pour qu que qui sa se ses son sur ta
    te tes toi ton tu un une vos votre vous bonjour salut merci svp stp c l d j m n s t y
    """.split()
)
"""Words too common in either language to say anything about what a message wants."""


def stem(word: str) -> str:
    """A crude stem so that "ordered", "orders" and "order", or "brûlée" and "brûlé", meet.

    One suffix at most is removed, only from words of five letters or more; good enough for
    matching short social messages in English and French, and cheap.
    """
    if len(word) < 5:
        return word
    for suffix, keep in (("ing", ""), ("ees", "e"), ("ee", "e"), ("ed", ""), ("s", "")):
        if word.endswith(suffix):
            return word[: -len(suffix)] + keep
    return word


@lru_cache(maxsize=8192)
def tokens(text: str) -> tuple[str, ...]:
    """The content words of `text`, folded, stemmed, stop words removed, in order.

    Args:
        text: any text.

    Returns:
        Stems of folded words of two letters or more that are not stop words.
    """
    return tuple(
        stem(w) for w in _WORDS.findall(fold(text)) if len(w) > 1 and w not in STOP_WORDS
    )


def phrase_pattern(phrases: list[str] | tuple[str, ...]) -> re.Pattern[str] | None:
    """One regex matching any of `phrases` as whole words in folded text.

    Phrases come from policy files; they are escaped, never taken as regex syntax, so the
    pattern is an alternation of literals and matches in linear time.

    Args:
        phrases: words or multi-word phrases, in any case and with or without accents.

    Returns:
        The compiled pattern, or None when there is no phrase.
    """
    folded = sorted({fold(p) for p in phrases if fold(p)}, key=len, reverse=True)
    if not folded:
        return None
    body = "|".join(r"\s+".join(re.escape(w) for w in p.split(" ")) for p in folded)
    return re.compile(rf"(?<![a-z0-9])(?:{body})(?![a-z0-9])")
