"""The hostile corpus on every screen (queue, conversation, composer, KPI, audit): nothing
crashes, every text shows as itself, nothing reaches the terminal as markup or a sequence."""

from __future__ import annotations

import html
import re
from datetime import UTC, datetime

from sqlalchemy import Engine

from screens.app import WorkstationApp
from screens.audit_screen import AuditScreen
from screens.kpi_screen import KpiScreen
from screens.widgets.composer import Composer
from tests import hostile_corpus as corpus
from tests.thread_factory import add_agents
from tests.ui.conversation_harness import open_conversation, settle
from tests.ui.test_conversation_hostile import assert_inert, contents
from workstation.clock import FrozenClock
from workstation.services import conversations as cs

NOW = datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
REASON = "[@click=app.quit]reason[/] \x1b]52;c;eA==\x07 {0.__class__}"


def drawn(app: WorkstationApp) -> str:
    """Every character the app would put on the terminal now, as text."""
    svg = app.export_screenshot()
    text = "".join(html.unescape(t) for t in re.findall(r">([^<>]*)</text>", svg))
    return text.replace("\xa0", " ")


def assert_nothing_live(app: WorkstationApp) -> str:
    shown = drawn(app)
    assert not any(ch in shown for ch in corpus.LIVE), [c for c in corpus.LIVE if c in shown]
    return shown


def store(engine: Engine) -> dict[str, int]:
    add_agents(engine)
    corpus.ingest(engine, clock=FrozenClock(NOW))
    ids = corpus.conversation_ids(engine)
    cs.escalate(engine, [ids["hostile-osc52-clipboard"]], "senior", REASON, actor="helene",
                clock=FrozenClock(NOW))
    return ids


async def test_the_queue_and_every_hostile_conversation(sqlite_engine: Engine) -> None:
    ids = store(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="helene", clock=FrozenClock(NOW))
    async with app.run_test(size=(160, 40)) as pilot:
        await pilot.press("9")
        await settle(pilot, app)
        shown = assert_nothing_live(app)
        assert "[@click=app.quit]x[/] click for a prize" in shown
        assert "[@click=app.qui" in shown and "{0.__class__}" in shown and "${x}" in shown
        for message, conversation in sorted(ids.items()):
            screen = await open_conversation(pilot, app, conversation, [conversation])
            assert_inert(contents(screen))
            assert_nothing_live(app)
            await pilot.press("escape")
            await settle(pilot, app)
        assert app.is_running


async def test_the_composer_fills_a_template_looking_name_literally(sqlite_engine: Engine) -> None:
    ids = store(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="helene", clock=FrozenClock(NOW))
    async with app.run_test(size=(120, 36)) as pilot:
        await open_conversation(pilot, app, ids["hostile-template-format"])
        await pilot.press("r")
        await settle(pilot, app)
        await pilot.press(*"complaint")
        await pilot.press("enter")
        await settle(pilot, app)
        composer = app.screen.query_one(Composer)
        assert composer.preview is not None
        assert "{0.__class__}" in composer.preview.draft.text
        assert "<class" not in composer.preview.draft.text
        assert "{0.__class__}" in assert_nothing_live(app)


async def test_the_kpi_and_audit_screens(sqlite_engine: Engine) -> None:
    store(sqlite_engine)
    app = WorkstationApp(sqlite_engine, agent="helene", clock=FrozenClock(NOW))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("K")
        await settle(pilot, app)
        assert isinstance(app.screen, KpiScreen)
        assert_nothing_live(app)
        await pilot.press("escape")
        await settle(pilot, app)
        await pilot.press("A")
        await settle(pilot, app)
        assert isinstance(app.screen, AuditScreen)
        shown = assert_nothing_live(app)
        assert "[@click=app.quit]reason[/]" in shown
        assert app.is_running


async def test_an_agent_reads_only_their_own_trail(sqlite_engine: Engine) -> None:
    ids = store(sqlite_engine)
    cs.tag(sqlite_engine, [ids["hostile-bidi"]], "mine", actor="julie", clock=FrozenClock(NOW))
    app = WorkstationApp(sqlite_engine, agent="julie", clock=FrozenClock(NOW))
    async with app.run_test(size=(160, 40)) as pilot:
        await settle(pilot, app)
        await pilot.press("A")
        await settle(pilot, app)
        shown = drawn(app)
        assert "conversation.tagged" in shown
        assert "conversation.escalated" not in shown  # helene's: not julie's to read
