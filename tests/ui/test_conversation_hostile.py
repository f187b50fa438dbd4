"""Hostile text (markup, links, actions, escapes, bidi overrides) shows as itself, inert."""

from __future__ import annotations

from sqlalchemy import Engine
from textual.content import Content
from textual.widgets import Static

from screens.conversation_screen import ConversationScreen
from screens.widgets.composer import Composer
from screens.widgets.conversation_header import ConversationHeader
from screens.widgets.thread_view import ThreadView
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation.services import conversations as cs

_LIVE = ("\x1b", "\u202e", "\x07", "\x9b")


def contents(screen: ConversationScreen) -> list[Content]:
    """Every piece of text the screen shows, as the Content it renders."""
    shown: list[Content] = [screen.query_one(ConversationHeader).render()]  # type: ignore[list-item]
    shown += [s.render() for s in screen.query(Static)]  # type: ignore[misc]
    thread = screen.query_one(ThreadView)
    shown += [option.prompt for option in thread.options]  # type: ignore[misc]
    return [c for c in shown if isinstance(c, Content)]


def assert_inert(shown: list[Content]) -> None:
    for content in shown:
        assert not any(ch in content.plain for ch in _LIVE), content.plain
        for span in content.spans:
            style = str(span.style)
            assert "@click" not in style and "link" not in style, style


async def test_hostile_author_post_messages_tags_and_notes_stay_text(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine, agent="claire")  # banning is a senior's right
    cs.note(sqlite_engine, inbox.hostile, "[@click=app.quit]note[/] \x1b]52;c;eA==\x07",
            actor="tom", clock=app.clock)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.hostile)
        shown = contents(screen)
        assert_inert(shown)
        text = "\n".join(c.plain for c in shown)
        assert "[@click=app.quit]x[/]" in text
        assert "[link=file:///etc]y[/link]" in text
        assert "[unbalanced" in text and "[TODO]" in text and "[0]" in text
        assert "[@click=app.quit]note[/]" in text
        await pilot.click(ThreadView)
        await pilot.press("b", "y")  # the toast names the author: still inert
        await settle(pilot, app)
        assert app.is_running and isinstance(app.screen, ConversationScreen)
        assert any("[b]x" in str(n.message) for n in app._notifications)


async def test_a_hostile_name_fills_a_slot_literally(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await open_conversation(pilot, app, inbox.hostile)
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press(*"complaint")
        await pilot.press("enter")
        await settle(pilot, app)
        composer = screen.query_one(Composer)
        assert composer.preview is not None
        assert "[@click=app.quit]x[/]" in composer.preview.draft.text
        assert_inert(contents(screen))
        assert app.is_running
