"""WorkstationApp: a thin router between the screens, holding the engine and the agent.

Behaviour lives in the screens and, below them, in `workstation.services`; this file only
wires screens, global keys, the palette, the saved views and the one place where a failed
worker becomes a notification.
"""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, ClassVar

from sqlalchemy import Engine
from textual import on, work
from textual.app import App
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.timer import Timer
from textual.worker import Worker, WorkerState

from screens.commands import WorkstationCommands
from screens.queue_screen import QueueScreen
from workstation.clock import Clock, utcnow
from workstation.services.views import SHIPPED, ViewConfigError, ViewDef, load_views
from workstation.text import inert

if TYPE_CHECKING:
    from screens.conversation_screen import ConversationScreen

PAINT_WAIT = 3.0
"""Seconds after which the app starts its background work even if the queue has not painted."""
WORKER_THREADS = 32
"""Threads for the screens' thread workers (reads and writes of the store)."""
WORKERS_AFTER = 0.5
"""Seconds between the queue's first paint and starting the background workers."""
PREBUILD_AFTER = 1.0
"""Seconds after the other screens are imported before the conversation screen is built."""


class WorkstationApp(App[None]):
    """The inbox an agent works all shift, keyboard only."""

    TITLE = "workstation"
    CSS_PATH = "app.tcss"
    COMMANDS = App.COMMANDS | {WorkstationCommands}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("K", "kpi", "KPIs", id="app.kpi"),
        Binding("A", "audit", "Audit", id="app.audit"),
        Binding("question_mark", "help", "Help", key_display="?", id="app.help"),
    ]

    def __init__(
        self, engine: Engine, *, agent: str, clock: Clock = utcnow,
        views: list[ViewDef] | None = None, workers: bool = False,
    ) -> None:
        super().__init__()
        self.engine = engine
        """The store; screens hand it to services from thread workers, never on the loop."""
        self.agent = agent
        """The login of the person at the keyboard: every action is done in their name."""
        self.clock = clock
        self.config_problems: list[str] = []
        """What was wrong with the user's `[views]` config (the shipped views are used then)."""
        if views is None:
            try:
                views = load_views()
            except ViewConfigError as exc:
                views, self.config_problems = list(SHIPPED), exc.problems
        self.views: list[ViewDef] = views
        """The saved views, in tab order: shipped ones merged with the user's config."""
        self._run_workers = workers
        self._background: Any = None
        self._painted = False
        self._settle_timer: Timer | None = None
        self._conversation_screen: ConversationScreen | None = None

    def on_mount(self) -> None:
        # Thread workers run on the loop's default executor, which Python sizes to the cores
        # plus four (six threads here). A claim, a release or a renewal can wait seconds for
        # SQLite's write lock while sync writes; with the pool full of those, the reads that
        # paint the screens would queue behind them.
        asyncio.get_running_loop().set_default_executor(
            ThreadPoolExecutor(WORKER_THREADS, thread_name_prefix="workstation"))
        self.push_screen(QueueScreen())
        # What the queue does not need waits for its first paint (`queue_painted`); this timer
        # only matters if that never comes (the store did not answer).
        self._settle_timer = self.set_timer(PAINT_WAIT, self.queue_painted)
        for problem in self.config_problems:
            self.notify(inert(problem, limit=300), title="Config not used", severity="error",
                        timeout=20, markup=False)

    def open_conversation(self, conversation_id: int, siblings: list[int] | None = None) -> None:
        """Open a conversation; `siblings` are the ids of its view, for `[` and `]`.

        One conversation screen is built and kept (installed) for the whole session: composing
        a new one, styling its widgets and laying it out was most of the time `enter` took.
        A second one is made only when the kept one is already open below (a conversation
        opened from the KPI panel or the audit trail that was reached from a conversation).
        """
        from screens.conversation_screen import ConversationScreen

        siblings = siblings or [conversation_id]
        screen = self._conversation_screen
        if screen is not None and screen not in self.screen_stack:
            if not screen.is_mounted:  # still being built ahead (`_prebuild_conversation_screen`)
                self.call_after_refresh(self.open_conversation, conversation_id, siblings)
                return
            screen.reopen(conversation_id, siblings)  # pushes itself once it has read
            return
        screen = ConversationScreen(conversation_id, siblings)
        if self._conversation_screen is None:
            self._conversation_screen = screen
            self.install_screen(screen, name="conversation")
        self.push_screen(screen)

    def show_queue(self) -> QueueScreen:
        """Go back to the queue, closing whatever is above it."""
        while len(self.screen_stack) > 2 and not isinstance(self.screen, QueueScreen):
            self.pop_screen()
        screen = self.screen
        assert isinstance(screen, QueueScreen)
        return screen

    def show_view(self, key: str) -> None:
        """Go back to the queue and switch to the saved view named `key`."""
        self.show_queue().show_view(key)

    def queue_painted(self) -> None:
        """The queue has painted its first rows: start what could wait until then (once).

        The alert watch, the other screens (and, through them, the store's ORM models) and the
        background workers together cost more than the whole first paint. They are imported in
        a thread, so that no frame waits for them.
        """
        if self._painted:
            return
        self._painted = True
        if self._settle_timer is not None:
            self._settle_timer.stop()
        self._warm_up()

    class _WarmedUp(Message):
        """The other screens and the alert watch are imported."""

    @work(thread=True, exit_on_error=False, description="loading the other screens")
    def _warm_up(self) -> None:
        import gc

        import screens.alert_watch
        import screens.audit_screen
        import screens.conversation_screen
        import screens.kpi_screen  # noqa: F401

        # Everything loaded so far lives all shift: keep it out of the collector's scans, and
        # make full collections rare, so that opening a conversation never waits on one (it
        # made the 95th percentile of `enter` ten times its median). The young generations
        # keep Python's sizes: a young collection of 20,000 objects took 10-30 ms, a frame.
        gc.freeze()
        gc.set_threshold(700, 10, 1_000)
        self.post_message(self._WarmedUp())

    @on(_WarmedUp)
    def _warmed_up(self) -> None:
        from screens.alert_watch import AlertWatch

        # Reputation alerts as they are raised, on the bottom screen, which lives as long as
        # the app whichever screens come and go above it.
        self.screen_stack[0].mount(AlertWatch(self.engine))
        if self._run_workers:
            self.set_timer(WORKERS_AFTER, self._start_workers)
        self.set_timer(PREBUILD_AFTER, self._prebuild_conversation_screen)

    def _prebuild_conversation_screen(self) -> None:
        """Build the kept conversation screen while the agent reads the queue.

        Composing and styling it cost the session's first `enter` about 100 ms of the loop's
        CPU (a frame of over 100 ms under sync); installed, it is composed now and every open,
        the first included, only fills it (`reopen`).
        """
        if self._conversation_screen is not None:
            return
        from screens.conversation_screen import AHEAD, ConversationScreen

        screen = self._conversation_screen = ConversationScreen(AHEAD, [])
        self.install_screen(screen, name="conversation")
        # What `push_screen` does before showing a screen, without showing it (Textual is
        # pinned: these are its own steps, 8.2.8): mount it, compose it, load its CSS.
        self._get_screen(screen)
        self._load_screen_css(screen)

    # The background workers (sync, send, sweeps) run in this process whenever no other
    # process leads them; they start after the first paint and stop with the app.

    @work(thread=True, exit_on_error=False, description="starting the background workers")
    def _start_workers(self) -> None:
        from workstation.workers import start_in_process

        self._background = start_in_process(self.engine, clock=self.clock)

    def on_unmount(self) -> None:
        if self._background is not None:
            self._background.stop(timeout=10)

    def action_kpi(self) -> None:
        from screens.kpi_screen import KpiScreen

        if not isinstance(self.screen, KpiScreen):
            self.push_screen(KpiScreen())

    def action_audit(self) -> None:
        from screens.audit_screen import AuditScreen

        if not isinstance(self.screen, AuditScreen):
            self.push_screen(AuditScreen())

    def action_help(self) -> None:
        if self.screen.query("HelpPanel"):
            self.action_hide_help_panel()
        else:
            self.action_show_help_panel()

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        """A worker that failed (`exit_on_error=False`) is told to the agent, never swallowed."""
        if event.state is WorkerState.ERROR:
            error = event.worker.error
            what = event.worker.description or event.worker.name or "work"
            self.notify(inert(f"{what}: {error}", limit=300), title="Failed",
                        severity="error", timeout=10, markup=False)
