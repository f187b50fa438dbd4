"""Replying from the conversation screen: a template, its slots and wordings, the guardrails."""

from __future__ import annotations

from sqlalchemy import Engine, select
from textual.widgets import TextArea

from screens.modals.template_picker_modal import TemplatePickerModal
from screens.widgets.composer import Composer
from screens.widgets.slot_input import SlotInput
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import db
from workstation.models import Outbox
from workstation.services import outbox as outbox_service
from workstation.services.drafts import load_draft


def outbox(engine: Engine) -> list[tuple[str, str, str]]:
    table = Outbox.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return [(r.channel, r.template_id, r.text) for r in conn.execute(
            select(table.c.channel, table.c.template_id, table.c.text).order_by(table.c.id))]


async def test_reply_with_the_suggested_template(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("r")
        await settle(pilot, app)
        picker = app.screen
        assert isinstance(picker, TemplatePickerModal)
        assert picker._shown[0].id == "where-is-my-order" and picker._shown[0].suggested
        await pilot.press("enter")
        await settle(pilot, app)
        composer = screen.query_one(Composer)
        assert composer.preview is not None and composer.preview.draft.sendable
        assert "Léa" in composer.preview.draft.text
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert not composer.is_open
        assert screen.view is not None
        reply = screen.view.messages[-1]
        assert (reply.author, reply.delivery, reply.channel) == ("julie", "queued", "public")
        assert screen.view.sla_due_at is None
    [(channel, template, text)] = outbox(sqlite_engine)
    assert (channel, template) == ("public", "where-is-my-order") and "Léa" in text
    assert load_draft(sqlite_engine, inbox.comment, "julie") is None


async def test_a_dm_template_with_a_slot_to_fill_and_a_rotated_part(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conversation(pilot, app, inbox.dm)
        await pilot.press("m")
        await settle(pilot, app)
        await pilot.press(*"order")
        await pilot.press("enter")
        await settle(pilot, app)
        composer = screen.query_one(Composer)
        assert composer.state.template_id == "order-status" and composer.state.lang == "fr"
        assert composer.preview is not None and composer.preview.empty_slots == ("order_no",)
        assert not composer.preview.draft.sendable
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert outbox(sqlite_engine) == [] and composer.is_open
        composer.query_one("#slot-first_name", SlotInput).focus()
        await pilot.press("tab")
        focused = app.screen.focused
        assert isinstance(focused, SlotInput) and focused.slot == "order_no"
        focused.insert_text_at_cursor("BL-10482")
        await settle(pilot, app)
        before = dict(composer.state.choices)
        await pilot.press("ctrl+r")
        await settle(pilot, app)
        changed = {k for k in before if before[k] != composer.state.choices[k]}
        assert len(changed) == 1
        assert composer.preview.draft.sendable and "BL-10482" in composer.preview.draft.text
        await pilot.press("ctrl+s")
        await settle(pilot, app)
    [(channel, template, text)] = outbox(sqlite_engine)
    assert (channel, template) == ("dm", "order-status") and "BL-10482" in text


async def test_a_guardrail_blocks_sending_with_the_reason(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("escape")  # no template: write freely
        await settle(pilot, app)
        composer = screen.query_one(Composer)
        area = composer.query_one("#composer-text", TextArea)
        assert area.has_focus
        area.insert("Sorry! Send us your card number 4111 1111 1111 1111 and we'll check.")
        await settle(pilot, app)
        assert composer.preview is not None and not composer.preview.draft.sendable
        assert any("card" in r for r in composer.preview.draft.reasons)
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert composer.is_open
        assert any("Not sent" in str(n.message) for n in app._notifications)
    assert outbox(sqlite_engine) == []


async def test_a_reply_that_fails_to_send_shows_failed_in_its_thread(
        sqlite_engine: Engine) -> None:
    """The sender settles the row in another process after the composer closed: the thread
    shows it without a key press, as it does every other change."""
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        for key in ("r", "enter", "ctrl+s"):  # reply with the first suggested template
            await pilot.press(key)
            await settle(pilot, app)
        assert screen.view is not None and screen.view.messages[-1].delivery == "queued"
        [row] = outbox_service.claim(sqlite_engine, worker="sender", clock=app.clock)
        outbox_service.mark_failed(sqlite_engine, row.id, "meta: (#10) outside the window",
                                   retryable=False, clock=app.clock)
        await pilot.pause(2.3)
        await settle(pilot, app)
        reply = screen.view.messages[-1]
        assert (reply.delivery, reply.error) == ("failed", "meta: (#10) outside the window")
        assert screen.view.sla_due_at is not None  # the customer is owed a reply again
