"""Reputation alerts: sentiment spikes, volume surges, influencer mentions and keywords.

`scan(engine, clock=...)` is the entry point a scheduled job calls; `recent` lists what was
raised, for the TUI, the CLI and the reports.
"""

from __future__ import annotations

from workstation.alerts.detect import scan
from workstation.alerts.views import AlertView, recent

__all__ = ["AlertView", "recent", "scan"]
