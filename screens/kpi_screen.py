"""The KPI panel (`K`): each KPI of kpis.toml against its target, for all platforms or one.

Below, the newest reputation alerts (`workstation.alerts`): `a` moves the cursor there and
`enter` opens the conversations behind the alert under it.

The numbers come from `workstation.services.kpi_panel`, computed in a thread worker when the
screen opens and again every few seconds (kpis.toml's `refresh`), so they move as the team
works. The table below lists every platform; its cursor (`j`/`k`) picks the scope of the
lines above, whose trends are sparklines over the window's days.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, ClassVar, cast
from zoneinfo import ZoneInfo

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Static
from textual.worker import Worker, WorkerState

from screens.widgets.alert_list import AlertList
from screens.widgets.key_footer import KeyFooter
from screens.widgets.kpi_row import KpiRow
from screens.widgets.kpi_table import KpiTable
from workstation.services.kpi_panel import KpiPanel, KpiPanelView, scope_label
from workstation.text import inert

if TYPE_CHECKING:
    from screens.app import WorkstationApp

SCOPE_DEBOUNCE = 0.3
"""Seconds the cursor must rest on a platform before its medians are computed."""


class KpiScreen(Screen[None]):
    """KPIs against their targets; `j`/`k` choose the platform, `r` recomputes, `esc` back."""

    CSS_PATH = "kpi_screen.tcss"
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "back", "Back", id="kpi.back", tooltip="Back to the previous screen"),
        Binding("r", "refresh", "Refresh", id="kpi.refresh",
                tooltip="Compute the KPIs again now"),
        Binding("a", "alerts", "Alerts", id="kpi.alerts",
                tooltip="Go to the reputation alerts (enter opens their conversations)"),
        Binding("j", "cursor_down", "Next platform", show=False, id="kpi.next"),
        Binding("k", "cursor_up", "Previous platform", show=False, id="kpi.previous"),
        Binding("g", "first", "All platforms", show=False, id="kpi.first"),
        Binding("G", "last", "Last platform", show=False, id="kpi.last"),
    ]
    AUTO_FOCUS = "KpiTable"

    @dataclass
    class Computed(Message):
        """A fresh view of the panel, from the worker."""

        view: KpiPanelView

    def __init__(self, panel: KpiPanel | None = None, *, refresh: float | None = None) -> None:
        """Args:
        panel: the read model; built on the app's store and clock when None.
        refresh: seconds between recomputations; kpis.toml's `refresh` when None.
        """
        super().__init__()
        self._panel = panel
        self._refresh = refresh
        self.view: KpiPanelView | None = None
        """The last view drawn."""
        self.scope = ""
        """The scope on screen: "" for all platforms, else a platform."""
        self._busy = False
        self._timer: Timer | None = None
        self._interval = 0.0
        self._debounce: Timer | None = None

    def compose(self) -> ComposeResult:
        yield Static(Content("KPIs · computing…"), id="kpi-title", markup=False)
        yield Static(id="kpi-problems", markup=False)
        yield Vertical(id="kpi-lines")
        yield KpiTable(id="kpi-table")
        yield Static(Content("Alerts"), id="kpi-alerts-title", markup=False)
        yield AlertList(id="kpi-alerts")
        yield KeyFooter()

    @property
    def panel(self) -> KpiPanel:
        if self._panel is None:
            app = cast("WorkstationApp", self.app)
            self._panel = KpiPanel(app.engine, clock=app.clock)
        return self._panel

    def on_mount(self) -> None:
        self._start()

    def on_screen_suspend(self) -> None:
        # Nobody looks at the numbers while another screen covers them.
        if self._timer is not None:
            self._timer.pause()

    def on_screen_resume(self) -> None:
        if self._timer is not None:
            self._timer.resume()
            self._start()

    def _start(self) -> None:
        if self._busy:
            return
        self._busy = True
        self._compute(self.scope)

    @work(thread=True, exclusive=True, group="kpi", exit_on_error=False,
          description="Computing the KPIs")
    def _compute(self, scope: str) -> None:
        self.post_message(self.Computed(self.panel.view(scope)))

    @on(Computed)
    async def draw(self, event: Computed) -> None:
        self._busy = False
        self.view = view = event.view
        self._schedule()
        self.query_one("#kpi-table", KpiTable).show(view)
        self.query_one("#kpi-alerts", AlertList).show(view.alerts, ZoneInfo(view.zone))
        await self._draw_lines()
        problems = self.query_one("#kpi-problems", Static)
        problems.update(Content(inert("\n".join(view.problems[:4]), keep_newlines=True,
                                      limit=600)))
        problems.set_class(bool(view.problems), "-shown")
        if view.scope != self.scope:  # the cursor moved while this was computed
            self._start()

    def _schedule(self) -> None:
        interval = self._refresh or self.panel.refresh
        if self._timer is None or interval != self._interval:
            if self._timer is not None:
                self._timer.stop()
            self._interval = interval
            self._timer = self.set_interval(interval, self._start, name="kpi-refresh")

    async def _draw_lines(self) -> None:
        view = self.view
        if view is None:
            return
        zone = ZoneInfo(view.zone)
        title = self.query_one("#kpi-title", Static)
        title.tooltip = f"computed in {view.elapsed:.2f} s"
        title.update(Content(
            f"KPIs · {scope_label(self.scope)} · {_period(view.start, view.end, zone)} "
            f"({len(view.days)} days, {view.zone}) · updated "
            f"{view.end.astimezone(zone):%H:%M:%S}"))
        lines = view.lines.get(self.scope, ())
        box = self.query_one("#kpi-lines", Vertical)
        rows = list(box.query(KpiRow))
        if [r.key for r in rows] != [line.key for line in lines]:
            await box.remove_children()
            rows = [KpiRow(line.key) for line in lines]
            await box.mount_all(rows)
        for row, line in zip(rows, lines, strict=True):
            row.show(line)

    @on(KpiTable.ScopeChosen)
    async def choose_scope(self, event: KpiTable.ScopeChosen) -> None:
        event.stop()
        if event.scope == self.scope:
            return
        self.scope = event.scope
        await self._draw_lines()  # at once from the last view; medians follow from the worker
        if self._debounce is not None:
            self._debounce.stop()
        self._debounce = self.set_timer(SCOPE_DEBOUNCE, self._start)

    def on_worker_state_changed(self, event: Worker.StateChanged) -> None:
        # The app tells the agent about the failure; here the next tick may try again.
        if event.worker.group == "kpi" and event.state in (WorkerState.ERROR,
                                                           WorkerState.CANCELLED):
            self._busy = False

    @on(AlertList.Chosen)
    def open_alert(self, event: AlertList.Chosen) -> None:
        event.stop()
        ids = list(event.alert.conversation_ids)
        cast("WorkstationApp", self.app).open_conversation(ids[0], ids)

    def action_alerts(self) -> None:
        self.query_one("#kpi-alerts", AlertList).focus()

    def action_back(self) -> None:
        self.dismiss()

    def action_refresh(self) -> None:
        self._start()

    def _focused_table(self) -> KpiTable | AlertList:
        alerts = self.query_one("#kpi-alerts", AlertList)
        return alerts if alerts.has_focus else self.query_one("#kpi-table", KpiTable)

    def action_cursor_down(self) -> None:
        self._focused_table().action_cursor_down()

    def action_cursor_up(self) -> None:
        self._focused_table().action_cursor_up()

    def action_first(self) -> None:
        self.query_one("#kpi-table", KpiTable).move_cursor(row=0)

    def action_last(self) -> None:
        table = self.query_one("#kpi-table", KpiTable)
        table.move_cursor(row=max(table.row_count - 1, 0))


def _period(start: datetime, end: datetime, zone: ZoneInfo) -> str:
    """"13–26 Nov", or "28 Oct – 10 Nov" across a month."""
    first, last = start.astimezone(zone), end.astimezone(zone)
    if (first.year, first.month) == (last.year, last.month):
        return f"{first.day}–{last.day} {last:%b}"
    return f"{first.day} {first:%b} – {last.day} {last:%b}"
