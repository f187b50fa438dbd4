"""What the queue looks like on the fixed-seed demo store, at 80x24 and at 120x40."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from screens.app import WorkstationApp
from tests.ui.queue_app import settle
from workstation.clock import FrozenClock
from workstation.demo.build import build_demo

SnapCompare = Callable[..., bool]
DEMO_NOW = datetime(2026, 11, 20, 15, 30, tzinfo=UTC)


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Pin the time zone: nothing on the queue is local time, but keep it so if that changes."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


@pytest.fixture
def demo_app(sqlite_engine: Engine) -> WorkstationApp:
    clock = FrozenClock(DEMO_NOW)
    build_demo(sqlite_engine, size=600, seed=7, clock=clock)
    return WorkstationApp(sqlite_engine, agent="julie", clock=clock)


def keys(*pressed: str) -> Callable[[Pilot[None]], object]:
    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in pressed:
            await pilot.press(key)
            await settle(pilot)

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_all_open(snap_compare: SnapCompare, demo_app: WorkstationApp,
                  size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=keys("9", "j", "j", "space"))


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_mine(snap_compare: SnapCompare, demo_app: WorkstationApp,
              size: tuple[int, int]) -> None:
    assert snap_compare(demo_app, terminal_size=size, run_before=keys())


def test_filtered(snap_compare: SnapCompare, demo_app: WorkstationApp) -> None:
    async def run_before(pilot: Pilot[None]) -> None:
        await pilot.press("9", "slash", *"intent:purchase")
        pilot.app.screen.query_one("#filter-input").cursor_blink = False  # type: ignore[attr-defined]
        await pilot.pause(0.4)
        await settle(pilot)

    assert snap_compare(demo_app, terminal_size=(80, 24), run_before=run_before)
