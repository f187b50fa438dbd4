"""QueueHeader: the column titles above the queue, laid out exactly as its rows."""

from __future__ import annotations

from rich.segment import Segment
from textual.strip import Strip
from textual.widget import Widget

from .queue_columns import NARROW_TITLES, TITLES, WIDE_FROM, fit, layout


class QueueHeader(Widget):
    """One line of column titles; its width leaves room for the list's scrollbar."""

    DEFAULT_CSS = """
    QueueHeader {
        height: 1;
        padding-right: 1;
        background: $panel;
        color: $foreground 80%;
        text-style: bold;
    }
    """

    def render_line(self, y: int) -> Strip:
        width = self.size.width
        style = self.rich_style
        titles = TITLES if width >= WIDE_FROM else NARROW_TITLES
        segments = [Segment(fit(titles[c.name], c.width) + ("" if c.name in ("mark", "viewer")
                                                            else " "), style)
                    for c in layout(width)]
        return Strip(segments).adjust_cell_length(width, style)
