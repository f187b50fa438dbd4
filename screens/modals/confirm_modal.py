"""Ask before a destructive action (delete, ban): y confirms, n or esc cancels."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static


class ConfirmModal(ModalScreen[bool]):
    """A question with the consequences spelled out; returns True only on an explicit yes."""

    DEFAULT_CSS = """
    ConfirmModal {
        align: center middle;
        & > Vertical {
            width: 64;
            max-width: 95%;
            height: auto;
            border: round $error;
            background: $surface;
            padding: 0 1;
        }
        #confirm-keys { color: $text-muted; margin: 1 0 0 0; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("y", "answer(True)", "Yes", id="confirm.yes"),
        Binding("n,escape", "answer(False)", "No", id="confirm.no"),
    ]

    def __init__(self, title: str, question: Content) -> None:
        super().__init__()
        self._title = title
        self._question = question

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble((self._title, "bold $error")), markup=False)
            yield Static(self._question, markup=False)
            yield Static(Content.assemble(("y", "bold"), " yes   ", ("n", "bold"), "/",
                                          ("esc", "bold"), " no"), id="confirm-keys")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
