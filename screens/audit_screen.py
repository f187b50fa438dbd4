"""The audit trail (`A`): every change of state, newest first, filtered as the supervisor asks.

Filters (agent, conversation, action, date) are read by `workstation.services.audit_trail`;
the events are read in a thread worker and re-read every two seconds, so what other agents,
the bot and the workers do shows up without a key press, the cursor staying on its event.
`enter` opens the conversation an event belongs to.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, tzinfo
from typing import TYPE_CHECKING, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import DataTable, Input, Static
from textual.worker import Worker

from screens.widgets.audit_detail import AuditDetail
from screens.widgets.audit_filter_bar import AuditFilterBar
from screens.widgets.audit_table import AuditTable
from screens.widgets.key_footer import KeyFooter
from workstation.services.audit_trail import (
    PAGE,
    FilterError,
    TrailFilter,
    TrailPage,
    known_names,
    parse_conversation,
    parse_when,
    read_trail,
)
from workstation.text import inert

if TYPE_CHECKING:
    from sqlalchemy import Engine

    from screens.app import WorkstationApp

POLL_SECONDS = 2.0
"""How often the trail is read again while the screen is open."""
DEBOUNCE = 0.35
"""Seconds of quiet typing before a filter is applied."""


class AuditScreen(Screen[None]):
    """Audit events; `/` filters, `enter` opens the conversation, `esc` goes back."""

    CSS_PATH = "audit_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="audit.back",
                tooltip="Leave the filters, or go back to the previous screen"),
        Binding("enter", "open", "Open", id="audit.open",
                tooltip="Open the conversation this event belongs to"),
        Binding("slash", "filter", "Filter", key_display="/", id="audit.filter",
                tooltip="Filter by agent, conversation, action or date"),
        Binding("f", "this_conversation", "This conversation", id="audit.this-conversation",
                tooltip="Show only the events of the highlighted event's conversation"),
        Binding("c", "clear", "Clear filters", id="audit.clear",
                tooltip="Show every event again"),
        Binding("r", "reload", "Reload", show=False, id="audit.reload",
                tooltip="Read the trail again now"),
        Binding("j", "cursor_down", "Down", show=False, id="audit.down"),
        Binding("k", "cursor_up", "Up", show=False, id="audit.up"),
        Binding("g", "top", "Newest", show=False, id="audit.top"),
        Binding("G", "bottom", "Oldest shown", show=False, id="audit.bottom"),
    ]
    AUTO_FOCUS = "AuditTable"

    @dataclass
    class Loaded(Message):
        """A page of the trail, for the filter it was read with."""

        page: TrailPage
        filters: TrailFilter

    @dataclass
    class Named(Message):
        """Actors and actions the store knows, for completion."""

        actors: tuple[str, ...]
        actions: tuple[str, ...]

    def __init__(
        self,
        engine: Engine | None = None,
        *,
        zone: tzinfo | None = None,
        agent: str = "",
        conversation: int | None = None,
        action: str = "",
        when: str = "",
    ) -> None:
        """Args:
        engine: the store; the app's when None.
        zone: times are shown, and dates filtered, in this zone (the host's by default).
        agent, conversation, action, when: filters to open with.
        """
        super().__init__()
        self._engine = engine
        self.zone: tzinfo = zone or datetime.now().astimezone().tzinfo  # type: ignore[assignment]
        self._texts = {"agent": agent, "conversation": str(conversation or ""),
                       "action": action, "when": when}
        self.filters = TrailFilter()
        """The filters applied to the list."""
        self.problem = ""
        """Why the typed filters are not applied, if they are not."""
        self.page: TrailPage | None = None
        self._busy = False
        self._debounce: Timer | None = None
        self._poller: Timer | None = None

    @property
    def engine(self) -> Engine:
        return self._engine or cast("WorkstationApp", self.app).engine

    def compose(self) -> ComposeResult:
        yield Static(Content("Audit trail · reading…"), id="audit-title", markup=False)
        yield AuditFilterBar(self._texts, id="audit-filters")
        yield AuditTable(self.zone, id="audit-table")
        yield AuditDetail(self.zone, id="audit-detail")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._apply(self._texts)
        self._names()
        self._poller = self.set_interval(POLL_SECONDS, self._poll, name="audit-poll")

    def on_screen_suspend(self) -> None:
        if self._poller is not None:  # a conversation opened from here covers the trail
            self._poller.pause()

    def on_screen_resume(self) -> None:
        if self._poller is not None:
            self._poller.resume()
            self._poll()

    # -- reading ---------------------------------------------------------------------------

    def _poll(self) -> None:
        if not self._busy and not self.problem:
            self._read(self.filters)

    def _read(self, filters: TrailFilter) -> None:
        self._busy = True
        self._load(filters)

    @work(thread=True, exclusive=True, group="audit", exit_on_error=False,
          description="Reading the audit trail")
    def _load(self, filters: TrailFilter) -> None:
        self.post_message(self.Loaded(
            read_trail(self.engine, filters, viewer=getattr(self.app, "agent", None)), filters))

    @work(thread=True, group="audit-names", exit_on_error=False,
          description="Reading the trail's actors and actions")
    def _names(self) -> None:
        self.post_message(self.Named(*known_names(self.engine)))

    @on(Loaded)
    def show_page(self, event: Loaded) -> None:
        self._busy = False
        if event.filters != self.filters:
            return  # read for filters since replaced; the newer read follows
        self.page = event.page
        table = self.query_one("#audit-table", AuditTable)
        if table.show(event.page.events) or not event.page.events:
            self.query_one("#audit-detail", AuditDetail).show(table.current)
        self._title()

    @on(Named)
    def complete_names(self, event: Named) -> None:
        self.query_one("#audit-filters", AuditFilterBar).suggest(event.actors, event.actions)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # A failed read is told by the app; the next poll reads again.
        if event.worker.group == "audit" and event.worker.is_finished:
            self._busy = False

    def _title(self) -> None:
        title = self.query_one("#audit-title", Static)
        title.set_class(bool(self.problem), "-error")
        if self.problem:
            title.update(Content(inert(f"Filter not applied: {self.problem}", limit=300)))
            return
        page = self.page
        if page is None:
            return
        count = len(page.events)
        shown = (f"latest {PAGE:,} shown (filter for older ones)" if page.more
                 else f"{count:,} event{'s' if count != 1 else ''}, latest first")
        scope = "filtered" if not self.filters.empty else "all"
        zone = datetime.now(self.zone).tzname() or str(self.zone)
        title.update(Content(f"Audit trail · {scope} · {shown} · {zone}"))

    # -- filters ---------------------------------------------------------------------------

    @on(AuditFilterBar.Changed)
    def filters_changed(self, event: AuditFilterBar.Changed) -> None:
        event.stop()
        if self._debounce is not None:
            self._debounce.stop()
        if event.done:
            self._apply(event.texts)
            self.query_one("#audit-table", AuditTable).focus()
        else:
            self._debounce = self.set_timer(DEBOUNCE, lambda: self._apply(event.texts))

    def _apply(self, texts: dict[str, str]) -> None:
        bar = self.query_one("#audit-filters", AuditFilterBar)
        now = cast("WorkstationApp", self.app).clock()
        field = "conversation"
        try:
            conversation = parse_conversation(texts["conversation"])
            field = "when"
            since, until = parse_when(texts["when"], now=now, zone=self.zone)
        except FilterError as exc:
            self.problem = f"{field}: {exc}"
            bar.mark_invalid(field)
            self._title()
            return
        self.problem = ""
        bar.mark_invalid(None)
        self.filters = TrailFilter(
            actor=texts["agent"].strip() or None, conversation_id=conversation,
            action=texts["action"].strip() or None, since=since, until=until,
        )
        self._read(self.filters)

    # -- actions ---------------------------------------------------------------------------

    @on(DataTable.RowHighlighted, "#audit-table")
    def describe(self, event: DataTable.RowHighlighted) -> None:
        event.stop()
        self.query_one("#audit-detail", AuditDetail).show(
            self.query_one("#audit-table", AuditTable).current)

    @on(DataTable.RowSelected, "#audit-table")
    def open_selected(self, event: DataTable.RowSelected) -> None:
        event.stop()
        self.action_open()

    def action_open(self) -> None:
        table = self.query_one("#audit-table", AuditTable)
        event = table.current
        if event is None:
            return
        if event.conversation_id is None:
            self.notify(inert(f"“{event.action}” belongs to no conversation.", limit=200),
                        severity="warning", markup=False)
            return
        siblings = list(dict.fromkeys(
            e.conversation_id for e in table.events if e.conversation_id is not None))
        cast("WorkstationApp", self.app).open_conversation(event.conversation_id, siblings)

    def action_back(self) -> None:
        if isinstance(self.focused, Input):
            self.query_one("#audit-table", AuditTable).focus()
        else:
            self.dismiss()

    def action_filter(self) -> None:
        self.query_one("#audit-agent", Input).focus()

    def action_clear(self) -> None:
        self.query_one("#audit-filters", AuditFilterBar).clear()

    def action_this_conversation(self) -> None:
        event = self.query_one("#audit-table", AuditTable).current
        if event is not None and event.conversation_id is not None:
            bar = self.query_one("#audit-filters", AuditFilterBar)
            bar.set_text("conversation", str(event.conversation_id))

    def action_reload(self) -> None:
        self._read(self.filters)

    def action_cursor_down(self) -> None:
        self.query_one("#audit-table", AuditTable).action_cursor_down()

    def action_cursor_up(self) -> None:
        self.query_one("#audit-table", AuditTable).action_cursor_up()

    def action_top(self) -> None:
        self.query_one("#audit-table", AuditTable).move_cursor(row=0)

    def action_bottom(self) -> None:
        table = self.query_one("#audit-table", AuditTable)
        table.move_cursor(row=max(table.row_count - 1, 0))
