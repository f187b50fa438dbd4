"""The audit trail: filters by agent, conversation, action and date; enter opens; inert text."""

from __future__ import annotations

from datetime import UTC

from rich.text import Text
from sqlalchemy import Engine
from textual.widgets import Input, Static

from screens.audit_screen import AuditScreen
from screens.widgets.audit_detail import AuditDetail
from screens.widgets.audit_table import AuditTable
from tests import seed
from tests.ui.kpi_audit_harness import Host, build_store, settle
from workstation import db


def _app(engine: Engine, **filters: object) -> Host:
    return Host(engine, lambda: AuditScreen(zone=UTC, **filters))  # type: ignore[arg-type]


def _screen(app: Host) -> AuditScreen:
    screen = app.screen
    assert isinstance(screen, AuditScreen)
    return screen


def _actions(app: Host) -> list[str]:
    return [e.action for e in _screen(app).query_one("#audit-table", AuditTable).events]


async def _type(pilot: object, app: Host, field: str, text: str) -> None:
    await pilot.press("slash")  # type: ignore[attr-defined]
    _screen(app).query_one(f"#audit-{field}", Input).focus()
    for key in text:
        await pilot.press(key)  # type: ignore[attr-defined]
    await pilot.press("enter")  # type: ignore[attr-defined]
    await settle(pilot)  # type: ignore[arg-type]


async def test_the_trail_newest_first_with_the_details_of_the_row(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _actions(app)[:3] == ["conversation.resolved", "reply.queued",
                                     "conversation.flagged"]
        assert len(_actions(app)) == 10
        detail = str(_screen(app).query_one("#audit-detail", AuditDetail).render())
        assert "2026-11-25 11:00:00 UTC  julie (agent)  conversation.resolved" in detail
        assert "code: replaced" in detail
        await pilot.press("j")
        await pilot.pause()
        detail = str(_screen(app).query_one("#audit-detail", AuditDetail).render())
        assert "sofiane" in detail and "template: warranty" in detail
        await pilot.press("escape")
        await pilot.pause()
        assert not isinstance(app.screen, AuditScreen)


async def test_filter_by_agent_conversation_action_and_date(sqlite_engine: Engine) -> None:
    ids = build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _type(pilot, app, "agent", "marc")
        assert _actions(app) == ["conversation.resolved", "reply.queued"]
        assert isinstance(app.focused, AuditTable)  # enter leaves the filter for the list
        await pilot.press("c")  # clear
        await settle(pilot)
        await _type(pilot, app, "conversation", f"#{ids['c0']}")
        assert _actions(app) == ["reply.queued", "conversation.assigned", "conversation.opened"]
        await pilot.press("c")
        await settle(pilot)
        await _type(pilot, app, "action", "conversation.*")
        assert _actions(app) == ["conversation.resolved", "conversation.flagged",
                                 "conversation.resolved", "conversation.escalated",
                                 "conversation.assigned", "conversation.opened"]
        await _type(pilot, app, "when", "2026-11-22..2026-11-24")
        assert _actions(app) == ["conversation.flagged", "conversation.resolved",
                                 "conversation.escalated"]
        screen = _screen(app)
        assert screen.filters.action == "conversation.*"
        assert "filtered · 3 events" in str(screen.query_one("#audit-title", Static).render())


async def test_an_unreadable_date_is_said_and_not_applied(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await _type(pilot, app, "when", "last tuesday")
        screen = _screen(app)
        title = screen.query_one("#audit-title", Static)
        assert title.has_class("-error")
        assert "Filter not applied: when: 'last tuesday' is not a date" in str(title.render())
        assert screen.query_one("#audit-when", Input).has_class("-unreadable")
        assert len(_actions(app)) == 10


async def test_enter_opens_the_conversation_of_the_event(sqlite_engine: Engine) -> None:
    ids = build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("enter")
        assert app.opened == [(ids["c9"], [ids["c9"], ids["c7"], ids["c4"], ids["c0"]])]
        await pilot.press("j", "j", "j")  # rules.reloaded: no conversation
        await pilot.pause()
        await pilot.press("enter")
        await pilot.pause()
        assert len(app.opened) == 1
        assert any("belongs to no conversation" in str(n.message) for n in app._notifications)


async def test_f_keeps_the_rows_conversation_and_the_screen_can_open_filtered(
        sqlite_engine: Engine) -> None:
    ids = build_store(sqlite_engine)
    app = _app(sqlite_engine, agent="marc", action="reply.queued")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        assert _actions(app) == ["reply.queued"]
        await pilot.press("c")  # every event again; the cursor stays on marc's reply on c4
        await settle(pilot)
        assert _screen(app).query_one("#audit-table", AuditTable).cursor_row == 5
        await pilot.press("f")
        await pilot.pause(0.5)
        await settle(pilot)
        assert _screen(app).filters.conversation_id == ids["c4"]
        assert _actions(app) == ["conversation.resolved", "reply.queued",
                                 "conversation.escalated"]


async def test_new_events_show_without_a_key_and_the_cursor_stays(sqlite_engine: Engine) -> None:
    ids = build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("j", "j")
        table = _screen(app).query_one("#audit-table", AuditTable)
        chosen = table.current
        with db.write(sqlite_engine) as conn:
            seed.event(conn, "conversation.claimed", when=seed.at("2026-11-26T11:59"),
                       actor="sofiane", conversation_id=ids["c3"])
        await pilot.pause(2.5)
        await settle(pilot)
        assert _actions(app)[0] == "conversation.claimed"
        assert table.current == chosen and table.cursor_row == 3


async def test_hostile_details_stay_inert(sqlite_engine: Engine) -> None:
    build_store(sqlite_engine)
    app = _app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        await _type(pilot, app, "action", "conversation.flagged")
        table = _screen(app).query_one("#audit-table", AuditTable)
        cell = table.get_row_at(0)[4]
        assert isinstance(cell, Text) and not cell.spans and not cell.style
        assert cell.plain.startswith("reason=[@click=app.quit]x[/] [b]bold[/b] [/x] ")
        assert "\x1b" not in cell.plain and "\u202e" not in cell.plain
        detail = str(_screen(app).query_one("#audit-detail", AuditDetail).render())
        assert "reason: [@click=app.quit]x[/] [b]bold[/b]" in detail and "\x1b" not in detail
        await pilot.click("#audit-detail")
        await pilot.click("#audit-table", offset=(70, 1))
        await pilot.pause()
        assert app.is_running and isinstance(app.screen, AuditScreen)
