"""R on a customer message: the new-rule dialog, its preview, saving, and the refusal."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine
from textual.widgets import Checkbox, Input, Static

from screens.conversation_screen import ConversationScreen
from screens.modals.rule_modal import RuleModal
from tests.thread_factory import add_thread
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import audit
from workstation.rules import LiveRules



def text_of(modal: RuleModal, selector: str) -> str:
    return str(modal.query_one(selector, Static).content)


async def test_a_supervisor_turns_a_message_into_a_rule(sqlite_engine: Engine,
                                                        rules_file: Path) -> None:
    inbox = build_inbox(sqlite_engine)
    add_thread(sqlite_engine, texts=("Where is my order? It was due Monday",))
    app = make_app(sqlite_engine, agent="helene")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("k")  # the question, not the follow-up
        await pilot.press("R")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, RuleModal)
        words = modal.query_one("#rule-words", Input)
        assert words.value  # a phrase of the message, suggested
        words.value = "where is my order"
        modal.query_one("#rule-name", Input).value = "wismo"
        modal.query_one("#rule-tag", Input).value = "wismo"
        modal.query_one("#rule-kind", Checkbox).value = True
        await pilot.pause(0.4)
        await settle(pilot, app)
        preview = text_of(modal, "#rule-preview")
        assert "Matches 2 of the last 6 customer messages; would run on 2" in preview
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert isinstance(app.screen, ConversationScreen) and app.screen is screen
    rule = LiveRules(rules_file).current().rules[-1]
    assert rule.name == "wismo" and rule.when.kind == frozenset({"comment"})
    assert [a.do for a in rule.actions] == ["tag"]
    assert f"from conversation #{inbox.comment}" in rules_file.read_text()
    (event,) = audit.list_events(sqlite_engine, action="rules.rule_added")
    assert event.actor == "helene" and event.details["name"] == "wismo"


async def test_a_rule_that_fails_the_checks_stays_in_the_dialog(sqlite_engine: Engine,
                                                               rules_file: Path) -> None:
    inbox = build_inbox(sqlite_engine)
    old = rules_file.read_bytes()
    app = make_app(sqlite_engine, agent="helene")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("R")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, RuleModal)
        modal.query_one("#rule-name", Input).value = "sales-lead"  # taken
        await pilot.press("ctrl+s")
        await settle(pilot, app)
        assert app.screen is modal
        assert "two rules are named 'sales-lead'" in text_of(modal, "#rule-status")
        await pilot.press("escape")
        await settle(pilot, app)
        assert not isinstance(app.screen, RuleModal)
    assert rules_file.read_bytes() == old


async def test_an_agent_is_told_which_role_it_needs(sqlite_engine: Engine,
                                                   rules_file: Path) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine, agent="julie")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("R")
        await settle(pilot, app)
        assert not isinstance(app.screen, RuleModal)
        notes = [str(n.message) for n in app._notifications]
        assert any(n == "New rule: edit rules needs the supervisor role; 'julie' is agent"
                   for n in notes), notes
    assert [e.details["action"] for e in audit.list_events(
        sqlite_engine, action="permission.denied")] == ["edit_rules"]


async def test_hostile_text_is_shown_inert(sqlite_engine: Engine, rules_file: Path) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine, agent="helene")
    async with app.run_test(size=(100, 30)) as pilot:
        await open_conversation(pilot, app, inbox.hostile, inbox.ids)
        await pilot.press("k")
        await pilot.press("R")
        await settle(pilot, app)
        modal = app.screen
        assert isinstance(modal, RuleModal)
        shown = text_of(modal, "#rule-message")
        assert "[@click=app.quit]" in shown or "[/]" in shown  # as text, not as markup
        assert "\x1b" not in shown and "\u202e" not in shown  # control characters made visible
