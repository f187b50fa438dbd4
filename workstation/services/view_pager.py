"""The rows of one view that a screen holds: a sparse window filled page by page.

A virtual list shows a few dozen of a view's rows at a time. `RowWindow` remembers the rows
read so far by their index, says which page to read next for the lines on screen (`plan`,
on the UI thread), and takes the page in (`merge`, on the UI thread) once `read` has run it in
a thread. A page is read by keyset from a neighbouring row it already holds; only a jump into
the unknown middle (a scrollbar drag) reads by offset. `reload` re-reads the view around the
conversation under the cursor, so a change in the store never moves the cursor off its row.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import Engine

from .view_rows import Key, QueueItem, ViewQuery, count, last_page, locate, page

PAGE = 100
"""Rows per read: a screenful or three, so that scrolling rarely waits."""
KEEP = 4000
"""Rows kept in memory per view; the farthest from the cursor go first."""


@dataclass(frozen=True, slots=True)
class Fetch:
    """One page to read: from the top, after a key, before a key, at an offset, or the end."""

    generation: int
    start: int
    """Index of the first row asked for (for `before`: one past the last)."""
    after: Key | None = None
    before: Key | None = None
    offset: int | None = None
    last: bool = False
    limit: int = PAGE


@dataclass(frozen=True, slots=True)
class Reloaded:
    """A fresh reading of a view, positioned on the row that was under the cursor."""

    generation: int
    query: ViewQuery
    total: int
    index: int
    """Where the cursor goes: the same conversation's new place, else the same index."""
    rows: dict[int, QueueItem] = field(default_factory=dict)


class RowWindow:
    """The rows of one reading of a view, by index. Touched only by the UI thread."""

    def __init__(self, reloaded: Reloaded) -> None:
        self.generation = reloaded.generation
        self.query = reloaded.query
        self.total = reloaded.total
        self.rows: dict[int, QueueItem] = dict(reloaded.rows)

    def get(self, index: int) -> QueueItem | None:
        """The row at `index`, or None while it is not read yet."""
        return self.rows.get(index)

    def plan(self, start: int, stop: int) -> Fetch | None:
        """The next page to read so that rows `start`..`stop-1` are all held; None if held."""
        start, stop = max(start, 0), min(stop, self.total)
        missing = [i for i in range(start, stop) if i not in self.rows]
        if not missing:
            return None
        first, final = missing[0], missing[-1]
        if first - 1 in self.rows:
            return Fetch(self.generation, first, after=self.rows[first - 1].key)
        if final + 1 in self.rows:
            return Fetch(self.generation, final + 1, before=self.rows[final + 1].key)
        if first == 0:
            return Fetch(self.generation, 0)
        if final >= self.total - 1:
            return Fetch(self.generation, self.total, last=True)
        return Fetch(self.generation, first, offset=first)

    def merge(self, fetch: Fetch, items: list[QueueItem]) -> bool:
        """Take a page in; False (and nothing changes) if it belongs to an older reading."""
        if fetch.generation != self.generation:
            return False
        if fetch.before is not None or fetch.last:
            start = fetch.start - len(items)
        else:
            start = fetch.start
        for offset, item in enumerate(items):
            if 0 <= start + offset < self.total:
                self.rows[start + offset] = item
        if len(self.rows) > KEEP:
            centre = start + len(items) // 2
            for index in sorted(self.rows, key=lambda i: -abs(i - centre))[: len(self.rows) - KEEP]:
                del self.rows[index]
        return True

    def index_of(self, conversation_id: int) -> int | None:
        """The index of a held row by its conversation id."""
        return next((i for i, item in self.rows.items() if item.id == conversation_id), None)

    def around(self, index: int, radius: int) -> list[int]:
        """The ids of the contiguous held rows within `radius` of `index`, in order."""
        ids = []
        low = index
        while low - 1 in self.rows and index - (low - 1) <= radius:
            low -= 1
        i = low
        while i in self.rows and i - index <= radius:
            ids.append(self.rows[i].id)
            i += 1
        return ids


def read(engine: Engine, query: ViewQuery, fetch: Fetch) -> list[QueueItem]:
    """Run a planned fetch (in a thread)."""
    if fetch.last:
        return last_page(engine, query, limit=fetch.limit)
    if fetch.before is not None:
        return page(engine, query, before=fetch.before, limit=min(fetch.limit, fetch.start))
    return page(engine, query, after=fetch.after, offset=fetch.offset or 0, limit=fetch.limit)


def reload(
    engine: Engine, query: ViewQuery, generation: int, *, keep_id: int | None = None,
    keep_index: int = 0, radius: int = PAGE,
) -> Reloaded:
    """Read a view afresh around conversation `keep_id` (else around index `keep_index`)."""
    total = count(engine, query)
    rows: dict[int, QueueItem] = {}
    found = locate(engine, query, keep_id) if keep_id is not None and total else None
    if found is not None:
        index, item = found
        before = page(engine, query, before=item.key, limit=radius) if index else []
        after = page(engine, query, after=item.key, limit=radius)
        index = min(index, total - 1)
        for offset, row in enumerate(before):
            rows[index - len(before) + offset] = row
        rows[index] = item
        for offset, row in enumerate(after, start=1):
            rows[index + offset] = row
    else:
        index = max(min(keep_index, total - 1), 0)
        start = max(index - radius, 0)
        for offset, row in enumerate(page(engine, query, offset=start, limit=2 * radius)):
            rows[start + offset] = row
    return Reloaded(generation, query, total, index,
                    {i: r for i, r in rows.items() if 0 <= i < total})
