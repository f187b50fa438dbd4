"""What the queue's Pilot tests share: a seeded store, the app on it, and waiting for it."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine
from textual.pilot import Pilot

from screens.app import WorkstationApp
from screens.queue_screen import QueueScreen
from screens.widgets.queue_list import QueueList
from tests.queue_factories import HOSTILE, NOW, agents, conversation
from workstation.clock import FrozenClock


def seed(engine: Engine, extra: int = 0) -> None:
    """Twelve open conversations across the views, the hostile texts among them, plus
    `extra` plain ones due later."""
    team = agents(engine)
    conversation(engine, 1, author="lea.martin", assignee_id=team["julie"],
                 messages=("where is my order?",), intents=" shipping ")
    conversation(engine, 2, kind="dm", platform="x", intents=" purchase ", priority=3,
                 messages=("how much for 3 bags?",))
    conversation(engine, 3, tags=" vip ", vip=True, escalated=True, role="senior",
                 messages=("second broken grinder",), sla_due_at=NOW - timedelta(minutes=20))
    conversation(engine, 4, moderation="hide", messages=("buy followers at spam.example",))
    for offset, text in enumerate(HOSTILE):
        ident = 5 + offset
        conversation(engine, ident, author=text, messages=(text,), intents=" question ")
    conversation(engine, 10, kind="mention", messages=("love the new roast",))
    conversation(engine, 11, claimed_by=team["tom"], claim_expires_at=NOW + timedelta(minutes=5),
                 messages=("tom is on it",))
    conversation(engine, 12, sla_due_at=None, messages=("thanks!",))
    for ident in range(13, 13 + extra):
        conversation(engine, ident, messages=(f"plain {ident}",))


def make_app(engine: Engine) -> WorkstationApp:
    return WorkstationApp(engine, agent="julie", clock=FrozenClock(NOW))


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Let keys, workers and the messages they post run to the end."""
    for _ in range(rounds):
        await pilot.pause()
        await pilot.app.workers.wait_for_complete()
    await pilot.pause()


def queue_of(app: WorkstationApp) -> tuple[QueueScreen, QueueList]:
    screen = app.screen
    assert isinstance(screen, QueueScreen)
    return screen, screen.query_one(QueueList)


async def all_open(pilot: Pilot[None], app: WorkstationApp) -> tuple[QueueScreen, QueueList]:
    """Switch to the "All open" view (key 9), wait for its rows, return the screen and list."""
    await pilot.press("9")
    await settle(pilot)
    return queue_of(app)


def row_ids(queue: QueueList) -> list[int]:
    """The ids of the rows read so far, in view order."""
    assert queue.window is not None
    return [queue.window.rows[i].id for i in sorted(queue.window.rows)]


def screen_text(queue: QueueList) -> str:
    """What the list draws on screen now, line by line."""
    return "\n".join(queue.render_line(y).text for y in range(queue.size.height))
