"""QueueStatus: one line under the queue saying what the agent is looking at."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from workstation.text import inert


class QueueStatus(Static):
    """The view's description, its size, the filter and the marks, as plain text."""

    DEFAULT_CSS = """
    QueueStatus {
        height: 1;
        background: $panel;
        color: $foreground 70%;
        padding: 0 1;
    }
    """

    _shown: tuple[object, ...] = ()

    def show(self, *, title: str, description: str, total: int | None, position: int,
             marked: int, search: str, sort: str) -> None:
        shown = (title, description, total, position, marked, search, sort)
        if shown == self._shown:  # asked after every re-read of the view
            return
        self._shown = shown
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(inert(title, limit=40), style="bold")
        if description:
            text.append(f" · {inert(description, limit=80)}")
        if total is None:
            text.append(" · reading…")
        elif total:
            text.append(f" · {position + 1:,}/{total:,}")
        else:
            text.append(" · nothing here")
        if sort != "sla":
            text.append(f" · by {sort}")
        if search:
            text.append(" · filter: ")
            text.append(inert(search, limit=60), style="italic")
        if marked:
            text.append(f" · {marked} marked", style="bold reverse")
        # One line whatever it says: no layout pass (this runs on every cursor move, and a
        # layout of the whole screen cost more than the move itself).
        self.update(text, layout=False)
