"""What the leads work looks for in a customer message's words, before any store.

A stop word, promo codes, a campaign link, a shared photo: pure functions of the message and
flows.toml, so ingest's worker processes read them with the rest of the text and the leads
hook (`hook.LeadHook`) only acts on what they found. Nothing here imports the store.
"""

from __future__ import annotations

from typing import NamedTuple

from workstation.events import Event

from . import attribution
from .config import FlowBook
from .words import words

SHORT = 6
"""A one-word stop term ("stop", "arrête") opts out in a message of at most this many words;
a longer message needs one of the phrases ("leave me alone")."""
_MEDIA_TYPES = ("image", "photo", "video", "reel", "story", "carousel", "gif")


class Reading(NamedTuple):
    """What the leads work finds in a customer message's words."""

    stop_word: str | None
    """An opt-out word or phrase of flows.toml ("stop", "leave me alone")."""
    codes: tuple[str, ...]
    """Promo codes."""
    campaign: str
    """The `utm_campaign` of a pasted link."""
    shares: bool
    """Whether the message shares content of the product (a photo, "my photo")."""


NOTHING = Reading(None, (), "", False)


def read(book: FlowBook, event: Event) -> Reading | None:
    """What the leads work looks for in a customer message (None: nothing at all, the usual
    case)."""
    folded = words(event.text)
    stop_word = book.opt_out_words.find(folded)
    if stop_word and " " not in stop_word and len(folded.split()) > SHORT:
        stop_word = None  # "stop asking me questions, this is ridiculous" is anger
    found = Reading(stop_word, attribution.promo_codes(event.text, book.promo_codes),
                    attribution.utm_campaign(event.text), shares_content(book, event, folded))
    return found if found != NOTHING else None


class Reader:
    """`read` for one flows book, remembering what it found in the short texts it met
    (an inbox repeats itself: "prix ?", "😍", a spam wave), as `Pipeline.signals` does."""

    SEEN_MAX = 20_000
    SEEN_TEXT = 280

    def __init__(self, book: FlowBook) -> None:
        self.book = book
        self._seen: dict[str, Reading | None] = {}

    def __call__(self, event: Event) -> Reading | None:
        # Without extra data (no attachment) a message's reading depends on its text only.
        if event.extra or len(event.text) > self.SEEN_TEXT:
            return read(self.book, event)
        seen = self._seen
        if event.text in seen:
            return seen[event.text]
        if len(seen) >= self.SEEN_MAX:
            seen.clear()
        found = seen[event.text] = read(self.book, event)
        return found


def has_media(event: Event) -> bool:
    """Whether the customer sent an image or a video: an attachment of any message, or the
    media of a mention. (A comment's `media` is the post it sits under, not theirs.)"""
    keys = ("attachments", "attachment", "media") if event.kind == "mention" else (
        "attachments", "attachment")
    for key in keys:
        value = event.extra.get(key)
        items = value if isinstance(value, list) else [value] if value else []
        for item in items:
            kind = ""
            if isinstance(item, dict):
                kind = str(item.get("type") or item.get("media_type") or "").lower()
            elif isinstance(item, str):
                kind = item.lower()
            if any(t in kind for t in _MEDIA_TYPES) or (key == "media" and item):
                return True
    return False


def shares_content(book: FlowBook, event: Event, folded: str) -> bool:
    """Whether a customer message shares content of the product."""
    return has_media(event) or bool(book.ugc_words.find(folded))
