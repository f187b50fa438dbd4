"""FilterBar: the `/` line that narrows the view to what matches author, text, tag, intent,
platform (`@lea`, `#vip`, `intent:refund`, `platform:x`, words, "a phrase")."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.message import Message
from textual.timer import Timer
from textual.widgets import Input, Label

DEBOUNCE = 0.25
"""Seconds of quiet typing before the view is read again."""


class FilterBar(Horizontal):
    """A one-line filter; `enter` keeps it and returns to the list, `esc` clears it."""

    DEFAULT_CSS = """
    FilterBar {
        height: 1;
        display: none;
        background: $panel;
        &.-open { display: block; }
        & > Label { width: auto; padding: 0 1; color: $accent; text-style: bold; }
        & > Input { width: 1fr; height: 1; border: none; padding: 0; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "clear", "Clear filter", id="queue.filter-clear"),
    ]

    @dataclass
    class Changed(Message):
        """The filter's text settled on a new value."""

        filter_bar: FilterBar
        text: str

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    @dataclass
    class Done(Message):
        """The agent left the filter (it stays applied unless cleared)."""

        filter_bar: FilterBar

        @property
        def control(self) -> FilterBar:
            return self.filter_bar

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._timer: Timer | None = None
        self._sent = ""

    def compose(self) -> ComposeResult:
        yield Label("/")
        yield Input(placeholder="author, words, #tag, intent:refund, platform:x",
                    compact=True, select_on_focus=False, id="filter-input")

    @property
    def text(self) -> str:
        return self.query_one(Input).value

    def open(self) -> None:
        """Show the bar and put the cursor in it."""
        self.add_class("-open")
        self.query_one(Input).focus()

    @on(Input.Changed)
    def _typed(self, event: Input.Changed) -> None:
        event.stop()
        if self._timer is not None:
            self._timer.stop()
        self._timer = self.set_timer(DEBOUNCE, self._settle)

    def _settle(self) -> None:
        text = self.text.strip()
        if text != self._sent:
            self._sent = text
            self.post_message(self.Changed(self, text))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self._settle()
        if not self.text.strip():
            self.remove_class("-open")
        self.post_message(self.Done(self))

    def action_clear(self) -> None:
        self.query_one(Input).value = ""
        if self._timer is not None:
            self._timer.stop()
        self._settle()
        self.remove_class("-open")
        self.post_message(self.Done(self))
