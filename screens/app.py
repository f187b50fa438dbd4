"""WorkstationApp: a thin router between the screens, holding the engine and the agent.

Behaviour lives in the screens and, below them, in `workstation.services`; this file only
wires screens, global keys and the theme.
"""

from __future__ import annotations

from typing import ClassVar

from sqlalchemy import Engine
from textual.app import App
from textual.binding import Binding, BindingType

from screens.audit_screen import AuditScreen
from screens.conversation_screen import ConversationScreen
from screens.kpi_screen import KpiScreen
from screens.queue_screen import QueueScreen
from workstation.clock import Clock, utcnow


class WorkstationApp(App[None]):
    """The inbox an agent works all shift, keyboard only."""

    TITLE = "workstation"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "kpi", "KPIs", id="app.kpi"),
        Binding("A", "audit", "Audit", id="app.audit"),
        Binding("?", "help", "Help", id="app.help"),
    ]

    def __init__(self, engine: Engine, *, agent: str, clock: Clock = utcnow) -> None:
        super().__init__()
        self.engine = engine
        """The store; screens hand it to services from thread workers, never on the loop."""
        self.agent = agent
        """The login of the person at the keyboard: every action is done in their name."""
        self.clock = clock

    def on_mount(self) -> None:
        self.push_screen(QueueScreen())

    def open_conversation(self, conversation_id: int, siblings: list[int] | None = None) -> None:
        """Open a conversation; `siblings` are the ids of its view, for `[` and `]`."""
        self.push_screen(ConversationScreen(conversation_id, siblings or [conversation_id]))

    def action_kpi(self) -> None:
        if not isinstance(self.screen, KpiScreen):
            self.push_screen(KpiScreen())

    def action_audit(self) -> None:
        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen())

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()
