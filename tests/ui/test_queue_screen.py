"""The queue screen: views and their counts, the filter, moving, opening, quitting."""

from __future__ import annotations

from sqlalchemy import Engine

from screens.widgets.view_tabs import ViewTabs
from tests.ui.queue_app import all_open, make_app, queue_of, row_ids, screen_text, seed, settle


async def test_it_opens_on_mine_and_the_number_keys_switch_views(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        screen, queue = queue_of(app)
        assert screen.views[screen.view_index].key == "mine"
        assert row_ids(queue) == [1]
        seen = {}
        for key in "123456789":
            await pilot.press(key)
            await settle(pilot)
            seen[screen.views[screen.view_index].key] = row_ids(queue)
        assert seen == {
            "mine": [1], "unassigned": [3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "breaching": [3, 1], "leads": [2], "escalated": [3], "moderation": [4],
            "dms": [2], "comments": [3, 1, 4, 5, 6, 7, 8, 9, 10, 11, 12],
            "all": [3, 1, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
        }
        tabs = screen.query_one(ViewTabs)
        assert tabs._counts == [1, 11, 2, 1, 1, 1, 1, 11, 12]
        await pilot.press("tab")
        await settle(pilot)
        assert screen.view_index == 0


async def test_rows_are_ordered_by_sla_due_then_priority(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        _, queue = await all_open(pilot, app)
        items = [queue.window.rows[i] for i in range(queue.total)]  # type: ignore[union-attr]
        due = [(r.sla_due_at, -r.priority, r.id) for r in items if r.sla_due_at]
        assert due == sorted(due) and items[-1].sla_due_at is None
        text = screen_text(queue)
        assert "-20m" in text.splitlines()[0]      # breached, first
        assert "tom" in text.splitlines()[10]      # who is viewing conversation 11


async def test_the_filter_bar_narrows_and_esc_clears(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, queue = await all_open(pilot, app)
        await pilot.press("slash", *"grinder")
        await pilot.pause(0.4)
        await settle(pilot)
        assert row_ids(queue) == [3] and screen.search == "grinder"
        await pilot.press("enter")
        await settle(pilot)
        assert app.focused is queue and row_ids(queue) == [3]
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"@lea.m")
        await pilot.pause(0.4)
        await settle(pilot)
        assert row_ids(queue) == [1]
        await pilot.press("escape")
        await pilot.pause(0.4)
        await settle(pilot)
        assert screen.search == "" and len(row_ids(queue)) == 12 and app.focused is queue


async def test_moving_and_opening_with_the_views_ids_as_siblings(sqlite_engine: Engine) -> None:
    seed(sqlite_engine, extra=300)
    app = make_app(sqlite_engine)
    opened: list[tuple[int, list[int]]] = []
    app.open_conversation = lambda cid, siblings=None: opened.append((cid, siblings))  # type: ignore[method-assign]
    async with app.run_test(size=(80, 24)) as pilot:
        _, queue = await all_open(pilot, app)
        assert queue.total == 312
        await pilot.press("j", "j", "down", "k")
        assert queue.cursor == 2
        await pilot.press("G")
        await settle(pilot)
        assert queue.cursor == 311 and queue.current is not None
        assert queue.current.sla_due_at is None          # no SLA: last
        await pilot.press("g")
        await settle(pilot)
        assert queue.cursor == 0 and queue.current is not None and queue.current.id == 3
        await pilot.press("pagedown", "pagedown")
        await settle(pilot)
        current = queue.current
        assert queue.cursor > 30 and current is not None
        await pilot.press("enter")
        assert opened and opened[0][0] == current.id
        siblings = opened[0][1]
        assert current.id in siblings and len(siblings) > 50
        assert siblings == row_ids(queue)[row_ids(queue).index(siblings[0]):][:len(siblings)]


async def test_q_quits_from_the_queue(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
        assert not app.is_running


async def test_help_shows_the_queue_keys(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await pilot.press("question_mark")
        await pilot.pause()
        assert app.screen.query("HelpPanel")
        await pilot.press("question_mark")
        await pilot.pause()
        assert not app.screen.query("HelpPanel")
