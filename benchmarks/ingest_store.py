"""Where ingest's writer spends its time: the store's statements against the Python around them.

    python benchmarks/ingest_store.py [N]        # default 50,000 events, as benchmarks/ingest.py

`benchmarks/ingest.py` times whole processes; this one opens them up. It reads the same
generated events on the worker processes first (triage, as ingest does it), then writes them
with the writer alone in this process, so the writer's figures are not shared with the
workers: its wall and CPU time, the time SQLite spent in each kind of statement (measured
around every cursor execution), and beside them what the goal of issue 2 leaves the store
(a quarter of `workstation triage --json` on the same file, timed as a whole process). The store is
a new SQLite file, upgraded beforehand.
"""

from __future__ import annotations

import argparse
import gc
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

from sqlalchemy import event

from workstation import db
from workstation.clock import utcnow
from workstation.ingest import BATCH, Ingestor
from workstation.parallel import default_workers
from workstation.pipeline import Pipeline
from workstation.reads import Chunks

import compiled  # noqa: E402  (benchmarks/compiled.py, beside this script)
import ingest as whole  # noqa: E402  (benchmarks/ingest.py: the same generated events)


class StatementClock:
    """Seconds and rows per statement (by its first words) on one engine."""

    def __init__(self, engine: object) -> None:
        self.seconds: dict[str, float] = defaultdict(float)
        self.rows: dict[str, int] = defaultdict(int)
        self._started = 0.0
        event.listen(engine, "before_cursor_execute", self._before)
        event.listen(engine, "after_cursor_execute", self._after)

    def _before(self, *_: object) -> None:
        self._started = time.perf_counter()

    def _after(self, _conn: object, _cursor: object, statement: str, params: object,
               _context: object, many: bool) -> None:
        words = statement.split()
        verb = words[0]
        table = next((w for w in words[1:6] if w not in {"OR", "IGNORE", "INTO", "FROM"}), "")
        key = f"{verb} {table}" if verb in {"INSERT", "UPDATE", "DELETE"} else verb
        self.seconds[key] += time.perf_counter() - self._started
        self.rows[key] += len(params) if many else 1  # type: ignore[arg-type]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=50_000)
    args = parser.parse_args()
    compiled.ensure()
    with tempfile.TemporaryDirectory() as tmp:
        events = Path(tmp) / "events.jsonl"
        whole.generate(events, args.count)
        engine = db.open_store(f"sqlite:///{tmp}/store.db")
        pipeline = Pipeline()
        gc.set_threshold(100_000, 50, 100)  # as `workstation ingest` sets it
        workers = default_workers(events.stat().st_size)
        started = time.perf_counter()
        with events.open("rb") as lines, Chunks(pipeline, lines, BATCH, workers, utcnow) as chunks:
            read = list(chunks)
        read_s = time.perf_counter() - started
        print(f"{args.count} events; read and triaged on {workers} workers in {read_s:.2f} s")

        clock = StatementClock(engine)
        ingestor = Ingestor(engine, pipeline=pipeline, source=str(events), workers=workers)
        gc.freeze()
        started, cpu = time.perf_counter(), time.process_time()
        ingestor.write_all(iter(read))
        write_s, write_cpu = time.perf_counter() - started, time.process_time() - cpu
        sql = sum(clock.seconds.values())
        print(f"writer: {write_s:.2f} s wall, {write_cpu:.2f} s CPU; {ingestor.report.summary()}")
        print(f"  in SQLite's statements {sql:.2f} s, in Python around them {write_s - sql:.2f} s")
        for key, seconds in sorted(clock.seconds.items(), key=lambda kv: -kv[1])[:10]:
            print(f"  {seconds:6.3f} s {clock.rows[key]:8,} rows  {key}")
        triage_s, _, _ = whole.timed([whole.BIN / "workstation", "triage", events, "--json"])
        print(f"workstation triage --json takes {triage_s:.2f} s: the goal (ingest <= 1.25 x"
              f" triage) leaves the store {0.25 * triage_s:.2f} s, the statements alone take"
              f" {sql:.2f} s")


if __name__ == "__main__":
    sys.exit(main())
