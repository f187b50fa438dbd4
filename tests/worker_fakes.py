"""An in-memory platform behind the connector interface, and outbox rows to send, for the
workers' tests.

`FakeConnector` is a real implementation of `connectors.base.Connector` (no mocks): streams
of numbered events with a checkpoint, a thread of posts that `send` appends to and
`find_sent` reads, and a script of failures to play on the next calls.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from tests.thread_factory import NOW
from workstation import db
from workstation.connectors.base import Outgoing, Page
from workstation.models import Outbox


@dataclass
class Post:
    outbox_id: int
    channel: str
    text: str
    key: str
    external_id: str
    human_agent: bool


@dataclass
class FakeConnector:
    """A platform in memory; `faults` are played one per `send` call (None: succeed)."""

    name: str = "fake"
    platforms: tuple[str, ...] = ("instagram",)
    page_size: int = 3
    events: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    posted: list[Post] = field(default_factory=list)
    faults: list[Exception | None] = field(default_factory=list)
    poll_faults: dict[tuple[str, int], Exception] = field(default_factory=dict)
    """(stream, page number from 0) → raised instead of returning that page."""
    skipped: dict[tuple[str, int], list[str]] = field(default_factory=dict)
    post_then_fail: bool = False
    """The next faulty send posts before raising (a timeout after the platform took it)."""
    closed: bool = False
    calls: int = 0

    def streams(self) -> list[str]:
        return sorted(self.events) or [f"{self.platforms[0]}:comments"]

    def poll(self, stream: str, position: str) -> Iterator[Page]:
        after = int(position or 0)
        fresh = [e for e in self.events.get(stream, []) if int(e["id"].rsplit("-", 1)[1]) > after]
        for number, start in enumerate(range(0, len(fresh), self.page_size)):
            if (stream, number) in self.poll_faults:
                raise self.poll_faults.pop((stream, number))
            page = fresh[start:start + self.page_size]
            last = int(page[-1]["id"].rsplit("-", 1)[1])
            yield Page(events=page, position=str(last),
                       skipped=self.skipped.get((stream, number), []))

    def send(self, item: Outgoing) -> str:
        self.calls += 1
        fault = self.faults.pop(0) if self.faults else None
        if fault is not None and not self.post_then_fail:
            raise fault
        external = f"{self.name}-out-{len(self.posted) + 1}"
        self.posted.append(Post(item.outbox_id, item.channel, item.text, item.key, external,
                                item.human_agent))
        if fault is not None:
            raise fault
        return external

    def find_sent(self, item: Outgoing) -> str | None:
        found = next((p.external_id for p in self.posted if p.key == item.key), None)
        # An action creates nothing: done is '' (as the real connectors say it).
        return "" if found is not None and item.channel not in ("public", "dm") else found

    def close(self) -> None:
        self.closed = True

    def add_events(self, stream: str, count: int, *, first: int = 1, **fields: Any) -> None:
        platform = stream.split(":", 1)[0]
        for n in range(first, first + count):
            self.events.setdefault(stream, []).append({
                "platform": platform, "kind": "comment", "id": f"{platform}-{n}",
                "author": {"id": f"u-{n}", "handle": f"fan{n}", "name": f"Fan {n}"},
                "text": f"Hello, is the grinder number {n} still available?",
                "created_at": "2026-11-20T09:00:00Z", **fields,
            })


def queue_reply(engine: Engine, conversation_id: int, *, channel: str = "public",
                text: str = "Thanks, we are on it.", author_kind: str = "agent",
                reply_to: str = "m-1", key: str | None = None) -> int:
    """An outbox row ready to send (as `send_reply` leaves it, without the thread copy)."""
    with db.write(engine) as conn:
        table = Outbox.__table__  # type: ignore[attr-defined]
        return int(conn.execute(table.insert().returning(table.c.id), {
            "conversation_id": conversation_id, "reply_to_external_id": reply_to,
            "channel": channel, "text": text, "author_kind": author_kind, "agent_id": None,
            "idempotency_key": key or f"k-{conversation_id}-{text}-{channel}", "state": "queued",
            "attempts": 0, "last_error": "", "next_attempt_at": None, "external_id": "",
            "template_id": "", "created_at": NOW, "sent_at": None,
        }).scalar_one())


def outbox_row(engine: Engine, outbox_id: int) -> Any:
    table = Outbox.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return conn.execute(select(table).where(table.c.id == outbox_id)).one()
