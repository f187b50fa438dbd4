"""Reputation alerts: sentiment spikes, volume surges, influencer mentions and keywords.

`scan(engine, clock=...)` is the entry point a scheduled job calls; `recent` lists what was
raised, for the TUI, the CLI and the reports.
"""

from __future__ import annotations

from typing import Any

__all__ = ["AlertView", "recent", "scan"]


def __getattr__(name: str) -> Any:
    # Loaded on first use: `rules.load` imports `alerts.config`, and triage must not pay for
    # the store's tables that detection and views import.
    if name == "scan":
        from workstation.alerts.detect import scan

        return scan
    if name in ("AlertView", "recent"):
        from workstation.alerts import views

        return getattr(views, name)
    raise AttributeError(name)
