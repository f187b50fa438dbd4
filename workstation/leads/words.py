"""Word lists of flows.toml matched against customer text, as words, never as patterns.

Customer text is untrusted and word lists are written by the team: both are folded the same
way (case, accents, apostrophes and punctuation gone) and a phrase matches when its words
appear side by side. No list entry is ever compiled as a regular expression.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z0-9#]+")
_MARKS = re.compile("[\u0300-\u036f]")
_FOLD = str.maketrans({"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o"})
MAX_CHARS = 2000
"""Only the start of a very long message is read."""


def words(text: str) -> str:
    """Folded words of `text` joined by single spaces, padded with a space on each side.

    Runs on every message at ingest, so it stays in C loops: accents are split off and
    dropped, any other non-ASCII character becomes a separator.
    """
    folded = text[:MAX_CHARS].lower().translate(_FOLD)
    if not folded.isascii():
        folded = _MARKS.sub("", unicodedata.normalize("NFKD", folded))
        folded = folded.encode("ascii", "replace").decode("ascii")
    return " " + " ".join(_WORD.findall(folded)) + " "


class Phrases:
    """A list of words and phrases, found as whole words in folded text."""

    def __init__(self, phrases: Iterable[str]) -> None:
        self.phrases = tuple(p for p in (words(x).strip() for x in phrases) if p)

    def __bool__(self) -> bool:
        return bool(self.phrases)

    def find(self, text: str) -> str | None:
        """The first phrase of the list present in `text` (already passed through `words`)."""
        for phrase in self.phrases:
            if f" {phrase} " in text:
                return phrase
        return None
