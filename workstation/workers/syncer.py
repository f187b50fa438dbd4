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
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Engine, select, update

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.connectors.base import Connector, ConnectorError, Page, RateLimited
from workstation.ingest import Ingestor
from workstation.models import DeadLetter, SyncCursor
from workstation.pipeline import Pipeline
from workstation.text import inert

_CURSOR = SyncCursor.__table__  # type: ignore[attr-defined]
_K = _CURSOR.c
_DEAD = DeadLetter.__table__  # type: ignore[attr-defined]


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
    """
    report = PollReport()
    state = state or PollState()
    triage = pipeline() if connectors else None
    for connector in connectors:
        blocked = state.blocked_until.get(connector.name)
        if blocked is not None and clock() < blocked:
            continue
        for stream in connector.streams():
            if not guard():
                return report
            try:
                _poll_stream(engine, connector, stream, triage, clock, guard, report, log)
            except RateLimited as exc:
                state.blocked_until[connector.name] = clock() + timedelta(
                    seconds=max(exc.retry_after, 0.0))
                _error(report, log, connector, stream, f"rate limited for {exc.retry_after:.0f}s")
                break
            except ConnectorError as exc:
                _error(report, log, connector, stream, str(exc) or type(exc).__name__)
    return report


def _poll_stream(engine: Engine, connector: Connector, stream: str, triage: Pipeline | None,
                 clock: Clock, guard: Callable[[], bool], report: PollReport,
                 log: Callable[[str], None] | None) -> None:
    source = f"{connector.name}:{stream}"
    for page in connector.poll(stream, position(engine, connector.name, stream)):
        if not guard():
            return
        _ingest(engine, page, source, triage, clock, report, log)
        _advance(engine, connector.name, stream, page, source, clock())
        report.pages += 1
        report.skipped += len(page.skipped)
        for reason in page.skipped:
            if log is not None:
                log(f"{source}: skipped: {inert(reason, limit=200)}")


def _ingest(engine: Engine, page: Page, source: str, triage: Pipeline | None, clock: Clock,
            report: PollReport, log: Callable[[str], None] | None) -> None:
    if not page.events:
        return
    lines = [json.dumps(event, ensure_ascii=False).encode() for event in page.events]
    ingestor = Ingestor(engine, pipeline=triage, clock=clock, source=source, on_reject=log)
    done = ingestor.run(lines, batch=len(lines))
    report.ingested += done.ingested
    report.duplicates += done.duplicates
    report.rejected += done.rejected


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


def _error(report: PollReport, log: Callable[[str], None] | None, connector: Connector,
           stream: str, reason: str) -> None:
    line = f"{connector.name}:{stream}: {inert(reason, limit=200)}"
    report.errors.append(line)
    if log is not None:
        log(line)
