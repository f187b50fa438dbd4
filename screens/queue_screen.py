"""The queue (start screen): the saved views as tabs over a virtual list of conversations.

The screen wires the widgets to the store: it reads the views' counts, polls the store once a
second for changes made by anyone else (another agent, the workers, an ingest) and re-reads
the view when something moved, and runs the bulk actions on the marked rows through
`workstation.services.conversations`. Every read and write runs in a thread worker.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any, ClassVar, cast

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer

from screens.widgets.filter_bar import FilterBar
from screens.widgets.key_footer import KeyFooter
from screens.widgets.queue_header import QueueHeader
from screens.widgets.queue_list import QueueList
from screens.widgets.queue_status import QueueStatus
from screens.widgets.view_tabs import ViewTabs
from workstation.services import view_rows
from workstation.services.view_rows import ViewQuery
from workstation.services.views import ViewDef

if TYPE_CHECKING:
    from screens.app import WorkstationApp
    from screens.modals.escalate_modal import Escalation
    from screens.modals.snooze_modal import SnoozeChoice
    from screens.modals.tag_modal import TagChange

# The bulk actions import the action services and their dialogs when first used: together
# they are a fifth of the start-up time, and the queue must paint within a second.

POLL_SECONDS = 1.0
"""How often the store is asked whether anything changed (a ~10 ms query)."""
REREAD_SECONDS = 20.0
"""Re-read the view at least this often even when nothing was written: time-based views
("breaching soon") and claims that lapse change without a write."""


class QueueScreen(Screen[None]):
    """The inbox: `1`-`9` switch views, `/` filters, `enter` opens, `space` marks."""

    BINDINGS: ClassVar[list[BindingType]] = [
        *(Binding(str(n), f"view({n - 1})", f"View {n}", show=False, id=f"queue.view-{n}")
          for n in range(1, 10)),
        Binding("tab", "next_view", "Next view", show=False, id="queue.next-view"),
        Binding("shift+tab", "previous_view", "Previous view", show=False,
                id="queue.previous-view"),
        Binding("slash", "filter", "Filter", id="queue.filter"),
        Binding("h", "bulk_hide", "Hide", show=False, id="queue.hide"),
        Binding("t", "bulk_tag", "Tag", show=False, id="queue.tag"),
        Binding("a", "bulk_assign", "Assign", show=False, id="queue.assign"),
        Binding("e", "bulk_escalate", "Escalate", show=False, id="queue.escalate"),
        Binding("x", "bulk_resolve", "Resolve", show=False, id="queue.resolve"),
        Binding("s", "bulk_snooze", "Snooze", show=False, id="queue.snooze"),
        Binding("escape", "unmark", "Unmark all", show=False, id="queue.unmark"),
        Binding("q", "app.quit", "Quit", id="queue.quit"),
    ]
    AUTO_FOCUS = "QueueList"

    @dataclass
    class _Polled(Message):
        token: tuple[Any, ...]

    @dataclass
    class _Counted(Message):
        counts: dict[str, int]

    @dataclass
    class _BulkDone(Message):
        verb: str
        asked: int
        changed: int

    def __init__(self) -> None:
        super().__init__()
        self.view_index = 0
        """Which of the app's views is shown."""
        self.search = ""
        """The filter bar's text, applied to whichever view is shown."""
        self._token: tuple[Any, ...] | None = None
        self._read_at = 0.0
        self._positions: dict[str, int] = {}
        self._poller: Timer | None = None
        self._painted = False

    @property
    def _app(self) -> WorkstationApp:
        return cast("WorkstationApp", self.app)

    @property
    def views(self) -> list[ViewDef]:
        return self._app.views

    @property
    def queue(self) -> QueueList:
        return self.query_one(QueueList)

    def compose(self) -> ComposeResult:
        yield ViewTabs([v.title for v in self.views], id="views")
        yield FilterBar(id="filter")
        yield QueueHeader()
        yield QueueList(self._app.engine, self._app.clock, id="queue")
        yield QueueStatus(id="status")
        yield KeyFooter()

    def on_mount(self) -> None:
        self._show_view(0)
        self._poller = self.set_interval(POLL_SECONDS, self._poll)
        self.set_interval(30, self.queue.tick)

    def on_screen_suspend(self) -> None:
        if self._poller is not None:
            self._poller.pause()

    def on_screen_resume(self) -> None:
        if self._poller is not None:
            self._poller.resume()
            self._poll()

    # -- views ------------------------------------------------------------------------------

    def query_for(self, view: ViewDef) -> ViewQuery:
        """The view as the agent at the keyboard reads it now, with the filter applied."""
        return ViewQuery(view, self._app.agent, self._app.clock(), self.search)

    def _show_view(self, index: int, *, keep_id: int | None = None) -> None:
        current = self.queue.current
        if current is not None:
            self._positions[self.views[self.view_index].key] = current.id
        self.view_index = index
        view = self.views[index]
        self.query_one(ViewTabs).set_active(index)
        self.queue.marked.clear()
        self.queue.load(self.query_for(view), keep_id=keep_id or self._positions.get(view.key))
        self._read_at = time.monotonic()
        if self._painted:
            self._count()
        self._update_status()

    def show_view(self, key: str) -> None:
        """Switch to the view named `key` (the palette's entry point)."""
        for index, view in enumerate(self.views):
            if view.key == key:
                self._show_view(index)
                return

    def action_view(self, index: int) -> None:
        if index < len(self.views):
            self._show_view(index)

    def action_next_view(self) -> None:
        self._show_view((self.view_index + 1) % len(self.views))

    def action_previous_view(self) -> None:
        self._show_view((self.view_index - 1) % len(self.views))

    @on(ViewTabs.Selected)
    def _tab_clicked(self, event: ViewTabs.Selected) -> None:
        event.stop()
        self._show_view(event.index)

    def reread(self) -> None:
        """Read the view and its counts again, keeping the cursor on its conversation."""
        self._read_at = time.monotonic()
        self.queue.reload(self.query_for(self.views[self.view_index]))
        self._count()

    # -- filter -----------------------------------------------------------------------------

    def action_filter(self) -> None:
        self.query_one(FilterBar).open()

    @on(FilterBar.Changed)
    def _filter_changed(self, event: FilterBar.Changed) -> None:
        event.stop()
        self.search = event.text
        self.queue.load(self.query_for(self.views[self.view_index]))
        self._update_status()

    @on(FilterBar.Done)
    def _filter_done(self, event: FilterBar.Done) -> None:
        event.stop()
        self.queue.focus()

    # -- live -------------------------------------------------------------------------------

    def _poll(self) -> None:
        if not any(w.group == "queue-poll" and not w.is_finished for w in self.workers):
            self._read_token()

    @work(thread=True, exclusive=True, group="queue-poll", exit_on_error=False,
          description="checking the store for changes")
    def _read_token(self) -> None:
        self.post_message(self._Polled(view_rows.change_token(self._app.engine)))

    @on(_Polled)
    def _polled(self, message: _Polled) -> None:
        message.stop()
        changed = self._token is not None and message.token != self._token
        self._token = message.token
        if changed or time.monotonic() - self._read_at >= REREAD_SECONDS:
            self.reread()

    @work(thread=True, exclusive=True, group="queue-count", exit_on_error=False,
          description="counting the views")
    def _count(self) -> None:
        counts = view_rows.counts(self._app.engine, self.views, agent=self._app.agent,
                                  now=self._app.clock())
        self.post_message(self._Counted(counts))

    @on(_Counted)
    def _counted(self, message: _Counted) -> None:
        message.stop()
        self.query_one(ViewTabs).set_counts([message.counts.get(v.key) for v in self.views])

    # -- the list ---------------------------------------------------------------------------

    @on(QueueList.OpenRequested)
    def _open(self, event: QueueList.OpenRequested) -> None:
        event.stop()
        self._app.open_conversation(event.item.id, event.siblings)

    @on(QueueList.Changed)
    def _list_changed(self, event: QueueList.Changed) -> None:
        event.stop()
        self._update_status()
        if not self._painted and self.queue.window is not None:
            self._painted = True
            self.call_after_refresh(self._first_painted)

    def _first_painted(self) -> None:
        # The tabs' counts read every open conversation: at start they wait for the rows.
        self._count()
        self._app.queue_painted()

    def _update_status(self) -> None:
        view = self.views[self.view_index]
        queue = self.queue
        self.query_one(QueueStatus).show(
            title=view.title, description=view.description,
            total=queue.total if queue.window is not None else None, position=queue.cursor,
            marked=len(queue.marked), search=self.search, sort=view.sort)

    def action_unmark(self) -> None:
        if self.queue.marked:
            self.queue.clear_marks()

    # -- bulk actions -----------------------------------------------------------------------

    def _targets(self) -> list[int] | None:
        ids = self.queue.targets()
        if not ids:
            self.notify("Nothing to act on: the view is empty.", severity="warning",
                        markup=False)
            return None
        return ids

    def _run_bulk(self, verb: str, ids: list[int], call: Callable[..., int],
                  *args: Any) -> None:
        app = self._app
        self._bulk(verb, len(ids), lambda: call(app.engine, ids, *args, actor=app.agent,
                                                clock=app.clock))

    @work(thread=True, group="queue-bulk", exit_on_error=False, description="bulk action")
    def _bulk(self, verb: str, asked: int, run: Callable[[], int]) -> None:
        self.post_message(self._BulkDone(verb, asked, run()))

    @on(_BulkDone)
    def _bulk_done(self, message: _BulkDone) -> None:
        message.stop()
        noun = "conversation" if message.asked == 1 else "conversations"
        skipped = message.asked - message.changed
        note = f" ({skipped} already so)" if skipped else ""
        self.notify(f"{message.verb}: {message.changed} of {message.asked} {noun}{note}",
                    markup=False)
        self.queue.clear_marks()
        self.reread()

    def action_bulk_hide(self) -> None:
        from workstation.services import conversations

        if ids := self._targets():
            self._run_bulk("Hidden", ids, conversations.hide)

    def action_bulk_tag(self) -> None:
        from screens.modals.tag_modal import TagModal
        from workstation.services import conversations

        if not (ids := self._targets()):
            return

        def chosen(change: TagChange | None) -> None:
            if change is not None:
                if change.remove:
                    self._run_bulk(f"Untagged #{change.tag}", ids, conversations.untag,
                                   change.tag)
                else:
                    self._run_bulk(f"Tagged #{change.tag}", ids, conversations.tag, change.tag)

        self.app.push_screen(TagModal(()), chosen)

    def action_bulk_assign(self) -> None:
        if ids := self._targets():
            self._pick_agent(ids)

    @work(thread=True, group="queue-read", exit_on_error=False, description="reading agents")
    def _pick_agent(self, ids: list[int]) -> None:
        from screens.modals.assign_modal import AssignModal
        from workstation.services import conversations

        agents = conversations.list_agents(self._app.engine)

        def chosen(name: str | None) -> None:
            if name is not None:
                verb = f"Assigned to {name}" if name else "Unassigned"
                self._run_bulk(verb, ids, conversations.assign, name or None)

        self.app.call_from_thread(
            self.app.push_screen, AssignModal(agents, me=self._app.agent, current=""), chosen)

    def action_bulk_escalate(self) -> None:
        from screens.modals.escalate_modal import EscalateModal
        from workstation.services import conversations

        if not (ids := self._targets()):
            return

        def chosen(escalation: Escalation | None) -> None:
            if escalation is not None:
                self._run_bulk(f"Escalated to {escalation.role}", ids, conversations.escalate,
                               escalation.role, escalation.reason)

        self.app.push_screen(EscalateModal(), chosen)

    def action_bulk_resolve(self) -> None:
        from screens.modals.resolve_modal import ResolveModal
        from workstation.services import conversations

        if not (ids := self._targets()):
            return

        def chosen(code: str | None) -> None:
            if code:
                self._run_bulk(f"Resolved ({code})", ids, conversations.resolve, code)

        self.app.push_screen(ResolveModal(conversations.RESOLUTION_CODES), chosen)

    def action_bulk_snooze(self) -> None:
        from screens.modals.snooze_modal import SnoozeModal
        from workstation.services import conversations

        if not (ids := self._targets()):
            return
        tz = datetime.now().astimezone().tzinfo or UTC

        def chosen(choice: SnoozeChoice | None) -> None:
            if choice is None:
                return
            until = choice.until
            label = "Snoozed until the customer replies" if until is None else (
                f"Snoozed until {until.astimezone(tz):%a %d %b %H:%M}")
            self._run_bulk(label, ids, conversations.snooze, until)

        self.app.push_screen(SnoozeModal(self._app.clock(), tz), chosen)
