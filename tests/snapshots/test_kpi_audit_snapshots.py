"""The KPI panel and the audit trail as drawn, at 80x24 and 120x40 (a fixed store and clock)."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from screens.audit_screen import AuditScreen
from screens.kpi_screen import KpiScreen
from tests.ui.kpi_audit_harness import Host, build_store, panel, settle
from workstation import db

SIZES = [(80, 24), (120, 40)]


@pytest.fixture
def store(tmp_path: Path) -> Engine:
    engine = db.open_store(f"sqlite:///{tmp_path / 'store.db'}")
    build_store(engine)
    return engine


async def _ready(pilot: Pilot[None]) -> None:
    await settle(pilot)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kpi_panel(snap_compare: Callable[..., bool], store: Engine, size: Any) -> None:
    app = Host(store, lambda: KpiScreen(panel(store)))
    assert snap_compare(app, terminal_size=size, run_before=_ready)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_kpi_panel_on_one_platform(snap_compare: Callable[..., bool], store: Engine,
                                   size: Any) -> None:
    async def instagram(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("j", "j")
        await pilot.pause(0.5)
        await settle(pilot)

    app = Host(store, lambda: KpiScreen(panel(store)))
    assert snap_compare(app, terminal_size=size, run_before=instagram)


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_audit_trail(snap_compare: Callable[..., bool], store: Engine, size: Any) -> None:
    async def on_the_hostile_event(pilot: Pilot[None]) -> None:
        await settle(pilot)
        await pilot.press("j", "j")  # conversation.flagged, whose reason is hostile text
        await pilot.pause()

    app = Host(store, lambda: AuditScreen(zone=UTC))
    assert snap_compare(app, terminal_size=size, run_before=on_the_hostile_event)
