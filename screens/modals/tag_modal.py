"""Add a tag to the conversation, or remove one it has."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, Static

from workstation.services.conversations import ActionError, normalise_tag
from workstation.text import inert


@dataclass(frozen=True, slots=True)
class TagChange:
    """What the dialog returns: a tag to add, or to remove."""

    tag: str
    remove: bool


class TagModal(ModalScreen[TagChange | None]):
    """Type a tag: a new one is added, one the conversation has is removed (or "-tag")."""

    DEFAULT_CSS = """
    TagModal {
        align: center middle;
        & > Vertical {
            width: 60;
            max-width: 95%;
            height: auto;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="tag.cancel"),
    ]

    def __init__(self, tags: tuple[str, ...]) -> None:
        super().__init__()
        self._tags = tags

    def compose(self) -> ComposeResult:
        current = " ".join(inert(t, limit=32) for t in self._tags) or "none"
        with Vertical():
            yield Static(Content.assemble(("Tag", "bold"),
                                          ("  a new tag adds it; one it has (or -tag) removes it",
                                           "dim")))
            yield Static(Content.assemble(("tags: ", "dim"), current), id="tag-current")
            yield Input(placeholder="tag", id="tag-input", max_length=40)

    def on_mount(self) -> None:
        self.query_one("#tag-input", Input).focus()

    @on(Input.Submitted, "#tag-input")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        typed = event.value.strip()
        remove = typed.startswith("-")
        try:
            tag = normalise_tag(typed.removeprefix("-"))
        except ActionError as exc:
            self.notify(str(exc), markup=False, severity="warning")
            return
        self.dismiss(TagChange(tag, remove or tag in self._tags))

    def action_cancel(self) -> None:
        self.dismiss(None)
