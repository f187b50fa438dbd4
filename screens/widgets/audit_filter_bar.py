"""AuditFilterBar: agent, conversation, action and date filters of the audit trail, one line."""

from __future__ import annotations

from dataclasses import dataclass

from textual import on
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.message import Message
from textual.suggester import SuggestFromList
from textual.widgets import Input, Label

FIELDS = ("agent", "conversation", "action", "when")


class AuditFilterBar(Horizontal):
    """Four inputs; every change is reported with all four texts, `enter` reports it done."""

    DEFAULT_CSS = """
    AuditFilterBar {
        height: 1;
        background: $panel;
        & > Label { width: auto; padding: 0 1; color: $text-muted; }
        & > Input { height: 1; border: none; padding: 0; }
        & > #audit-agent { width: 12; }
        & > #audit-conversation { width: 7; }
        & > #audit-action { width: 1fr; }
        & > #audit-when { width: 1fr; }
        & > Input.-unreadable { color: $text-error; text-style: underline; }
    }
    """

    @dataclass
    class Changed(Message):
        """A filter's text changed; `texts` holds all four, by field."""

        bar: AuditFilterBar
        texts: dict[str, str]
        done: bool = False
        """The agent pressed enter: apply now and go back to the list."""

        @property
        def control(self) -> AuditFilterBar:
            return self.bar

    def __init__(self, texts: dict[str, str] | None = None, *,
                 id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id)
        self._initial = texts or {}

    def compose(self) -> ComposeResult:
        hints = {"agent": "login", "conversation": "#", "action": "e.g. reply.*",
                 "when": "2026-11-20, a..b, 7d"}
        labels = {"agent": "Agent", "conversation": "Conv", "action": "Action", "when": "When"}
        for name in FIELDS:
            yield Label(labels[name])
            yield Input(self._initial.get(name, ""), placeholder=hints[name], compact=True,
                        id=f"audit-{name}",
                        restrict=r"#?\d*" if name == "conversation" else None,
                        select_on_focus=False)

    @property
    def texts(self) -> dict[str, str]:
        """The four filter texts, by field."""
        return {name: self.query_one(f"#audit-{name}", Input).value for name in FIELDS}

    def suggest(self, actors: tuple[str, ...], actions: tuple[str, ...]) -> None:
        """Complete agents and actions from what the store holds."""
        self.query_one("#audit-agent", Input).suggester = SuggestFromList(actors)
        self.query_one("#audit-action", Input).suggester = SuggestFromList(actions)

    def mark_invalid(self, field: str | None) -> None:
        """Show which input holds a filter that cannot be read (None: all are fine)."""
        for name in FIELDS:
            self.query_one(f"#audit-{name}", Input).set_class(name == field, "-unreadable")

    def set_text(self, field: str, text: str) -> None:
        """Fill one filter (reported like typing)."""
        self.query_one(f"#audit-{field}", Input).value = text

    def clear(self) -> None:
        """Empty every filter."""
        with self.prevent(Input.Changed):
            for name in FIELDS:
                self.query_one(f"#audit-{name}", Input).value = ""
        self.post_message(self.Changed(self, self.texts, done=True))

    @on(Input.Changed)
    def _changed(self, event: Input.Changed) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.texts))

    @on(Input.Submitted)
    def _submitted(self, event: Input.Submitted) -> None:
        event.stop()
        self.post_message(self.Changed(self, self.texts, done=True))
