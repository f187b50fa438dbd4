"""Snooze until a time, or until the customer writes again."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workstation.services.snooze_times import SnoozeTimeError, parse_until, presets


@dataclass(frozen=True, slots=True)
class SnoozeChoice:
    """What the dialog returns; `until` None means until the customer replies."""

    until: datetime | None


class SnoozeModal(ModalScreen[SnoozeChoice | None]):
    """Presets (↑/↓, enter), or a time typed: 2h, 14:30, tomorrow, monday 10:00, a date."""

    DEFAULT_CSS = """
    SnoozeModal {
        align: center middle;
        & > Vertical {
            width: 60;
            max-width: 95%;
            height: auto;
            border: round $warning;
            background: $surface;
            padding: 0 1;
        }
        OptionList { height: auto; border: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="snooze.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="snooze.down"),
        Binding("up", "move(-1)", "Up", show=False, id="snooze.up"),
    ]

    def __init__(self, now: datetime, tz: tzinfo) -> None:
        super().__init__()
        self._now = now
        self._tz = tz
        self._presets = presets(now, tz)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Snooze", "bold"),
                                          ("  pick, or type 2h, 14:30, tomorrow, monday 10:00",
                                           "dim")))
            yield OptionList(*(Option(p.label) for p in self._presets), id="snooze-presets",
                             markup=False)
            yield Input(placeholder="or type a time", id="snooze-time")

    def on_mount(self) -> None:
        self.query_one("#snooze-presets", OptionList).highlighted = 0
        self.query_one("#snooze-time", Input).focus()

    def action_move(self, step: int) -> None:
        listing = self.query_one("#snooze-presets", OptionList)
        listing.action_cursor_down() if step > 0 else listing.action_cursor_up()

    @on(Input.Submitted, "#snooze-time")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            index = self.query_one("#snooze-presets", OptionList).highlighted or 0
            self.dismiss(SnoozeChoice(self._presets[index].until))
            return
        try:
            until = parse_until(event.value, self._now, self._tz)
        except SnoozeTimeError as exc:
            self.notify(str(exc), markup=False, severity="warning")
            return
        self.dismiss(SnoozeChoice(until))

    @on(OptionList.OptionSelected, "#snooze-presets")
    def pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(SnoozeChoice(self._presets[event.option_index].until))

    def action_cancel(self) -> None:
        self.dismiss(None)
