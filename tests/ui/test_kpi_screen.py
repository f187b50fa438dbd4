"""The KPI panel: KPIs against targets, platforms with j/k, live numbers, inert texts."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import Sparkline, Static

from screens.kpi_screen import KpiScreen
from screens.widgets.kpi_row import KpiRow
from screens.widgets.kpi_table import KpiTable
from tests import seed
from tests.core.test_kpi import POLICIES
from tests.ui.kpi_audit_harness import HOSTILE, NOW, Host, build_store, panel, settle
from workstation import db, paths
from workstation.clock import FrozenClock
from workstation.services.kpi_panel import KpiPanel


def _rows(screen: KpiScreen) -> dict[str, KpiRow]:
    return {row.key: row for row in screen.query(KpiRow)}


def _text(row: KpiRow, part: str) -> str:
    return str(row.query_one(f".{part}", Static).render())


async def test_each_kpi_is_shown_against_its_target(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = Host(sqlite_engine, lambda: KpiScreen(panel(sqlite_engine)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        rows = _rows(screen)
        assert list(rows) == ["first_response_time", "response_rate", "sla_hit_rate",
                              "escalation_rate", "lead_conversion", "csat", "volume",
                              "sentiment"]
        frt = rows["first_response_time"]
        assert frt.line is not None and frt.line.status == "met"
        assert _text(frt, "target") == "< 2h" and _text(frt, "mark") == "✓"
        assert _text(frt, "detail").startswith("median ")
        escalation = rows["escalation_rate"]
        assert _text(escalation, "value") == "25.0%" and _text(escalation, "mark") == "✗"
        assert escalation.has_class("-missed")
        assert _text(rows["volume"], "value") == "12"
        assert len(rows["volume"].query_one(Sparkline).data or ()) == 14
        table = screen.query_one("#kpi-table", KpiTable)
        assert table.row_count == 4  # all platforms, facebook, instagram, x
        title = str(screen.query_one("#kpi-title", Static).render())
        assert title.startswith("KPIs · All platforms · 13–26 Nov (14 days, Europe/Paris)")
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, KpiScreen)


async def test_j_and_k_choose_the_platform(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = Host(sqlite_engine, lambda: KpiScreen(panel(sqlite_engine)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        await pilot.press("j", "j")  # facebook, then instagram
        await pilot.pause(0.5)
        await settle(pilot)
        assert screen.scope == "instagram"
        assert screen.view is not None and screen.view.scope == "instagram"
        rows = _rows(screen)
        assert _text(rows["volume"], "value") == "4"
        assert _text(rows["first_response_time"], "detail").startswith("median ")
        assert "Instagram" in str(screen.query_one("#kpi-title", Static).render())
        await pilot.press("k", "g")
        await pilot.pause(0.5)
        await settle(pilot)
        assert screen.scope == ""
        assert _text(_rows(screen)["volume"], "value") == "12"


async def test_numbers_move_as_work_happens(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = Host(sqlite_engine, lambda: KpiScreen(panel(sqlite_engine), refresh=0.2))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        with db.write(sqlite_engine) as conn:  # another agent's work, in another transaction
            start = NOW - timedelta(hours=1)
            seed.conversation(conn, platform="tiktok", start=start,
                              reply=start + timedelta(minutes=5))
        await pilot.pause(0.6)  # no key pressed
        await settle(pilot)
        assert _text(_rows(screen)["volume"], "value") == "13"
        assert screen.query_one("#kpi-table", KpiTable).row_count == 5


async def test_texts_from_kpis_toml_are_never_markup(sqlite_engine: Engine, tmp_path: Path) -> None:
    source = paths.shipped("kpis.toml").read_text(encoding="utf-8")
    escaped = HOSTILE.replace("\\", "\\\\").replace("\x1b", "\\u001b").replace("\x07", "\\u0007")
    hostile = tmp_path / "kpis.toml"
    hostile.write_text(source.replace('name = "First response time"', f'name = "{escaped}"'),
                       encoding="utf-8")
    app = Host(sqlite_engine, lambda: KpiScreen(panel(sqlite_engine, hostile)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        name = _text(_rows(screen)["first_response_time"], "name")
        assert name.startswith("[@click=app.quit]x[/] [b]bold[/b] [/x] ")
        assert "\x1b" not in name and "\u202e" not in name
        await pilot.click("#kpi-first_response_time")
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, KpiScreen)


async def test_a_broken_kpi_file_is_shown(sqlite_engine: Engine, tmp_path: Path,
                                          monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "kpis.toml"
    bad.write_text("[panel]\ndays = 0\n", encoding="utf-8")
    monkeypatch.setenv("WORKSTATION_KPIS", str(bad))
    app = Host(sqlite_engine, lambda: KpiScreen(KpiPanel(sqlite_engine, clock=FrozenClock(NOW),
                                                  policies=POLICIES)))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        problems = app.screen.query_one("#kpi-problems", Static)
        assert problems.has_class("-shown")
        assert f"{bad}:2: panel.days" in str(problems.render())
