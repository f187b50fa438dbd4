"""The KPI panel and the audit trail in the real app: K and A open them, esc comes back,
enter on an event opens its conversation."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Static

from screens.app import WorkstationApp
from screens.audit_screen import AuditScreen
from screens.conversation_screen import ConversationScreen
from screens.kpi_screen import KpiScreen
from screens.widgets.kpi_row import KpiRow
from tests.ui.kpi_audit_harness import NOW, build_store, settle
from workstation.clock import FrozenClock


async def test_k_and_a_open_the_screens_and_enter_opens_a_conversation(
        sqlite_engine: Engine) -> None:
    ids = build_store(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="julie", clock=FrozenClock(NOW))
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        start = app.screen
        await pilot.press("K")
        await pilot.pause(0.2)
        await settle(pilot, rounds=5)
        kpis = app.screen
        assert isinstance(kpis, KpiScreen)
        volume = kpis.query_one("#kpi-volume", KpiRow)
        assert str(volume.query_one(".value", Static).render()) == "12"
        await pilot.press("A")
        await pilot.pause(0.2)
        await settle(pilot)
        trail = app.screen
        assert isinstance(trail, AuditScreen)
        await pilot.press("enter")
        await pilot.pause(0.2)
        await settle(pilot)
        opened = app.screen
        assert isinstance(opened, ConversationScreen)
        assert opened.conversation_id == ids["c9"]
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is trail
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is kpis
        await pilot.press("escape")
        await pilot.pause(0.2)
        assert app.screen is start
