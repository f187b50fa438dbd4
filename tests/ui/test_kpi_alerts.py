"""Reputation alerts in the TUI: notified as they are raised, listed on the KPI panel, and
`a` then `enter` opens the conversations behind one. Texts from platforms stay inert."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine

import screens

from screens.alert_watch import AlertWatch
from screens.app import WorkstationApp
from screens.conversation_screen import ConversationScreen
from screens.kpi_screen import KpiScreen
from screens.widgets.alert_list import AlertList
from tests import kpi_factories as kf
from tests import seed
from tests.core.test_alerts import config
from tests.ui.kpi_audit_harness import HOSTILE, NOW, Host, build_store, panel, settle
from workstation import db
from workstation.alerts import recent, scan
from workstation.clock import FrozenClock


def _raise_alerts(engine: Engine) -> list[int]:
    """An influencer with a hostile handle and a keyword, in the last minutes."""
    with db.write(engine) as conn:
        star = kf.contact(conn, HOSTILE, 500_000)
        first = seed.conversation(conn, start=NOW - timedelta(minutes=10))
        kf.said(conn, first, NOW - timedelta(minutes=9), contact_id=star, text="hi")
        second = seed.conversation(conn, start=NOW - timedelta(minutes=5))
        kf.said(conn, second, NOW - timedelta(minutes=4), text="time to boycott them")
    return scan(engine, clock=FrozenClock(NOW), config=config())


class RecordingApp(WorkstationApp):
    """The real app, keeping what it notifies."""

    CSS_PATH = str(Path(screens.__file__).parent / "app.tcss")

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.told: list[dict[str, Any]] = []

    def notify(self, message: str, **kwargs: Any) -> None:  # type: ignore[override]
        self.told.append({"message": message, **kwargs})
        super().notify(message, **kwargs)


async def test_new_alerts_are_notified_and_open_their_conversations(
        sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = RecordingApp(sqlite_engine, agent="julie", clock=FrozenClock(NOW))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        watch = app.query_one(AlertWatch)
        assert watch.last_id == 0 and app.told == []
        ids = _raise_alerts(sqlite_engine)
        assert len(ids) == 2
        watch.check()
        await settle(pilot)
        alerts = [t for t in app.told if str(t.get("title", "")).startswith("Alert")]
        assert len(alerts) == 2 and all(t["markup"] is False for t in alerts)
        assert "boycott" in alerts[1]["message"]
        assert "\x1b" not in alerts[0]["message"] and "[@click=app.quit]" in alerts[0]["message"]
        watch.check()  # nothing new: nothing told again
        await settle(pilot)
        assert len([t for t in app.told if str(t.get("title", "")).startswith("Alert")]) == 2

        await pilot.press("K")
        await pilot.pause(0.2)
        await settle(pilot, rounds=5)
        screen = app.screen
        assert isinstance(screen, KpiScreen)
        listed = screen.query_one("#kpi-alerts", AlertList)
        assert [a.id for a in listed.alerts] == sorted(ids, reverse=True)
        keyword = recent(sqlite_engine)[0]
        await pilot.press("a", "enter")
        await pilot.pause(0.2)
        await settle(pilot)
        assert isinstance(app.screen, ConversationScreen)
        assert app.screen_stack[-1] is app.screen
        assert keyword.kind == "keyword" and keyword.conversation_ids


async def test_the_alert_list_moves_with_j_and_k_and_opens_siblings(
        sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    ids = _raise_alerts(sqlite_engine)
    app = Host(sqlite_engine, lambda: KpiScreen(panel(sqlite_engine)))
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        listed = app.screen.query_one("#kpi-alerts", AlertList)
        assert len(listed.alerts) == 2
        await pilot.press("a", "j", "enter")
        await settle(pilot)
        influencer = [a for a in recent(sqlite_engine) if a.kind == "influencer"][0]
        assert influencer.id == min(ids)
        assert app.opened == [(influencer.conversation_ids[0], list(influencer.conversation_ids))]
        title = listed.get_row_at(1)[1]  # the handle is the platform's: shown as it is
        assert title.plain.startswith("Influencer on instagram: @[@click=app.quit]x[/]")
        assert "\x1b" not in title.plain and "\u202e" not in title.plain and not title.spans
