"""Taking events into the store: parse, triage and write, in batches, on every core.

The file is streamed in batches of a few thousand lines. Reading the text (parsing, language,
sentiment, intents, moderation, the policy's verdict for a new thread, what the leads work
looks for) is the costly part and needs no store, so for large inputs it runs in worker
processes a few batches ahead (`reads.Chunks`), while this process writes the previous batch
in one write transaction (`batch.Batch`). Memory stays flat on a million lines, and a crash
leaves whole conversations only: re-running the same file dedupes what was taken in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field

from sqlalchemy import Engine

from workstation import db
from workstation.batch import Batch
from workstation.clock import Clock, utcnow
from workstation.events import Rejected
from workstation.models import DeadLetter
from workstation.pipeline import Pipeline
from workstation.reads import Chunk, Chunks, Read

BATCH = 5000
"""Lines per write transaction. Each batch has a fixed cost (a few dozen statements, a commit
and its checkpoint) and a thread that spans two batches is written twice: 5,000 lines took
about a sixth less of the writer's CPU than 2,000 (10,000 gained nothing more), while one
batch holds SQLite's write lock for about half a second of CPU."""


@dataclass
class IngestReport:
    """What an ingest run did."""

    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    conversations: int = 0
    """New conversations opened."""
    errors: list[str] = field(default_factory=list)
    """The first rejection reasons, as `FILE:LINE: reason` (the rest are in dead letters)."""

    def summary(self) -> str:
        """The one line the CLI prints."""
        return (
            f"ingested {self.ingested}, duplicates {self.duplicates}, rejected {self.rejected}"
            f" ({self.conversations} new conversations)"
        )


class Ingestor:
    """Writes events to the store in batches; one instance per run."""

    def __init__(
        self,
        engine: Engine,
        *,
        pipeline: Pipeline | None = None,
        clock: Clock = utcnow,
        source: str = "-",
        on_reject: Callable[[str], None] | None = None,
        max_errors: int = 100,
        workers: int = 1,
    ) -> None:
        self.engine = engine
        self.pipeline = pipeline or Pipeline()
        self.clock = clock
        self.source = source
        self.on_reject = on_reject
        self.max_errors = max_errors
        self.workers = workers
        self.report = IngestReport()

    def run(self, lines: Iterable[bytes], batch: int = BATCH) -> IngestReport:
        """Ingest every line; returns the report (also kept on `self.report`)."""
        with Chunks(self.pipeline, iter(lines), batch, self.workers, self.clock) as chunks:
            return self.write_all(chunks)

    def write_all(self, chunks: Iterator[Chunk]) -> IngestReport:
        """Store chunks read already (`reads.Chunks`, on this ingestor's pipeline)."""
        for reads, rejects in chunks:
            for rejected in rejects:
                self._reject(rejected)
            self.write(reads, rejects)
        return self.report

    def _reject(self, rejected: Rejected) -> None:
        self.report.rejected += 1
        message = f"{self.source}:{rejected.line_no}: {rejected.reason}"
        if len(self.report.errors) < self.max_errors:
            self.report.errors.append(message)
        if self.on_reject:
            self.on_reject(message)

    def write(self, reads: list[Read], rejects: list[Rejected]) -> None:
        """Store one batch, and its rejected lines as dead letters, in one transaction."""
        with db.write(self.engine) as conn:
            now = self.clock()
            counts = Batch(conn, self.pipeline, now, self.source).write(reads)
            if rejects:
                conn.execute(
                    DeadLetter.__table__.insert(),  # type: ignore[attr-defined]
                    [{"source": self.source, "line_no": r.line_no, "reason": r.reason,
                      "raw": r.raw, "created_at": now} for r in rejects],
                )
        self.report.ingested += counts.ingested
        self.report.duplicates += counts.duplicates
        self.report.conversations += counts.conversations
