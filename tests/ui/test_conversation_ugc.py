"""UGC rights in a conversation: the side panel says where they stand, `u` records an answer."""

from __future__ import annotations

import time
from collections.abc import Callable

import pytest
from sqlalchemy import Engine
from textual.pilot import Pilot
from textual.widgets import Input

from screens.modals.ugc_modal import UgcModal
from screens.widgets.conversation_side_panel import ConversationSidePanel
from tests.thread_factory import NOW
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import audit, db
from workstation.services import ugc_rights

CREATOR = "[b]lea.photo[/b]"
"""Markup in the creator's handle must show as typed."""


def ask(engine: Engine, conversation_id: int) -> int:
    with db.write(engine) as conn:
        return ugc_rights.request_conn(
            conn, conversation_id, None,
            ugc_rights.Origin("instagram", "comment", "c-1", creator=CREATOR,
                              media=({"type": "image", "id": "m1", "url": "https://x.test/1"},)),
            now=NOW)


def panel_text(app: object) -> str:
    return str(app.screen.query_one(ConversationSidePanel)._shown[0])  # type: ignore[attr-defined]


def ugc_actions(engine: Engine, conv: int) -> list[tuple[str, str]]:
    return [(e.action, e.actor) for e in audit.list_events(engine, conversation_id=conv)
            if e.action.startswith("ugc.")]


async def test_grant_with_a_credit_then_revoke(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    right = ask(sqlite_engine, inbox.comment)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        assert "UGC requested" in panel_text(app) and "1 image shared" in panel_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert isinstance(app.screen, UgcModal)
        field = app.screen.query_one("#ugc-text", Input)
        assert field.value == CREATOR  # their handle, as the request found it
        field.value = ""
        field.insert_text_at_cursor("Léa M. Photo")
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.view is not None and screen.view.ugc is not None
        assert (screen.view.ugc.status, screen.view.ugc.credit) == ("granted", "Léa M. Photo")
        assert "UGC granted until" in panel_text(app) and "credit Léa M. Photo" in panel_text(app)

        await pilot.press("u")
        await settle(pilot, app)
        app.screen.query_one("#ugc-text", Input).insert_text_at_cursor("asked by phone")
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.view.ugc.status == "revoked"
        assert "take the content down" in panel_text(app)

        await pilot.press("u")  # revoked is final: told, no dialog
        await settle(pilot, app)
        assert not isinstance(app.screen, UgcModal)
    assert ugc_actions(sqlite_engine, inbox.comment) == [
        ("ugc.requested", "bot"), ("ugc.granted", "julie"), ("ugc.revoked", "julie")]
    assert ugc_rights.get(sqlite_engine, right).credit == "Léa M. Photo"


async def test_refuse_a_request(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    ask(sqlite_engine, inbox.comment)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.press("down", "enter")  # refuse: nothing to type
        await settle(pilot, app)
        assert screen.view is not None and screen.view.ugc is not None
        assert screen.view.ugc.status == "refused"
    assert ugc_actions(sqlite_engine, inbox.comment)[-1] == ("ugc.refused", "julie")


async def test_no_request_no_dialog_and_escape_changes_nothing(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    ask(sqlite_engine, inbox.comment)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conversation(pilot, app, inbox.dm)
        assert "UGC" not in panel_text(app)
        await pilot.press("u")
        await settle(pilot, app)
        assert not isinstance(app.screen, UgcModal)
        await open_conversation(pilot, app, inbox.comment)
        await pilot.press("u")
        await settle(pilot, app)
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, UgcModal)
    assert ugc_actions(sqlite_engine, inbox.comment) == [("ugc.requested", "bot")]


def test_dialog_snapshot(snap_compare: Callable[..., bool], sqlite_engine: Engine,
                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TZ", "UTC")  # times on screen are local
    time.tzset()
    inbox = build_inbox(sqlite_engine)
    ask(sqlite_engine, inbox.comment)

    async def run_before(pilot: Pilot[None]) -> None:
        app = pilot.app
        await open_conversation(pilot, app, inbox.comment)  # type: ignore[arg-type]
        await pilot.press("u")
        await settle(pilot, app)  # type: ignore[arg-type]

    try:
        assert snap_compare(make_app(sqlite_engine), terminal_size=(100, 30),
                            run_before=run_before)
    finally:
        monkeypatch.undo()
        time.tzset()
