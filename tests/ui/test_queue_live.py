"""Live: what another process writes shows within two seconds, and the cursor stays on its row."""

from __future__ import annotations

import asyncio
import time
from datetime import timedelta

from sqlalchemy import Engine, update
from textual.geometry import Region

from tests.queue_factories import NOW, conversation
from tests.ui.queue_app import all_open, make_app, row_ids, seed, settle
from workstation import db
from workstation.models import Conversation


async def test_changes_by_another_connection_show_without_a_key(sqlite_engine: Engine) -> None:
    seed(sqlite_engine, extra=40)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        _, queue = await all_open(pilot, app)
        await pilot.press("j", "j", "j", "j", "j")
        under = queue.current
        assert under is not None and queue.cursor == 5
        on_screen = queue.cursor - round(queue.scroll_y)
        other = db.make_engine(str(sqlite_engine.url))   # another process's connection
        try:
            conversation(other, 500, author="newcomer", sla_due_at=NOW - timedelta(hours=2),
                         messages=("just arrived",))
            with db.write(other) as conn:
                conn.execute(update(Conversation.__table__)  # type: ignore[attr-defined]
                             .where(Conversation.id == under.id)
                             .values(last_text="edited elsewhere",
                                     version=Conversation.version + 1))
        finally:
            other.dispose()
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            await asyncio.sleep(0.1)
            current = queue.current
            if current is not None and current.last_text == "edited elsewhere":
                break
        assert time.monotonic() - started < 2.0, "the change did not show within 2 s"
        await settle(pilot)
        assert queue.current is not None and queue.current.id == under.id
        assert queue.cursor == 6                               # one row arrived above it
        assert queue.cursor - round(queue.scroll_y) == on_screen
        assert row_ids(queue)[0] == 500


async def test_a_row_resolved_elsewhere_leaves_the_cursor_in_place(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        _, queue = await all_open(pilot, app)
        await pilot.press("j", "j")
        ids = row_ids(queue)
        with db.write(sqlite_engine) as conn:
            conn.execute(update(Conversation.__table__)  # type: ignore[attr-defined]
                         .where(Conversation.id == ids[2])
                         .values(status="resolved", version=Conversation.version + 1))
        started = time.monotonic()
        while ids[2] in row_ids(queue) and time.monotonic() - started < 2.0:
            await asyncio.sleep(0.1)
        await settle(pilot)
        assert ids[2] not in row_ids(queue)
        assert queue.cursor == 2 and queue.current is not None and queue.current.id == ids[3]


async def test_a_row_changed_elsewhere_is_drawn_again_where_it_stands(
        sqlite_engine: Engine) -> None:
    # A re-read that leaves every row in its place redraws only the lines whose row changed:
    # what reaches the screen (the list's drawn lines, kept between frames) must be the new row.
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 30)) as pilot:
        _, queue = await all_open(pilot, app)
        ids = row_ids(queue)
        drawn = queue.render_lines(Region(0, 3, queue.size.width, 1))[0].text
        assert "edited" not in drawn
        with db.write(sqlite_engine) as conn:
            conn.execute(update(Conversation.__table__)  # type: ignore[attr-defined]
                         .where(Conversation.id == ids[3])
                         .values(last_text="edited elsewhere", version=Conversation.version + 1))
        started = time.monotonic()
        while time.monotonic() - started < 2.0:
            await asyncio.sleep(0.1)
            item = queue.window.get(3) if queue.window else None
            if item is not None and item.last_text == "edited elsewhere":
                break
        await settle(pilot)
        assert row_ids(queue) == ids and round(queue.scroll_y) == 0
        assert "edited elsewhere" in queue.render_lines(Region(0, 3, queue.size.width, 1))[0].text
        assert queue.render_lines(Region(0, 2, queue.size.width, 1))[0].text == \
            queue.render_line(2).text
