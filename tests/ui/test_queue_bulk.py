"""Marking rows with space and acting on all of them at once, through the service layer."""

from __future__ import annotations

import time

from sqlalchemy import Engine, select

from tests.ui.queue_app import all_open, make_app, row_ids, seed, settle
from workstation import audit, db
from workstation.models import Conversation, Message

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


def column(engine: Engine, name: str, ids: list[int]) -> dict[int, object]:
    with db.read(engine) as conn:
        return dict(conn.execute(select(_C.id, _C[name]).where(_C.id.in_(ids))).all())


async def test_space_marks_and_h_hides_every_marked_conversation(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen, queue = await all_open(pilot, app)
        first_three = row_ids(queue)[:3]            # 3, 1, 2: two comments and a DM
        await pilot.press("space", "space", "space")
        assert list(queue.marked) == first_three and queue.cursor == 3
        await pilot.press("h")
        await settle(pilot)
        assert not queue.marked
        with db.read(sqlite_engine) as conn:
            hidden = set(conn.execute(select(_M.conversation_id).where(_M.hidden)).scalars())
        assert hidden == {3, 1}                     # a DM has nothing public to hide
        events = audit.list_events(sqlite_engine, actor="julie")
        assert {e.conversation_id for e in events if e.action == "message.hidden"} == {3, 1}


async def test_without_marks_the_action_is_on_the_cursor_row(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        _, queue = await all_open(pilot, app)
        await pilot.press("j", "t", *"follow-up", "enter")
        await settle(pilot)
        assert column(sqlite_engine, "tags", [1, 3]) == {1: " follow-up ", 3: " vip "}


async def test_bulk_tag_assign_escalate_snooze_and_resolve(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        _, queue = await all_open(pilot, app)
        marked = row_ids(queue)[3:6]

        async def mark() -> None:
            # The last action's modal may still be closing on a loaded machine: a key sent
            # before the queue has the focus again would be lost (a bound, not a timing test).
            end = time.monotonic() + 10
            while app.focused is not queue and time.monotonic() < end:
                await pilot.pause(0.05)
            await pilot.press("g", "j", "j", "j", "space", "space", "space")
            assert list(queue.marked) == marked

        await mark()
        await pilot.press("t", *"#Late Order", "enter")
        await settle(pilot)
        assert set(column(sqlite_engine, "tags", marked).values()) == {" late-order "}
        await mark()
        await pilot.press("a")
        await settle(pilot)
        await pilot.press(*"tom", "enter")
        await settle(pilot)
        assert set(column(sqlite_engine, "assignee_id", marked).values()) == {2}
        await mark()
        await pilot.press("e", "down", *"legal threat", "enter")
        await settle(pilot)
        assert set(column(sqlite_engine, "escalated", marked).values()) == {True}
        await pilot.press("6")    # the rows may have left "All open"'s order: use Escalated
        await settle(pilot)
        await pilot.press("9")
        await settle(pilot)
        ids = row_ids(queue)
        await pilot.press("g", "space", "space")
        two = ids[:2]
        await pilot.press("s", "enter")
        await settle(pilot)
        assert set(column(sqlite_engine, "status", two).values()) == {"snoozed"}
        await pilot.press("g", "space", "x", "enter")
        await settle(pilot)
        assert column(sqlite_engine, "status", [ids[2]]) == {ids[2]: "resolved"}
        assert ids[2] not in row_ids(queue)          # the view was read again


async def test_esc_clears_the_marks(sqlite_engine: Engine) -> None:
    seed(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        _, queue = await all_open(pilot, app)
        await pilot.press("space", "space", "k", "space")
        assert len(queue.marked) == 1
        await pilot.press("escape")
        assert not queue.marked
