"""A customer talking to the bot through ingest, on each engine, with a frozen clock.

After each message the workers' `flows` job runs, as `workstation sync` does every second:
ingest only asks for a flow, the job greets.
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.factories import event, jsonl
from workstation import audit, db
from workstation.clock import FrozenClock, iso
from workstation.ingest import Ingestor
from workstation.models import Conversation, Lead, Message, Outbox, QualifierState, Reminder
from workstation.workers import jobs

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)  # a Monday, office hours in Paris


class Chat:
    """One customer: a comment under a post, then private messages, as ingest sees them."""

    def __init__(self, engine: Engine, clock: FrozenClock, author: str = "u-1",
                 platform: str = "instagram", name: str = "Léa Martin") -> None:
        self.engine = engine
        self.clock = clock
        self.author = {"id": author, "handle": "lea.m", "name": name, "followers": 120}
        self.platform = platform
        self.count = 0

    def send(self, text: str, kind: str = "dm", workers: bool = True, **fields: Any) -> None:
        """The customer writes (two minutes after the last message); then the workers' flows
        job runs, unless `workers` is False."""
        self.count += 1
        self.clock.advance(minutes=2)
        fields.setdefault("created_at", iso(self.clock()))
        line = event(f"{self.author['id']}-{self.count}", kind=kind, text=text,
                     platform=self.platform, author=self.author, **fields)
        Ingestor(self.engine, clock=self.clock).run(io.BytesIO(jsonl(line)))
        if workers:
            self.greet()

    def greet(self) -> str:
        """The workers' flows job: start the flows ingest asked for."""
        return jobs.flows(jobs.Context(self.engine, clock=self.clock))

    def comment(self, text: str, caption: str = "Our new roast", campaign: str = "noel-2026",
                workers: bool = True) -> None:
        """A comment under a post (the sales-lead rule's ground)."""
        self.send(text, kind="comment", workers=workers,
                  post={"id": "p1", "caption": caption, "campaign": campaign})

    def bot(self) -> list[str]:
        """What the bot said, oldest first."""
        return [m["text"] for m in self.rows(Message) if m["author_kind"] == "bot"]

    def rows(self, model: type) -> list[dict[str, Any]]:
        table = model.__table__  # type: ignore[attr-defined]
        with db.read(self.engine) as conn:
            return [dict(r) for r in conn.execute(select(table).order_by(table.c[
                "id" if "id" in table.c else "outbox_id"])).mappings()]

    def state(self) -> dict[str, Any]:
        (row,) = self.rows(QualifierState)
        return row

    def lead(self) -> dict[str, Any]:
        (row,) = self.rows(Lead)
        return row

    def actions(self) -> list[str]:
        return [e.action for e in audit.list_events(self.engine)]

    def conversation(self, conversation_id: int) -> dict[str, Any]:
        return next(c for c in self.rows(Conversation) if c["id"] == conversation_id)

    def outbox(self) -> list[dict[str, Any]]:
        return self.rows(Outbox)

    def reminders(self, kind: str = "lead") -> list[dict[str, Any]]:
        return [r for r in self.rows(Reminder) if r["kind"] == kind]


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def chat(engine: Engine, clock: FrozenClock) -> Chat:
    return Chat(engine, clock)
