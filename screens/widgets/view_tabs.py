"""ViewTabs: the saved views as one line of tabs, each with its key and its count.

Nine views do not fit in 80 columns with their full titles, so the inactive tabs shorten
their titles (then drop them, keeping key and count) until the line fits; the active tab
always shows its whole title. Titles come from the user's config file: they are drawn as
plain text, never as markup.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from rich.segment import Segment
from textual import events
from textual.message import Message
from textual.strip import Strip
from textual.widget import Widget

from workstation.text import inert


def short_count(count: int | None) -> str:
    """A count in at most five cells: `812`, `8091`, `13.5k`, `212k`; `…` while unknown."""
    if count is None:
        return "…"
    if count < 10_000:
        return str(count)
    if count < 100_000:
        return f"{count / 1000:.1f}k"
    return f"{count // 1000}k"


class ViewTabs(Widget):
    """The views as tabs; `1`-`9` (bound on the screen) or a click selects one."""

    DEFAULT_CSS = """
    ViewTabs {
        height: 1;
        background: $panel;
        color: $foreground 75%;
        & > .view-tabs--active { background: $primary; color: $text; text-style: bold; }
        & > .view-tabs--key { color: $accent; text-style: bold; }
        & > .view-tabs--count { color: $foreground 60%; }
    }
    """
    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "view-tabs--active", "view-tabs--key", "view-tabs--count",
    }

    @dataclass
    class Selected(Message):
        """A tab was clicked."""

        view_tabs: ViewTabs
        index: int

        @property
        def control(self) -> ViewTabs:
            return self.view_tabs

    def __init__(self, titles: list[str], *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._titles = [inert(t, limit=40) for t in titles]
        self._counts: list[int | None] = [None] * len(titles)
        self._active = 0
        self._spans: list[tuple[int, int]] = []

    @property
    def active(self) -> int:
        return self._active

    def set_active(self, index: int) -> None:
        self._active = index
        self.refresh()

    def set_counts(self, counts: list[int | None]) -> None:
        if counts != self._counts:  # read every second while sync writes
            self._counts = list(counts)
            self.refresh()

    def _segments(self, cut: int) -> list[tuple[int, list[Segment]]]:
        """Each tab's segments with inactive titles cut to `cut` characters (0: no title)."""
        base = self.rich_style
        active = base + self.get_component_rich_style("view-tabs--active")
        key_style = base + self.get_component_rich_style("view-tabs--key")
        count_style = base + self.get_component_rich_style("view-tabs--count")
        tabs = []
        for index, title in enumerate(self._titles):
            key = str(index + 1) if index < 9 else "·"
            count = short_count(self._counts[index])
            if index == self._active:
                tabs.append((index, [Segment(f" {key} {title} {count} ", active)]))
                continue
            title = title[:cut].rstrip() if cut else ""
            parts = [Segment(" "), Segment(key, key_style)]
            if title:
                parts.append(Segment(title, base))
            parts.append(Segment(f" {count}", count_style))
            tabs.append((index, parts))
        return tabs

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        for cut in (40, 10, 6, 3, 2, 0):
            tabs = self._segments(cut)
            if sum(s.cell_length for _, parts in tabs for s in parts) <= width:
                break
        segments: list[Segment] = []
        self._spans = []
        x = 0
        for _index, parts in tabs:
            length = sum(s.cell_length for s in parts)
            self._spans.append((x, x + length))
            x += length
            segments.extend(parts)
        strip = Strip(segments)
        if strip.cell_length > width:
            strip = strip.crop(0, width)
        return strip.adjust_cell_length(width, self.rich_style)

    def _on_click(self, event: events.Click) -> None:
        for index, (start, stop) in enumerate(self._spans):
            if start <= event.x < stop:
                self.post_message(self.Selected(self, index))
                return
