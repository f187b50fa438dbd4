"""What the conversation screen looks like, at the smallest supported size and a roomy one."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle

SnapCompare = Callable[..., bool]


@pytest.fixture(autouse=True)
def utc(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Times on screen are local: pin the zone so snapshots match on every machine."""
    monkeypatch.setenv("TZ", "UTC")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def _opening(engine: Engine, which: str, keys: tuple[str, ...] = ()) -> Any:
    inbox = build_inbox(engine)
    conversation = getattr(inbox, which)

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await open_conversation(pilot, app, conversation, inbox.ids)  # type: ignore[arg-type]
        for key in keys:
            await pilot.press(key)
            await settle(pilot, app)  # type: ignore[arg-type]

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_comment_thread(snap_compare: SnapCompare, sqlite_engine: Engine,
                        size: tuple[int, int]) -> None:
    run_before = _opening(sqlite_engine, "comment")
    assert snap_compare(make_app(sqlite_engine), terminal_size=size, run_before=run_before)


@pytest.mark.parametrize("size", [(80, 24), (120, 40)])
def test_vip_dm_with_the_composer_open(snap_compare: SnapCompare, sqlite_engine: Engine,
                                       size: tuple[int, int]) -> None:
    run_before = _opening(sqlite_engine, "dm", ("m", "escape"))
    assert snap_compare(make_app(sqlite_engine), terminal_size=size, run_before=run_before)


def test_hostile_thread(snap_compare: SnapCompare, sqlite_engine: Engine) -> None:
    run_before = _opening(sqlite_engine, "hostile")
    assert snap_compare(make_app(sqlite_engine), terminal_size=(80, 24), run_before=run_before)
