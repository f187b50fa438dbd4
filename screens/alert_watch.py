"""Telling the agent about reputation alerts as they are raised, on whatever screen.

The workers raise alerts (`workstation.alerts.scan`); every app polls the alert table for
ids above the last one it saw, in a thread worker, and shows each new alert as a
notification (texts are inert: never markup). The first poll only learns where the table
ends, so opening the app does not replay old alerts; the KPI panel lists those.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import work
from textual.widget import Widget

from workstation.alerts.views import AlertView, recent
from workstation.text import inert

if TYPE_CHECKING:
    from sqlalchemy import Engine

POLL = 15.0
"""Seconds between two looks at the alert table."""
SHOWN = 3
"""New alerts notified one by one; beyond that, one summary."""


class AlertWatch(Widget):
    """An invisible widget that polls for new alerts and notifies the app of them."""

    DEFAULT_CSS = "AlertWatch { display: none; }"

    def __init__(self, engine: Engine, *, poll: float = POLL) -> None:
        super().__init__()
        self._engine = engine
        self._poll = poll
        self.last_id: int | None = None
        """The newest alert seen; None before the first poll."""

    def on_mount(self) -> None:
        self.check()
        self.set_interval(self._poll, self.check, name="alert-watch")

    @work(thread=True, exclusive=True, group="alert-watch", exit_on_error=False,
          description="Looking for new alerts")
    def check(self) -> None:
        """Read alerts newer than the last seen, and notify them."""
        if self.last_id is None:
            newest = recent(self._engine, limit=1)
            self.last_id = newest[0].id if newest else 0
            return
        fresh = recent(self._engine, after_id=self.last_id, limit=50)
        if fresh:
            self.last_id = fresh[0].id
            self.app.call_from_thread(self._notify, fresh)

    def _notify(self, fresh: list[AlertView]) -> None:
        for alert in reversed(fresh[:SHOWN]):
            self.app.notify(
                inert(f"{alert.title} · {len(alert.conversation_ids)} conversation(s) · "
                      "K then a to open", limit=300),
                title=f"Alert ({alert.severity})", markup=False, timeout=12,
                severity="error" if alert.severity == "critical" else "warning")
        if len(fresh) > SHOWN:
            self.app.notify(f"{len(fresh) - SHOWN} more alert(s) on the KPI panel (K)",
                            title="Alerts", markup=False, severity="warning")
