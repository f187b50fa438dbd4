"""Turning what a stream returned (newest first, over several API pages) into `Page`s, oldest
first, whose `position` never passes an event that was not returned.

Platforms page newest first and their cursors must not be kept (Meta invalidates a cursor
with the item it points at), so a poll reads everything newer than the checkpoint, then hands
it out in creation order: each `Page` carries the position of its own last event. A failure
while reading raises before any page is handed out, so the checkpoint stays where it was.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from .base import Page

PAGE_SIZE = 200


def pages(events: list[dict[str, Any]], position: str, skipped: list[str], *,
          order: Callable[[dict[str, Any]], Any], position_of: Callable[[dict[str, Any]], str],
          size: int | None = None) -> Iterator[Page]:
    """Yield `events` oldest first in pages of `size`; unreadable items go with the first."""
    size = size or PAGE_SIZE
    unique = {event["id"]: event for event in events}
    ordered = sorted(unique.values(), key=order)
    if not ordered:
        yield Page([], position, skipped)
        return
    for start in range(0, len(ordered), size):
        chunk = ordered[start:start + size]
        yield Page(chunk, position_of(chunk[-1]), skipped if start == 0 else [])


class Reported:
    """Unreadable items already reported by this connector: a broken item stays in the range
    a poll re-reads (Meta repeats the last second, Instagram re-reads recent threads), and
    should reach the dead-letter table once, not at every poll."""

    LIMIT = 10_000

    def __init__(self) -> None:
        self._seen: set[str] = set()

    def fresh(self, reasons: list[str]) -> list[str]:
        if len(self._seen) > self.LIMIT:
            self._seen.clear()
        new = [reason for reason in dict.fromkeys(reasons) if reason not in self._seen]
        self._seen.update(new)
        return new
