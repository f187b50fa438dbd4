"""The poll job: new events from every connector's streams, into the store through ingest.

Each page a connector returns goes through the same path as `workstation ingest` (the
`Ingestor`, with the rules in force: triage, automation, routing, audit), then the stream's
checkpoint moves to the page's position, in a transaction that starts only once the events
are committed. A crash in between re-reads the page next time, and ingest drops what it
already has: the checkpoint never passes an event the store does not hold. Items a
connector could not read (`Page.skipped`) and events ingest rejects go to the dead-letter
table with the source `connector:stream`.

A stream that fails (platform down, unreadable page) is logged and left where it stands
until the next run; a connector that asks us to wait is not called again before then.

Streams are read in parallel threads (the platforms' answers take time), while what they
bring is written one page at a time (`_WRITING`): the store takes one writer anyway, and one
ingest at a time keeps the automation's per-batch reads consistent. Events the store already
has (platforms repeat the last second, or a thread's latest messages) are dropped before
triage reads their text.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select, tuple_, update

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.connectors.base import Connector, ConnectorError, Page, RateLimited
from workstation.ingest import Ingestor
from workstation.models import DeadLetter, Message, SyncCursor
from workstation.pipeline import Pipeline
from workstation.text import inert

_CURSOR = SyncCursor.__table__  # type: ignore[attr-defined]
_K = _CURSOR.c
_DEAD = DeadLetter.__table__  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
THREADS = 4
"""Streams read at once."""
_WRITING = threading.Lock()
WRITE_BATCH = 25
"""Events per write transaction: a page of a busy platform in one transaction held the store's
write lock for seconds, past the busy timeout of an agent's action in the TUI; 100 events
still held it 0.1-0.5 s (1.2 s at worst) while sync took 100 messages a second, and an
agent's claim waits for the gap between two of them."""


def _always() -> bool:
    return True


@dataclass
class PollReport:
    """What a run of the poller did."""

    pages: int = 0
    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    skipped: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        """'ingested 40, duplicates 2' (only what happened, errors counted), '' for nothing."""
        parts = [f"{name} {value}" for name, value in (
            ("ingested", self.ingested), ("duplicates", self.duplicates),
            ("rejected", self.rejected), ("skipped", self.skipped),
            ("errors", len(self.errors))) if value]
        return ", ".join(parts)


@dataclass
class PollState:
    """What the poller remembers between runs: connectors that asked it to wait."""

    blocked_until: dict[str, datetime] = field(default_factory=dict)


def position(engine: Engine, connector: str, stream: str) -> str:
    """A stream's checkpoint ('' before its first page)."""
    with db.read(engine) as conn:
        value = conn.execute(select(_K.position).where(
            _K.connector == connector, _K.stream == stream)).scalar_one_or_none()
    return value or ""


def poll_connectors(
    engine: Engine, connectors: Sequence[Connector], *, pipeline: Callable[[], Pipeline],
    clock: Clock = utcnow, guard: Callable[[], bool] = _always,
    state: PollState | None = None, log: Callable[[str], None] | None = None,
    threads: int = THREADS,
) -> PollReport:
    """Read every stream of every connector up to now (safe to run twice).

    Args:
        engine: the store.
        connectors: the configured connectors.
        pipeline: the triage pipeline in force (called once per run).
        clock: the current time.
        guard: false once this process may no longer work; checked between pages.
        state: remembered between runs (rate limits); a fresh one when None.
        log: where one-line notes go (failed streams, rejected events).
        threads: streams read at once.
    """
    report = PollReport()
    state = state or PollState()
    now = clock()
    ready = [c for c in connectors
             if state.blocked_until.get(c.name) is None or now >= state.blocked_until[c.name]]
    tasks = [(connector, stream) for connector in ready for stream in connector.streams()]
    if not tasks:
        return report
    run = _Run(engine, pipeline(), clock, guard, report, state, log)
    with ThreadPoolExecutor(max(1, min(threads, len(tasks))),
                            thread_name_prefix="poll") as pool:
        for _ in pool.map(lambda task: run.stream(*task), tasks):
            pass
    return report


@dataclass
class _Run:
    engine: Engine
    triage: Pipeline
    clock: Clock
    guard: Callable[[], bool]
    report: PollReport
    state: PollState
    log: Callable[[str], None] | None
    lock: threading.Lock = field(default_factory=threading.Lock)
    """Guards the report and the state, which every stream's thread updates."""

    def stream(self, connector: Connector, stream: str) -> None:
        blocked = self.state.blocked_until.get(connector.name)
        if not self.guard() or (blocked is not None and self.clock() < blocked):
            return
        try:
            self._read(connector, stream)
        except RateLimited as exc:
            with self.lock:
                self.state.blocked_until[connector.name] = self.clock() + timedelta(
                    seconds=max(exc.retry_after, 0.0))
            self._error(connector, stream, f"rate limited for {exc.retry_after:.0f}s")
        except ConnectorError as exc:
            self._error(connector, stream, str(exc) or type(exc).__name__)

    def _read(self, connector: Connector, stream: str) -> None:
        source = f"{connector.name}:{stream}"
        for page in connector.poll(stream, position(self.engine, connector.name, stream)):
            if not self.guard():
                return
            with _WRITING:
                counts = _ingest(self.engine, page, source, self.triage, self.clock, self.log)
                _advance(self.engine, connector.name, stream, page, source, self.clock())
            with self.lock:
                self.report.pages += 1
                self.report.skipped += len(page.skipped)
                for name, value in counts.items():
                    setattr(self.report, name, getattr(self.report, name) + value)
            for reason in page.skipped:
                if self.log is not None:
                    self.log(f"{source}: skipped: {inert(reason, limit=200)}")

    def _error(self, connector: Connector, stream: str, reason: str) -> None:
        line = f"{connector.name}:{stream}: {inert(reason, limit=200)}"
        with self.lock:
            self.report.errors.append(line)
        if self.log is not None:
            self.log(line)


def _ingest(engine: Engine, page: Page, source: str, triage: Pipeline, clock: Clock,
            log: Callable[[str], None] | None) -> dict[str, int]:
    """Take a page's new events in; the counts for the report."""
    fresh = _unknown(engine, page.events)
    counts = {"duplicates": len(page.events) - len(fresh)}
    if not fresh:
        return counts
    lines = [json.dumps(event, ensure_ascii=False).encode() for event in fresh]
    ingestor = Ingestor(engine, pipeline=triage, clock=clock, source=source, on_reject=log)
    done = ingestor.run(lines, batch=WRITE_BATCH)
    counts.update(ingested=done.ingested, rejected=done.rejected,
                  duplicates=counts["duplicates"] + done.duplicates)
    return counts


def _unknown(engine: Engine, events: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The events whose (platform, id) the store does not have (or that ingest must judge:
    those without a usable key)."""
    keys = {(e.get("platform"), e.get("id")) for e in events
            if isinstance(e.get("platform"), str) and isinstance(e.get("id"), str)}
    if not keys:
        return events
    with db.read(engine) as conn:
        known = {(platform, ident) for platform, ident in conn.execute(
            select(_M.platform, _M.external_id)
            .where(tuple_(_M.platform, _M.external_id).in_(sorted(keys))))}
    return [e for e in events if (e.get("platform"), e.get("id")) not in known]


def _advance(engine: Engine, connector: str, stream: str, page: Page, source: str,
             now: datetime) -> None:
    """Move the checkpoint past a stored page, and keep what it could not read."""
    with db.write(engine) as conn:
        if page.skipped:
            conn.execute(_DEAD.insert(), [
                {"source": source, "line_no": n, "reason": reason[:1000],
                 "raw": reason.encode(), "created_at": now}
                for n, reason in enumerate(page.skipped, start=1)])
        db.insert_ignore(conn, _CURSOR, [{"connector": connector, "stream": stream,
                                          "position": page.position, "updated_at": now}])
        conn.execute(update(_CURSOR).where(_K.connector == connector, _K.stream == stream)
                     .values(position=page.position, updated_at=now))
