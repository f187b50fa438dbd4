"""The command palette: every view, screen and action of the current screen, by name."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.command import CommandPalette

from screens.commands import WorkstationCommands
from tests.ui.queue_app import make_app, queue_of, seed, settle


async def test_the_palette_lists_views_screens_and_the_queues_actions(
        sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        provider = WorkstationCommands(app.screen)
        names = [text for text, _help, _run in provider._commands()]
        for expected in ("View: Mine (1)", "View: All open (9)", "Screen: Queue",
                         "Screen: KPI panel (K)", "Screen: Audit trail (A)", "Hide (h)",
                         "Tag (t)", "Assign (a)", "Escalate (e)", "Resolve (x)", "Snooze (s)",
                         "Filter (/)", "Open (⏎)", "Mark (space)", "Help (?)"):
            assert any(n.startswith(expected) for n in names), (expected, names)
        assert len(names) == len(set(names))
        assert not any(n.startswith(("KPIs", "Audit (", "Scroll")) for n in names)


async def test_choosing_a_view_in_the_palette_switches_to_it(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("ctrl+p")
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)
        await pilot.press(*"View: Leads")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        screen, queue = queue_of(app)
        assert screen.views[screen.view_index].key == "leads"
        assert queue.total == 1
