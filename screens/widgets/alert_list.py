"""AlertList: the reputation alerts on the KPI panel, newest first; enter opens the threads."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar
from zoneinfo import ZoneInfo

from rich.text import Text
from textual.binding import Binding, BindingType
from textual.message import Message
from textual.widgets import DataTable

from workstation.alerts.views import AlertView
from workstation.text import inert


class AlertList(DataTable[Text]):
    """One row per alert; `enter` asks to open the conversations behind the one under the cursor."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {"alert-list--critical", "alert-list--warning"}
    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("enter", "open", "Open threads", id="kpi.alerts.open",
                tooltip="Open the conversations behind this alert"),
    ]
    DEFAULT_CSS = """
    AlertList {
        height: auto;
        max-height: 8;
        & > .alert-list--critical { color: $text-error; }
        & > .alert-list--warning { color: $text-warning; }
    }
    """

    @dataclass
    class Chosen(Message):
        """An alert was chosen: open its conversations."""

        alerts: AlertList
        alert: AlertView

        @property
        def control(self) -> AlertList:
            return self.alerts

    def __init__(self, *, id: str | None = None) -> None:  # noqa: A002
        super().__init__(id=id, cursor_type="row", zebra_stripes=False, cell_padding=1,
                         show_header=False)
        self.alerts: tuple[AlertView, ...] = ()
        self._drawn = False

    def on_mount(self) -> None:
        self.add_column("When", key="when")
        self.add_column("Alert", key="alert")
        self.add_column("Threads", key="threads")

    def show(self, alerts: tuple[AlertView, ...], zone: ZoneInfo) -> None:
        """Redraw when the alerts changed, keeping the cursor on the alert it was on."""
        if self._drawn and [a.id for a in alerts] == [a.id for a in self.alerts]:
            return
        self._drawn = True
        current = self.alert
        self.alerts = alerts
        styles = {s: self.get_component_rich_style(f"alert-list--{s}", partial=True)
                  for s in ("critical", "warning")}
        self.clear()
        if not alerts:
            self.add_row(Text(""), Text("No alert: spikes, surges, influencers and keywords "
                                        "show here."), Text(""))
            return
        for alert in alerts:
            style = styles.get(alert.severity, "")
            self.add_row(Text(f"{alert.raised_at.astimezone(zone):%d %b %H:%M}"),
                         Text(inert(alert.title, limit=90), style=style),
                         Text(f"{len(alert.conversation_ids)} ›", justify="right"),
                         key=str(alert.id))
        if current is not None and current in [a for a in alerts]:
            self.move_cursor(row=alerts.index(current), animate=False, scroll=False)

    @property
    def alert(self) -> AlertView | None:
        """The alert under the cursor."""
        if not self.alerts:
            return None
        return self.alerts[min(self.cursor_row, len(self.alerts) - 1)]

    def action_open(self) -> None:
        if self.alert is not None and self.alert.conversation_ids:
            self.post_message(self.Chosen(self, self.alert))
