"""AuditTable: audit events newest first, one per row; details summed up on one line.

Every cell is a `rich.text.Text` made from inert text: actors, actions and details can carry
customer text (a name, a message, a rule's reason) and are never read as markup.
"""

from __future__ import annotations

import json
from datetime import tzinfo
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from workstation.audit import AuditView
from workstation.text import inert

DETAIL_CHARS = 120
"""How much of an event's details its row shows; the detail pane shows them all."""


def summary(details: dict[str, Any]) -> str:
    """Details on one line: `key=value, key=value`, values as JSON unless plain text."""
    return ", ".join(f"{key}={_value(value)}" for key, value in details.items())


def _value(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)


_COLUMNS = (("when", 14), ("actor", 11), ("action", 22), ("conversation", 6))
_LABELS = (("when", "When"), ("actor", "Actor"), ("action", "Action"), ("conversation", "Conv"))


class AuditTable(DataTable[Text]):
    """Rows keyed by event id; a reload keeps the cursor on the event it was on."""

    DEFAULT_CSS = """
    AuditTable {
        height: 1fr;
    }
    """

    def __init__(self, zone: tzinfo, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.zone = zone
        """Times are shown in this zone."""
        self.events: tuple[AuditView, ...] = ()
        self._details_width = 0

    def on_resize(self) -> None:
        # Every column has a fixed width (auto widths lag behind a reload): the details take
        # what the others leave, and are redrawn when the terminal is resized.
        fixed = sum(width + 2 for _, width in _COLUMNS) + 2 + self.styles.scrollbar_size_vertical
        width = max(10, self.size.width - fixed)
        if width != self._details_width:
            self._details_width = width
            current, events, self.events = self.current, self.events, ()
            self.clear(columns=True)
            for (key, label), (_, w) in zip(_LABELS, _COLUMNS, strict=True):
                self.add_column(Text(label), key=key, width=w)
            self.add_column(Text("Details"), key="details", width=width)
            self.show(events, keep=current)

    @property
    def current(self) -> AuditView | None:
        """The event under the cursor."""
        if not self.events or self.cursor_row < 0:
            return None
        return self.events[min(self.cursor_row, len(self.events) - 1)]

    def show(self, events: tuple[AuditView, ...], *, keep: AuditView | None = None) -> bool:
        """Show `events` (newest first), the cursor staying on its event (or on `keep`).

        Returns:
            False when they are the events already shown (nothing is redrawn).
        """
        if [e.id for e in events] == [e.id for e in self.events]:
            return False
        if not self._details_width:  # not laid out yet: drawn by the first resize
            self.events = events
            return True
        current = keep or self.current
        self.clear()
        self.events = events
        for event in events:
            conversation = f"#{event.conversation_id}" if event.conversation_id else ""
            self.add_row(
                Text(f"{event.at.astimezone(self.zone):%m-%d %H:%M:%S}"),
                Text(inert(event.actor, limit=40)),
                Text(inert(event.action, limit=64)),
                Text(conversation, justify="right"),
                Text(inert(summary(event.details), limit=DETAIL_CHARS)),
                key=str(event.id),
            )
        if current is not None:
            index = next((i for i, e in enumerate(events) if e.id == current.id), 0)
            self.move_cursor(row=index, animate=False)
        return True
