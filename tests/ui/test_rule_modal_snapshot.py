"""What the new-rule dialog looks like over a conversation, its preview filled in."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot

from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle

SnapCompare = Callable[..., bool]


@pytest.mark.parametrize("size", [(100, 30), (120, 40)])
def test_new_rule_dialog(snap_compare: SnapCompare, sqlite_engine: Engine, rules_file: Path,
                         monkeypatch: pytest.MonkeyPatch, size: tuple[int, int]) -> None:
    monkeypatch.chdir(rules_file.parent)  # the dialog names the file relative to here: "rules.toml"
    inbox = build_inbox(sqlite_engine)

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await open_conversation(pilot, app, inbox.comment, inbox.ids)  # type: ignore[arg-type]
        await pilot.press("k", "R")
        await settle(pilot, app)  # type: ignore[arg-type]
        await pilot.pause(0.4)
        await settle(pilot, app)  # type: ignore[arg-type]

    assert snap_compare(make_app(sqlite_engine, agent="helene"), terminal_size=size,
                        run_before=run_before)
