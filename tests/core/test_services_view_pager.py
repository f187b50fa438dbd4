"""The row window: which page to read next, how pages land, and reloading around a row."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import Engine, update

from tests.queue_factories import NOW, agents, conversation
from workstation import db
from workstation.models import Conversation
from workstation.services import view_pager, view_rows
from workstation.services.view_pager import RowWindow
from workstation.services.view_rows import ViewQuery
from workstation.services.views import SHIPPED

QUERY = ViewQuery(SHIPPED[-1], "julie", NOW)


@pytest.fixture
def store(sqlite_engine: Engine) -> Engine:
    agents(sqlite_engine)
    for i in range(1, 301):
        conversation(sqlite_engine, i, sla_due_at=NOW + timedelta(minutes=i))
    return sqlite_engine


def fill(engine: Engine, window: RowWindow, start: int, stop: int) -> int:
    """Read pages until rows start..stop are held; how many reads it took."""
    reads = 0
    while (fetch := window.plan(start, stop)) is not None:
        assert window.merge(fetch, view_pager.read(engine, window.query, fetch))
        reads += 1
    return reads


def test_a_fresh_reading_holds_the_rows_around_the_top(store: Engine) -> None:
    loaded = view_pager.reload(store, QUERY, 1, radius=20)
    assert (loaded.total, loaded.index) == (300, 0)
    assert [loaded.rows[i].id for i in range(40)] == list(range(1, 41))


def test_pages_follow_by_keyset_and_a_far_jump_by_offset(store: Engine) -> None:
    window = RowWindow(view_pager.reload(store, QUERY, 1, radius=20))
    nxt = window.plan(40, 60)
    assert nxt is not None and nxt.after == window.rows[39].key and nxt.offset is None
    assert fill(store, window, 40, 60) == 1
    end = window.plan(295, 300)
    assert end is not None and end.last
    fill(store, window, 295, 300)
    assert [window.rows[i].id for i in range(200, 300)] == list(range(201, 301))
    far = window.plan(150, 160)
    assert far is not None and far.offset == 150
    fill(store, window, 150, 160)
    fill(store, window, 0, 300)
    assert [window.rows[i].id for i in range(300)] == list(range(1, 301))


def test_a_page_above_a_held_row_is_read_backwards_by_keyset(store: Engine) -> None:
    window = RowWindow(view_pager.reload(store, QUERY, 1, keep_id=151, radius=20))
    assert min(window.rows) == 130
    before = window.plan(100, 130)
    assert before is not None and before.before == window.rows[130].key
    assert fill(store, window, 100, 130) == 1
    assert [window.rows[i].id for i in range(100, 131)] == list(range(101, 132))


def test_a_page_of_an_older_reading_is_dropped(store: Engine) -> None:
    window = RowWindow(view_pager.reload(store, QUERY, 2, radius=5))
    fetch = window.plan(10, 20)
    assert fetch is not None
    stale = view_pager.Fetch(1, fetch.start, after=fetch.after)
    assert not window.merge(stale, view_pager.read(store, QUERY, stale))
    assert 10 not in window.rows


def test_the_window_keeps_a_bounded_number_of_rows(store: Engine, monkeypatch) -> None:
    monkeypatch.setattr(view_pager, "KEEP", 120)
    window = RowWindow(view_pager.reload(store, QUERY, 1, radius=20))
    for start in range(0, 300, 20):
        fill(store, window, start, start + 20)
        assert len(window.rows) <= 120
        assert all(i in window.rows for i in range(start, start + 20))


def test_reloading_keeps_the_cursor_on_its_conversation(store: Engine) -> None:
    assert view_pager.reload(store, QUERY, 1, keep_id=150).index == 149
    with db.write(store) as conn:   # ten rows jump ahead of it
        conn.execute(update(Conversation.__table__).where(  # type: ignore[attr-defined]
            Conversation.id > 290).values(sla_due_at=NOW - timedelta(hours=1)))
    again = view_pager.reload(store, QUERY, 2, keep_id=150, keep_index=149)
    assert again.index == 159 and again.rows[159].id == 150
    assert again.rows[158].id == 149 and again.rows[160].id == 151


def test_when_its_conversation_left_the_cursor_keeps_its_place(store: Engine) -> None:
    with db.write(store) as conn:
        conn.execute(update(Conversation.__table__).where(  # type: ignore[attr-defined]
            Conversation.id == 150).values(status="resolved"))
    again = view_pager.reload(store, QUERY, 3, keep_id=150, keep_index=149)
    assert (again.total, again.index, again.rows[149].id) == (299, 149, 151)


def test_siblings_are_the_contiguous_rows_around_the_cursor(store: Engine) -> None:
    window = RowWindow(view_pager.reload(store, QUERY, 1, radius=20))
    assert window.around(5, 3) == [3, 4, 5, 6, 7, 8, 9]
    assert window.around(0, 2) == [1, 2, 3]
    assert window.index_of(7) == 6
    assert view_rows.count(store, QUERY) == 300
