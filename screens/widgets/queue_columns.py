"""The queue's columns: their widths at a given terminal width, and each cell's inert text.

Shared by `QueueList` (the rows) and `QueueHeader` (the titles) so the two always line up.
Every string that came from a platform goes through `workstation.text.inert` here and is then
placed in a `Segment` as plain text: no markup parser and no escape sequence ever sees it.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache

from rich.cells import cell_len, set_cell_size

from workstation.services.view_rows import QueueItem
from workstation.text import inert

NAMES = ("mark", "sla", "priority", "platform", "kind", "author", "intents", "sentiment",
         "text", "assignee", "viewer")
TITLES = {"mark": "", "sla": "SLA", "priority": "Pri", "platform": "Platform", "kind": "Kind",
          "author": "Author", "intents": "Intents", "sentiment": "Sent.", "text": "Last message",
          "assignee": "Assignee", "viewer": "Viewing"}
NARROW_TITLES = {**TITLES, "priority": "P", "platform": "On", "sentiment": "Snt",
                 "assignee": "Owner", "viewer": "Viewer"}
_NARROW = {"mark": 1, "sla": 6, "priority": 2, "platform": 2, "kind": 4, "author": 10,
           "intents": 9, "sentiment": 3, "text": 0, "assignee": 7, "viewer": 6}
_WIDE = {"mark": 1, "sla": 7, "priority": 4, "platform": 9, "kind": 7, "author": 16,
         "intents": 16, "sentiment": 5, "text": 0, "assignee": 9, "viewer": 9}
WIDE_FROM = 110
"""From this many columns on, cells use their long forms (`instagram`, `comment`, `0.42`)."""
_PLATFORMS = {"instagram": "IG", "facebook": "FB", "x": "X", "tiktok": "TT", "linkedin": "LI"}
_KINDS = {"comment": "cmt", "dm": "dm", "mention": "@"}
PRIORITY_LABELS = {3: ("!!", "urg"), 2: ("!", "high"), 1: ("", ""), 0: ("↓", "low")}


@dataclass(frozen=True, slots=True)
class Column:
    name: str
    x: int
    width: int


@lru_cache(maxsize=16)
def layout(width: int) -> tuple[Column, ...]:
    """The columns at a given width: fixed widths, the last message takes what is left."""
    widths = dict(_WIDE if width >= WIDE_FROM else _NARROW)
    fixed = sum(widths.values()) + len(widths) - 1
    widths["text"] = max(width - fixed, 8)
    columns, x = [], 0
    for name in NAMES:
        columns.append(Column(name, x, widths[name]))
        x += widths[name] + (0 if name == "mark" else 1)
    return tuple(columns)


def fit(text: str, width: int) -> str:
    """`text` padded or cut to exactly `width` cells, an ellipsis marking a cut."""
    if cell_len(text) <= width:
        return set_cell_size(text, width)
    return set_cell_size(text, max(width - 1, 0)) + "…" if width else ""


def countdown(due: datetime | None, now: datetime) -> str:
    """Time left in at most 6 cells (`47m`, `3h05m`, `21h`, `2d03h`, `12d`), negative once
    breached; `—` when no reply is owed."""
    if due is None:
        return "—"
    seconds = int((due - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds < 3600:
        text = f"{seconds // 60}m"
    elif seconds < 10 * 3600:
        text = f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    elif seconds < 86400:
        text = f"{seconds // 3600}h"
    elif seconds < 10 * 86400:
        text = f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"
    else:
        text = f"{seconds // 86400}d"
    return sign + text


def urgency(due: datetime | None, now: datetime) -> str:
    """breached, urgent (under 15 min), soon (under an hour), calm, or none."""
    if due is None:
        return "none"
    left = (due - now).total_seconds()
    if left < 0:
        return "breached"
    if left < 15 * 60:
        return "urgent"
    if left < 3600:
        return "soon"
    return "calm"


def cells(item: QueueItem, now: datetime, wide: bool) -> dict[str, str]:
    """Each column's text for a row, already inert (before fitting to the column)."""
    sentiment = f"{item.sentiment:+.2f}" if wide else f"{item.sentiment:+.1f}".replace("0.", ".")
    return {
        "sla": countdown(item.sla_due_at, now),
        "priority": PRIORITY_LABELS.get(item.priority, ("", ""))[1 if wide else 0],
        "platform": inert(item.platform if wide else _PLATFORMS.get(item.platform, item.platform)),
        "kind": inert(item.kind if wide else _KINDS.get(item.kind, item.kind)),
        "author": ("★" if item.vip else "") + inert(item.author, limit=64),
        "intents": inert(",".join(item.intents), limit=64),
        "sentiment": "" if abs(item.sentiment) < 0.05 else sentiment,
        "text": inert(item.last_text, limit=300),
        "assignee": inert(item.assignee, limit=64),
        "viewer": inert(item.viewer, limit=64),
    }
