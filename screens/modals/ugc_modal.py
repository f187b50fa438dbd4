"""Record what a creator said about reusing their content, when the bot could not read it.

The bot reads clear yeses and noes itself; what it cannot read is tagged `ugc-review` and
waits for a person. This dialog gives that person the same choices as `workstation ugc`:
grant (with the credit the creator asked for) or refuse a request; revoke a grant, or change
its credit. The text field is the credit or the reason, by the choice.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option

from workstation.services.ugc_rights import UgcRight
from workstation.text import inert

CHOICES: dict[str, tuple[tuple[str, str, str], ...]] = {
    # status -> (choice, what it does, what the text field holds)
    "requested": (("grant", "they said yes: usable from now for the configured months",
                   "credit (their @handle or the name they asked for)"),
                  ("refuse", "they said no", "")),
    "granted": (("revoke", "they took it back: the content must come down", "reason"),
                ("credit", "credit them another way", "credit")),
}
"""What can be recorded for a right in each status; other statuses are final."""


@dataclass(frozen=True, slots=True)
class UgcChoice:
    """What the dialog returns."""

    action: str
    text: str


class UgcModal(ModalScreen[UgcChoice | None]):
    """Pick what to record (↑/↓), type the credit or reason, enter records it; esc cancels."""

    DEFAULT_CSS = """
    UgcModal {
        align: center middle;
        & > Vertical {
            width: 76;
            max-width: 95%;
            height: auto;
            border: round $accent;
            background: $surface;
            padding: 0 1;
        }
        OptionList { height: auto; border: none; }
    }
    """
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "cancel", "Cancel", id="ugc.cancel"),
        Binding("up", "choice(-1)", "Choice up", show=False, id="ugc.up"),
        Binding("down", "choice(1)", "Choice down", show=False, id="ugc.down"),
    ]

    def __init__(self, right: UgcRight) -> None:
        super().__init__()
        self.right = right
        self.choices = CHOICES[right.status]

    def compose(self) -> ComposeResult:
        right = self.right
        who = inert(right.creator, limit=40) or "the creator"
        with Vertical():
            yield Static(Content.assemble((f"UGC rights #{right.id}", "bold"),
                                          (f"  {right.status} · {who}", ""),
                                          ("  ↑↓ choice · enter", "dim")))
            yield OptionList(*(Option(Content.assemble((choice, "bold"), (f"  {what}", "dim")),
                                      id=choice) for choice, what, _ in self.choices),
                             id="ugc-choice", markup=False)
            yield Input(id="ugc-text", max_length=200)

    def on_mount(self) -> None:
        self.query_one("#ugc-choice", OptionList).highlighted = 0
        self._show_field(0)
        self.query_one("#ugc-text", Input).focus()

    def _show_field(self, index: int) -> None:
        field = self.query_one("#ugc-text", Input)
        choice, _, holds = self.choices[index]
        field.placeholder = holds or "(nothing to type: enter records it)"
        if choice in ("grant", "credit") and not field.value:
            field.value = self.right.credit or self.right.creator

    def action_choice(self, step: int) -> None:
        choices = self.query_one("#ugc-choice", OptionList)
        index = ((choices.highlighted or 0) + step) % len(self.choices)
        choices.highlighted = index
        self._show_field(index)

    @on(Input.Submitted, "#ugc-text")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        index = self.query_one("#ugc-choice", OptionList).highlighted or 0
        choice = self.choices[index][0]
        text = event.value.strip()
        if choice == "credit" and not text:
            self.notify("Type the credit: their @handle or the name they asked for.",
                        markup=False, severity="warning")
            return
        self.dismiss(UgcChoice(choice, text if self.choices[index][2] else ""))

    def action_cancel(self) -> None:
        self.dismiss(None)
