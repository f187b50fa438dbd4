"""Resolve with a resolution code; the screen then opens the next open conversation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option


class ResolveModal(ModalScreen[str | None]):
    """The resolution codes with what each means; enter resolves, esc cancels."""

    DEFAULT_CSS = """
    ResolveModal {
        align: center middle;
        & > Vertical {
            width: 60;
            max-width: 95%;
            height: auto;
            max-height: 90%;
            border: round $success;
            background: $surface;
            padding: 0 1;
        }
        OptionList { height: auto; max-height: 14; border: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="resolve.cancel"),
    ]

    def __init__(self, codes: Mapping[str, str]) -> None:
        super().__init__()
        self._codes = list(codes.items())

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Resolve", "bold"),
                                          ("  then the next conversation opens", "dim")))
            yield OptionList(*(Option(Content.assemble((code, "bold"), (f"  {meaning}", "dim")),
                                      id=code) for code, meaning in self._codes),
                             id="resolve-codes", markup=False)

    def on_mount(self) -> None:
        codes = self.query_one("#resolve-codes", OptionList)
        codes.highlighted = 0
        codes.focus()

    @on(OptionList.OptionSelected, "#resolve-codes")
    def pick(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        self.dismiss(self._codes[event.option_index][0])

    def action_cancel(self) -> None:
        self.dismiss(None)
