"""A draft survives leaving the composer, leaving the screen and restarting the app."""

from __future__ import annotations

from sqlalchemy import Engine, select
from textual.widgets import TextArea

from screens.modals.template_picker_modal import TemplatePickerModal
from screens.widgets.composer import Composer
from screens.widgets.slot_input import SlotInput
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import db
from workstation.models import Outbox
from workstation.services.drafts import load_draft


async def test_a_template_draft_is_kept_across_a_restart(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_conversation(pilot, app, inbox.comment)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press("enter")
        await settle(pilot, app)
        first_name = app.screen.query_one("#slot-first_name", SlotInput)
        first_name.value = ""
        first_name.insert_text_at_cursor("Léa-Rose")
        await settle(pilot, app)
        await pilot.press("escape", "escape")  # leave the composer, then the screen
        await settle(pilot, app)
    saved = load_draft(sqlite_engine, inbox.comment, "julie")
    assert saved is not None
    assert (saved.template_id, saved.values) == ("where-is-my-order", {"first_name": "Léa-Rose"})

    restarted = make_app(sqlite_engine)
    async with restarted.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, restarted, inbox.comment)
        assert screen.view is not None and screen.view.draft == saved
        await pilot.press("r")
        await settle(pilot, restarted)
        assert not isinstance(restarted.screen, TemplatePickerModal)
        composer = screen.query_one(Composer)
        assert composer.preview is not None and "Léa-Rose" in composer.preview.draft.text
        assert dict(composer.state.choices) == dict(saved.choices)
        await pilot.press("ctrl+s")
        await settle(pilot, restarted)
    table = Outbox.__table__  # type: ignore[attr-defined]
    with db.read(sqlite_engine) as conn:
        keys = list(conn.execute(select(table.c.idempotency_key)).scalars())
    assert keys == [saved.idempotency_key]
    assert load_draft(sqlite_engine, inbox.comment, "julie") is None


async def test_a_freehand_draft_comes_back_in_the_composer(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.dm, inbox.ids)
        await pilot.press("m")
        await settle(pilot, app)
        await pilot.press("escape")
        screen.query_one("#composer-text", TextArea).insert("Bonjour Camille, je regarde ça")
        await settle(pilot, app)
        await pilot.press("escape")
        await pilot.press("right_square_bracket")  # away and back
        await settle(pilot, app)
        await pilot.press("left_square_bracket")
        await settle(pilot, app)
        await pilot.press("m")
        await settle(pilot, app)
        area = screen.query_one("#composer-text", TextArea)
        assert area.text == "Bonjour Camille, je regarde ça" and area.has_focus
