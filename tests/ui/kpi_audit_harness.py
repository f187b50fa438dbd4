"""A small store and a host app for the KPI panel's and the audit trail's Pilot tests.

The host app has what the screens ask of the real one (`engine`, `agent`, `clock`,
`open_conversation`) and nothing else, so these tests and snapshots depend on no other screen;
`tests/ui/test_kpi_audit_app.py` drives the same screens through the real app.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine
from textual.app import App
from textual.pilot import Pilot
from textual.screen import Screen

import screens
from tests import seed
from tests.core.test_kpi import POLICIES
from tests.seed import at
from workstation import db, kpi_config, paths
from workstation.clock import FrozenClock
from workstation.services.kpi_panel import KpiPanel

NOW = at("2026-11-26T12:00")
HOSTILE = "[@click=app.quit]x[/] [b]bold[/b] [/x] \x1b[31mred\x1b]52;c;ZXZpbA==\x07 \u202egnp.exe"
"""Markup, an @click action, ANSI and OSC 52 escapes and a bidi override, all at once."""


class Host(App[None]):
    """The app as the screens see it: a store, an agent, a clock, a way to open threads."""

    CSS_PATH = str(Path(screens.__file__).parent / "app.tcss")

    def __init__(self, engine: Engine, make_screen: Callable[[], Screen[None]]) -> None:
        super().__init__()
        self.engine = engine
        self.agent = "julie"
        self.clock = FrozenClock(NOW)
        self.opened: list[tuple[int, list[int]]] = []
        """Conversations asked to be opened, with their siblings."""
        self._make_screen = make_screen

    def on_mount(self) -> None:
        self.push_screen(self._make_screen())

    def open_conversation(self, conversation_id: int, siblings: list[int] | None = None) -> None:
        self.opened.append((conversation_id, siblings or [conversation_id]))


def build_store(engine: Engine) -> dict[str, int]:
    """Agents, twelve conversations over a week on three platforms, and their audit trail."""
    ids: dict[str, int] = {}
    with db.write(engine) as conn:
        for name in ("julie", "marc", "sofiane"):
            # julie reads everyone's trail: a supervisor's right.
            seed.agent(conn, name, role="supervisor" if name == "julie" else "agent")
        platforms = ("instagram", "facebook", "x")
        for n in range(12):
            start = at("2026-11-20T08:00") + timedelta(hours=13 * n)
            minutes = (12, 45, 95, 150, 20, 300)[n % 6]
            reply = start + timedelta(minutes=minutes) if n % 5 else None
            ids[f"c{n}"] = seed.conversation(
                conn, platform=platforms[n % 3], start=start, reply=reply,
                due=start + timedelta(hours=2), escalated=n % 4 == 0,
                csat=(5, 4, 2)[n % 3] if n % 2 else None, sentiment=(0.6, -0.3, 0.1)[n % 3],
                resolved_at=start + timedelta(hours=6) if n % 2 else None,
            )
        seed.lead(conn, ids["c1"], stage="customer")
        seed.lead(conn, ids["c4"])
        trail = [
            ("conversation.opened", "ingest", "c0", "2026-11-20T08:00", {"platform": "instagram"}),
            ("conversation.assigned", "triage", "c0", "2026-11-20T08:00", {"agent": "julie"}),
            ("reply.queued", "julie", "c0", "2026-11-20T08:12", {"template": "thanks-praise"}),
            ("conversation.escalated", "triage", "c4", "2026-11-22T12:00",
             {"role": "senior", "reason": "angry customer"}),
            ("reply.queued", "marc", "c4", "2026-11-22T12:20", {"template": "complaint"}),
            ("conversation.resolved", "marc", "c4", "2026-11-22T18:00", {"code": "refunded"}),
            ("rules.reloaded", "system", None, "2026-11-24T09:00", {"file": "rules.toml"}),
            ("conversation.flagged", "triage", "c7", "2026-11-24T05:00", {"reason": HOSTILE}),
            ("reply.queued", "sofiane", "c9", "2026-11-25T05:10", {"template": "warranty"}),
            ("conversation.resolved", "julie", "c9", "2026-11-25T11:00", {"code": "replaced"}),
        ]
        for action, actor, conv, when, details in trail:
            seed.event(conn, action, when=at(when), actor=actor,
                       conversation_id=ids[conv] if conv else None, **details)
    return ids


def panel(engine: Engine, book_path: Path | None = None) -> KpiPanel:
    """The KPI panel on the test store: shipped kpis.toml, the test's SLA policies."""
    book = kpi_config.load(book_path or paths.shipped("kpis.toml"))
    return KpiPanel(engine, clock=FrozenClock(NOW), book=book, policies=POLICIES)


async def settle(pilot: Pilot[None], rounds: int = 3) -> None:
    """Let workers finish and their results repaint, a few times over."""
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
