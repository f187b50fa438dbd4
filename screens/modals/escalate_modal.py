"""Escalate to a role, with the reason whoever takes it will read first."""

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

ROLES = (("senior", "a senior agent: angry customers, repeated warranty cases, VIPs"),
         ("supervisor", "a supervisor: safety, legal, threats"),
         ("admin", "an administrator: accounts, platform problems"),
         ("agent", "back to the agents' queue"))


@dataclass(frozen=True, slots=True)
class Escalation:
    """What the dialog returns."""

    role: str
    reason: str


class EscalateModal(ModalScreen[Escalation | None]):
    """Pick the role (↑/↓), type the reason, enter escalates; esc cancels."""

    DEFAULT_CSS = """
    EscalateModal {
        align: center middle;
        & > Vertical {
            width: 72;
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
        Binding("escape", "cancel", "Cancel", id="escalate.cancel"),
        Binding("up", "role(-1)", "Role up", show=False, id="escalate.up"),
        Binding("down", "role(1)", "Role down", show=False, id="escalate.down"),
    ]

    def __init__(self, current_role: str = "agent") -> None:
        super().__init__()
        self._start = next((i for i, (role, _) in enumerate(ROLES)
                            if role != current_role and role != "agent"), 0)

    def compose(self) -> ComposeResult:
        with Vertical():
            yield Static(Content.assemble(("Escalate", "bold"),
                                          ("  ↑↓ role · type the reason · enter", "dim")))
            yield OptionList(*(Option(Content.assemble((role, "bold"), (f"  {what}", "dim")),
                                      id=role) for role, what in ROLES),
                             id="escalate-role", markup=False)
            yield Input(placeholder="reason (required)", id="escalate-reason", max_length=500)

    def on_mount(self) -> None:
        self.query_one("#escalate-role", OptionList).highlighted = self._start
        self.query_one("#escalate-reason", Input).focus()

    def action_role(self, step: int) -> None:
        roles = self.query_one("#escalate-role", OptionList)
        roles.highlighted = ((roles.highlighted or 0) + step) % len(ROLES)

    @on(Input.Submitted, "#escalate-reason")
    def submit(self, event: Input.Submitted) -> None:
        event.stop()
        reason = event.value.strip()
        if not reason:
            self.notify("Say why: whoever takes it reads the reason first.", markup=False,
                        severity="warning")
            return
        index = self.query_one("#escalate-role", OptionList).highlighted or 0
        self.dismiss(Escalation(ROLES[index][0], reason))

    def action_cancel(self) -> None:
        self.dismiss(None)
