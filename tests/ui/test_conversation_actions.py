"""The action keys: escalate, resolve and go to the next, note, tag, hide, delete, ban, snooze."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.widgets import Input, TextArea

from screens.conversation_screen import ConversationScreen
from tests.thread_factory import conversation, messages
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import audit


def actions(engine: Engine, conv: int) -> list[str]:
    return [e.action for e in audit.list_events(engine, conversation_id=conv)
            if not e.action.startswith("conversation.claimed")]


async def test_escalate_with_a_role_and_a_reason(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("e")
        await settle(pilot, app)
        await pilot.press("enter")  # no reason yet: refused, the dialog stays
        await pilot.press("down")  # senior -> supervisor
        app.screen.query_one("#escalate-reason", Input).insert_text_at_cursor("wants a lawyer")
        await pilot.press("enter")
        await settle(pilot, app)
        assert screen.view is not None and screen.view.escalation.escalated
        assert (screen.view.escalation.role, screen.view.escalation.reason) == (
            "supervisor", "wants a lawyer")
    assert "conversation.escalated" in actions(sqlite_engine, inbox.comment)


async def test_resolve_opens_the_next_open_conversation(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("x")
        await settle(pilot, app)
        await pilot.press("down", "enter")  # info-given
        await settle(pilot, app)
        assert screen.conversation_id == inbox.dm and screen.view is not None
        assert screen.view.id == inbox.dm and screen.view.claim.mine
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        await pilot.press("x", "enter")
        await settle(pilot, app)
        await pilot.pause(0.1)
        assert not isinstance(app.screen, ConversationScreen)  # none left: back to the queue
    row = conversation(sqlite_engine, inbox.comment)
    assert (row.status, row.resolution_code) == ("resolved", "info-given")
    assert conversation(sqlite_engine, inbox.hostile).resolution_code == "answered"


async def test_note_tag_hide_delete_and_ban(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine, agent="claire")  # deleting and banning: a senior's rights
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("n")
        app.screen.query_one(TextArea).insert("Called the carrier: parcel lost.")
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        await pilot.press("t")
        app.screen.query_one(Input).insert_text_at_cursor("Lost Parcel")
        await pilot.press("enter")
        await settle(pilot, app)
        await pilot.press("h")  # the newest customer message
        await settle(pilot, app)
        await pilot.press("k", "D")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        await pilot.press("b", "n")  # asked, declined
        await settle(pilot, app)
        await pilot.press("b", "y")
        await settle(pilot, app)
        view = screen.view
        assert view is not None and view.contact is not None and view.contact.banned
        assert [n.text for n in view.notes] == ["Called the carrier: parcel lost."]
        assert view.tags == ("lost-parcel",)
    first, second = messages(sqlite_engine, inbox.comment)
    assert (first.deleted, second.hidden) == (True, True)
    assert actions(sqlite_engine, inbox.comment) == [
        "note.added", "conversation.tagged", "message.hidden", "message.deleted",
        "contact.banned"]


async def test_snooze_until_the_customer_replies(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conversation(pilot, app, inbox.comment)
        await pilot.press("s", "enter")
        await settle(pilot, app)
    row = conversation(sqlite_engine, inbox.comment)
    assert (row.status, row.snoozed_until) == ("snoozed", None)
