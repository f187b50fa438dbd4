"""A small store and an app on it, for the conversation screen's Pilot and snapshot tests."""

from __future__ import annotations

import time
from dataclasses import dataclass

from sqlalchemy import Engine
from textual.pilot import Pilot

from screens.app import WorkstationApp
from screens.conversation_screen import ConversationScreen
from tests.thread_factory import HOSTILE, NOW, add_agents, add_thread
from workstation.clock import FrozenClock


@dataclass(frozen=True)
class Inbox:
    """The conversations of the test store, in the order of their view."""

    comment: int
    """An Instagram comment under a post: a question and a follow-up, about an order."""
    dm: int
    """A French DM about a refund, from a VIP."""
    hostile: int
    """A comment whose author, post and messages are all hostile text."""

    @property
    def ids(self) -> list[int]:
        return [self.comment, self.dm, self.hostile]


def build_inbox(engine: Engine) -> Inbox:
    """Agents and three open conversations, deterministic to the character."""
    add_agents(engine)
    comment = add_thread(
        engine, texts=("Where is my order? Ordered the Moulin M2 last week",
                       "Still nothing today…"),
        caption="Le Moulin M2 est arrivé ✨ 48 mm conical burrs.", intents=("shipping",))
    dm = add_thread(engine, kind="dm", lang="fr", name="Camille Roux", handle="camille.r",
                    followers=82_000, vip=True, intents=("refund",),
                    texts=("Bonjour, je voudrais être remboursée pour ma commande BL-10482",))
    hostile = add_thread(engine, name=HOSTILE, handle="[b]x", caption=HOSTILE,
                         texts=(HOSTILE, "[/] [TODO] \\[ [0] [link=\"file:///etc/passwd\"]x[/]"),
                         intents=("complaint",), tags=" [b]vip ")
    return Inbox(comment, dm, hostile)


def make_app(engine: Engine, *, agent: str = "julie") -> WorkstationApp:
    """The real app on the store, with the clock frozen at the test's now."""
    return WorkstationApp(engine, agent=agent, clock=FrozenClock(NOW))


async def settle(pilot: Pilot[None], app: WorkstationApp, rounds: int = 3) -> None:
    """Let workers finish and their results repaint, a few times over."""
    for _ in range(rounds):
        await app.workers.wait_for_complete()
        await pilot.pause()


async def open_conversation(pilot: Pilot[None], app: WorkstationApp, conversation_id: int,
                            siblings: list[int] | None = None) -> ConversationScreen:
    """Open a conversation as the queue does, and wait until it is shown."""
    await settle(pilot, app)
    app.open_conversation(conversation_id, siblings)
    await pilot.pause(0.1)
    await settle(pilot, app)
    # The screen pushes itself once its read is done: on a loaded machine that can take more
    # than the rounds above (a bound on a hung test, not a timing assertion).
    end = time.monotonic() + 10
    while not _shows(app, conversation_id) and time.monotonic() < end:
        await pilot.pause(0.05)
        await settle(pilot, app, rounds=1)
    screen = app.screen
    assert isinstance(screen, ConversationScreen)
    assert screen.view is not None and screen.view.id == conversation_id
    return screen


def _shows(app: WorkstationApp, conversation_id: int) -> bool:
    screen = app.screen
    return (isinstance(screen, ConversationScreen) and screen.view is not None
            and screen.view.id == conversation_id)
