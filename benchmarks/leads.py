"""What the leads hook adds to ingest: the same file ingested with and without it.

    python benchmarks/leads.py 20000

Both runs are in this process on fresh SQLite stores (same generated events as
benchmarks/ingest.py: comment threads, DM threads, French and English, with purchase
questions that ask for qualifier flows). "without" replaces the hook's `note` and `flush` by
no-ops, so the difference is the leads work at ingest: flows asked for (the workers' `flows`
job starts them, not measured here) and advanced, UGC checks, attribution and reminder
bookkeeping. Best of `--rounds` alternated runs each (the host is
shared). Prints seconds, events per second and the hook's cost per event.
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from ingest import generate  # noqa: E402

from workstation import db  # noqa: E402
from workstation.ingest import Ingestor  # noqa: E402
from workstation.leads import hook  # noqa: E402


def run(events: Path, store: Path) -> float:
    engine = db.open_store(f"sqlite:///{store}")
    started = time.perf_counter()
    with events.open("rb") as stream:
        Ingestor(engine).run(stream)
    elapsed = time.perf_counter() - started
    engine.dispose()
    return elapsed


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=20000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        events = folder / "events.jsonl"
        generate(events, args.count)
        run(events, folder / "warm.db")  # imports and caches, not measured
        note, flush = hook.LeadHook.note, hook.LeadHook.flush
        with_hook, without = [], []
        for round_ in range(args.rounds):  # alternated, best of each: the host is shared
            with_hook.append(run(events, folder / f"with{round_}.db"))
            hook.LeadHook.note = lambda self, *a, **k: None  # type: ignore[method-assign]
            hook.LeadHook.flush = lambda self: None  # type: ignore[method-assign]
            try:
                without.append(run(events, folder / f"without{round_}.db"))
            finally:
                hook.LeadHook.note, hook.LeadHook.flush = note, flush
    n = args.count
    with_hook, without = min(with_hook), min(without)  # type: ignore[assignment]
    print(f"events           {n}")
    print(f"with the hook    {with_hook:7.2f} s  {n / with_hook:8.0f} ev/s")
    print(f"without          {without:7.2f} s  {n / without:8.0f} ev/s")
    print(f"hook cost        {(with_hook - without) / n * 1e6:7.1f} µs per event "
          f"({with_hook / without:.2f}x)")


if __name__ == "__main__":
    main()
