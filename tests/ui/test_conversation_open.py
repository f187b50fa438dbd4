"""Opening a conversation: thread and side panel, the claim, moving between siblings, back."""

from __future__ import annotations

import time

from sqlalchemy import Engine

from screens.conversation_screen import ConversationScreen
from screens.widgets.thread_view import ThreadView
from tests.thread_factory import conversation
from tests.ui.conversation_harness import build_inbox, make_app, open_conversation, settle
from workstation import audit
from workstation.services import conversations as cs


async def test_open_shows_the_thread_and_claims_it(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment, inbox.ids)
        view = screen.view
        assert view is not None
        assert [m.text for m in view.messages] == [
            "Where is my order? Ordered the Moulin M2 last week", "Still nothing today…"]
        assert view.post is not None and view.claim.mine
        thread = screen.query_one(ThreadView)
        assert thread.selected is not None and thread.selected.text == "Still nothing today…"
        assert thread.selected.depth == 1
        await pilot.press("k")
        assert thread.selected is not None and thread.selected.depth == 0
        row = conversation(sqlite_engine, inbox.comment)
        assert row.claimed_by is not None and row.claim_expires_at > app.clock()


async def test_an_agent_cannot_take_over_and_is_told_why(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    cs.claim(sqlite_engine, inbox.comment, actor="tom", clock=make_app(sqlite_engine).clock)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert screen.view is not None and screen.view.claim.holder == "tom"
        assert any("take over needs the senior role; 'julie' is agent" in str(n.message)
                   for n in app._notifications)
    denied = audit.list_events(sqlite_engine, action="permission.denied")
    assert [(e.actor, e.details["action"]) for e in denied] == [("julie", "take_over")]


async def test_another_agent_sees_who_is_viewing(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    cs.claim(sqlite_engine, inbox.comment, actor="tom", clock=make_app(sqlite_engine).clock)
    app = make_app(sqlite_engine, agent="claire")  # taking over is a senior's right
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        assert screen.view is not None
        assert (screen.view.claim.holder, screen.view.claim.mine) == ("tom", False)
        await pilot.press("c")
        await settle(pilot, app)
        await pilot.press("y")
        await settle(pilot, app)
        assert screen.view.claim.mine
    actions = [e.action for e in audit.list_events(sqlite_engine, conversation_id=inbox.comment)]
    assert actions[-1] == "conversation.taken_over"


async def test_brackets_move_through_the_view_and_esc_goes_back(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("right_square_bracket")
        await settle(pilot, app)
        assert screen.view is not None and screen.view.id == inbox.dm
        assert conversation(sqlite_engine, inbox.comment).claimed_by is None
        await pilot.press("left_square_bracket", "left_square_bracket")
        await settle(pilot, app)
        assert screen.view.id == inbox.hostile
        await pilot.press("escape")
        await pilot.pause(0.1)
        await settle(pilot, app)
        assert not isinstance(app.screen, ConversationScreen)
    assert conversation(sqlite_engine, inbox.hostile).claimed_by is None


async def test_opening_again_shows_only_the_new_conversation(sqlite_engine: Engine) -> None:
    # The conversation screen is kept between opens: nothing of the last one may show, and
    # the claim it released must not be renewed by it once it is hidden.
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        first = await open_conversation(pilot, app, inbox.comment, inbox.ids)
        await pilot.press("escape")
        await pilot.pause(0.1)
        await settle(pilot, app)
        assert not isinstance(app.screen, ConversationScreen)
        app.open_conversation(inbox.dm, inbox.ids)
        assert app.screen is not first  # pushed once its conversation is read
        await pilot.pause(0.1)
        await settle(pilot, app)
        second = app.screen
        assert second is first
        assert second.view is not None and second.view.id == inbox.dm
        thread = second.query_one(ThreadView)
        assert thread.selected is not None
        assert thread.selected.text.startswith("Bonjour, je voudrais être remboursée")
        assert [m.text for m in thread._messages] == [m.text for m in second.view.messages]
        first._renewed_at -= 3600  # due for renewal: the hidden one had to stay put
        await pilot.press("escape")
        await pilot.pause(2.3)
        await settle(pilot, app)
    assert conversation(sqlite_engine, inbox.comment).claimed_by is None
    assert conversation(sqlite_engine, inbox.dm).claimed_by is None


async def test_the_kept_screen_takes_a_theme_chosen_while_it_was_hidden(
        sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        await pilot.press("escape")
        await pilot.pause(0.1)
        await settle(pilot, app)
        app.theme = "nord"
        await pilot.pause(0.1)
        app.open_conversation(inbox.dm)
        await pilot.pause(0.2)
        await settle(pilot, app)
        assert app.screen is screen
        assert screen.styles.background == app.current_theme.to_color_system().surface


async def test_a_change_by_someone_else_shows_without_a_key(sqlite_engine: Engine) -> None:
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await open_conversation(pilot, app, inbox.comment)
        cs.note(sqlite_engine, inbox.comment, "customer called the shop", actor="tom",
                clock=app.clock)
        await pilot.pause(2.3)
        await settle(pilot, app)
        assert screen.view is not None
        assert [n.text for n in screen.view.notes] == ["customer called the shop"]


async def test_the_side_panel_shows_the_lead_its_crm_sync_and_codes(sqlite_engine: Engine) -> None:
    from sqlalchemy import update

    from screens.widgets.conversation_side_panel import ConversationSidePanel
    from tests import seed
    from workstation import db
    from workstation.models import Lead

    inbox = build_inbox(sqlite_engine)
    with db.write(sqlite_engine) as conn:
        seed.lead(conn, inbox.dm, stage="hot")
        conn.execute(update(Lead.__table__).values(  # type: ignore[attr-defined]
            value=349.0, crm_state="synced", crm_id="hs-77", promo_codes=" [b]LUMEN10 ",
            answers={"use_case": "gift", "timing": {"date": "2026-12-07", "urgent": True},
                     "contact": {"email": "lea@example.com", "phone": "+33612345678"}}))
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_conversation(pilot, app, inbox.dm)
        shown = str(app.screen.query_one(ConversationSidePanel).query_one("Static").render())
    assert "Lead hot · 349 €" in shown
    assert "CRM synced #hs-77" in shown
    assert "codes [b]LUMEN10" in shown  # a code from a customer's text stays inert
    assert "use_case gift" in shown and "timing 2026-12-07 (urgent)" in shown
    assert "contact lea@example.com · +33612345678" in shown


async def test_the_side_panel_redraws_what_changed_elsewhere(sqlite_engine: Engine) -> None:
    # A change that keeps the panel's height is repainted without a layout pass, one that
    # adds lines lays the panel out again: both must reach what is drawn.
    from textual.geometry import Region

    from screens.widgets.conversation_side_panel import ConversationSidePanel

    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(120, 40)) as pilot:
        await open_conversation(pilot, app, inbox.comment)
        body = app.screen.query_one(ConversationSidePanel).query_one("Static")

        def drawn() -> str:
            region = Region(0, 0, body.size.width, body.size.height)
            return "\n".join(strip.text for strip in body.render_lines(region))

        height = body.size.height
        assert "Viewing you" in drawn()
        await pilot.press("c")                    # release: nobody holds it, same height
        await settle(pilot, app)
        assert "Viewing nobody" in drawn() and body.size.height == height
        assert "late-reply" not in drawn()
        cs.tag(sqlite_engine, [inbox.comment], "late-reply", actor="tom", clock=app.clock)
        await pilot.pause(2.3)
        await settle(pilot, app)
        assert "late-reply" in drawn() and body.size.height == height
        cs.note(sqlite_engine, inbox.comment, "called the shop\nsecond line", actor="tom",
                clock=app.clock)
        await pilot.pause(2.3)
        await settle(pilot, app)
        assert body.size.height > height
        assert "called the shop" in drawn() and "second line" in drawn()


async def test_the_kept_screen_is_built_before_the_first_open(sqlite_engine: Engine) -> None:
    """Composing it cost the session's first `enter` a frame of over 100 ms: the app builds
    it, hidden, while the agent reads the queue, and the first open fills that one."""
    inbox = build_inbox(sqlite_engine)
    app = make_app(sqlite_engine)
    async with app.run_test(size=(80, 24)) as pilot:
        end = time.monotonic() + 10  # a bound, not a timing assertion
        started: set[str] = set()  # the thread workers seen while it is built
        while not (app._conversation_screen and app._conversation_screen.is_mounted) \
                and time.monotonic() < end:
            started.update(w.group for w in app.workers)
            await pilot.pause(0.01)
        built = app._conversation_screen
        assert built is not None and built not in app.screen_stack
        assert built.is_mounted and built.query_one(ThreadView) is not None
        assert "conversation-load" not in started  # built ahead, it has nothing to read
        await settle(pilot, app)
        screen = await open_conversation(pilot, app, inbox.dm)
        assert screen is built and screen.view is not None and screen.view.id == inbox.dm
