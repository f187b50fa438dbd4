"""`workstation ingest`: events into the store."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from .common import EXIT_OK, EXIT_PARTIAL, Progress, open_input, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="take events (JSON lines) into the store")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--batch", type=positive, default=2000, help="lines per transaction")
    p.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
    p.set_defaults(func=ingest)


def ingest(args: argparse.Namespace) -> int:
    import gc

    from ..ingest import Ingestor, read_lines
    from ..parallel import default_workers

    engine = store(args)
    # What start-up loaded lives as long as the process: out of the collector's sight, a
    # full collection no longer walks it (a tenth of a second each, several per run). A batch
    # makes tens of thousands of objects that live until it is written, few of them in
    # cycles: collecting every 700 allocations walked each of them several times (an eighth
    # of the run); every 100,000, most are freed by their counts before the collector looks.
    gc.freeze()
    gc.set_threshold(100_000, 50, 100)
    with ExitStack() as stack:
        stream, name, size = open_input(args.file, stack)
        progress = Progress(not args.no_progress)

        def report_reject(line: str) -> None:
            progress.clear()
            print(line, file=sys.stderr)

        ingestor = Ingestor(engine, source=name, on_reject=report_reject,
                            workers=default_workers(size))
        try:
            report = ingestor.run(read_lines(stream, size, progress), batch=args.batch)
        finally:
            progress.clear()
    print(report.summary())
    return EXIT_PARTIAL if report.rejected else EXIT_OK
