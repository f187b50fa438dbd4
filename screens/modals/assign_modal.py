"""Assign the conversation to a member of the team (or to nobody)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workstation.services.conversations import AgentView
from workstation.text import inert


class AssignModal(ModalScreen[str | None]):
    """Agents with their role and load, filtered as you type; returns a login, or "" to
    unassign; esc cancels (None)."""

    DEFAULT_CSS = """
    AssignModal {
        align: center middle;
        & > Vertical {
            width: 60;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: round $primary;
            background: $surface;
            padding: 0 1;
        }
        OptionList { height: auto; max-height: 12; border: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="assign.cancel"),
        Binding("down", "move(1)", "Down", show=False, id="assign.down"),
        Binding("up", "move(-1)", "Up", show=False, id="assign.up"),
    ]

    def __init__(self, agents: tuple[AgentView, ...], *, me: str, current: str) -> None:
        super().__init__()
        mine = [a for a in agents if a.name == me]
        self._agents = (*mine, *(a for a in agents if a.name != me))
        self._current = current
        self._shown: list[str] = []

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Assign", "bold"), ("  type to filter · enter", "dim")))
            yield Input(placeholder="agent", id="assign-filter")
            yield OptionList(id="assign-agents", markup=False)

    def on_mount(self) -> None:
        self._show("")
        self.query_one("#assign-filter", Input).focus()

    def _show(self, typed: str) -> None:
        words = typed.strip().casefold()
        agents = [a for a in self._agents
                  if words in a.name.casefold() or words in a.display_name.casefold()]
        self._shown = [a.name for a in agents]
        options = [Option(Content.assemble(
            (inert(a.name, limit=24), "bold"), f"  {inert(a.display_name, limit=30)}",
            (f"  {a.role} · {a.open_assigned} open", "dim"),
            ("  (current)" if a.name == self._current else "", "$accent")))
            for a in agents]
        if self._current and not words:
            self._shown.append("")
            options.append(Option(Content.assemble(("nobody", "bold"), ("  unassign", "dim"))))
        listing = self.query_one("#assign-agents", OptionList)
        listing.set_options(options)
        listing.highlighted = 0 if options else None

    @on(Input.Changed, "#assign-filter")
    def narrow(self, event: Input.Changed) -> None:
        event.stop()
        self._show(event.value)

    @on(Input.Submitted, "#assign-filter")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#assign-agents", OptionList).highlighted
        if index is not None and self._shown:
            self.dismiss(self._shown[index])

    @on(OptionList.OptionSelected, "#assign-agents")
    def pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._shown[event.option_index])

    def action_move(self, step: int) -> None:
        listing = self.query_one("#assign-agents", OptionList)
        listing.action_cursor_down() if step > 0 else listing.action_cursor_up()

    def action_cancel(self) -> None:
        self.dismiss(None)
