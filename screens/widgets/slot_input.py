"""One slot of the chosen template: its name, then a one-line input for its value."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Input, Static


class SlotInput(Input):
    """The value of a template slot; empty means the preview shows ‹slot›."""

    DEFAULT_CSS = """
    SlotInput {
        width: 1fr;
        height: 1;
        &.-empty { background: $warning 20%; }
    }
    """

    def __init__(self, slot: str, value: str, *, description: str = "",
                 optional: bool = False) -> None:
        super().__init__(value=value, placeholder="optional" if optional else "required",
                         compact=True, select_on_focus=False, id=f"slot-{slot}")
        self.slot = slot
        """The slot's name, as the template writes it."""
        self.tooltip = description or None
        self.set_class(not value and not optional, "-empty")


class SlotField(Horizontal):
    """A slot's name beside its input."""

    DEFAULT_CSS = """
    SlotField {
        height: 1;
        width: 1fr;
        & > Static { width: auto; color: $text-muted; padding: 0 1 0 0; }
    }
    """

    def __init__(self, field: SlotInput) -> None:
        super().__init__()
        self.field = field

    def compose(self) -> ComposeResult:
        yield Static(Content(self.field.slot), markup=False)
        yield self.field
