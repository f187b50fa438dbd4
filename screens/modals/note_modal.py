"""Write an internal note: for the team only, never sent to the customer."""

from __future__ import annotations

from typing import ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static, TextArea

from workstation.services.notes import NOTE_CAP


class NoteModal(ModalScreen[str | None]):
    """A text area; ctrl+s keeps the note, esc drops it."""

    DEFAULT_CSS = """
    NoteModal {
        align: center middle;
        & > Vertical {
            width: 70;
            max-width: 95%;
            height: auto;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        TextArea { height: 6; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note.save"),
        Binding("escape", "cancel", "Cancel", id="note.cancel"),
    ]

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Internal note", "bold"),
                                          (f"  team only · ctrl+s saves · esc drops · up to"
                                           f" {NOTE_CAP:,} characters", "dim")))
            yield TextArea(id="note-text", soft_wrap=True, tab_behavior="focus")

    def on_mount(self) -> None:
        self.query_one("#note-text", TextArea).focus()

    def action_save(self) -> None:
        text = self.query_one("#note-text", TextArea).text.strip()
        if not text:
            self.notify("The note is empty.", markup=False, severity="warning")
            return
        self.dismiss(text)

    def action_cancel(self) -> None:
        self.dismiss(None)
