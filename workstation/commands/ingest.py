"""`workstation ingest`: events into the store."""

from __future__ import annotations

import argparse
import sys
from contextlib import ExitStack

from .common import EXIT_OK, EXIT_PARTIAL, Progress, open_input, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="take events (JSON lines) into the store")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    # The default is `ingest.BATCH`, not imported here: that would load the store on every
    # command's start-up.
    p.add_argument("--batch", type=positive, default=5000, help="lines per transaction")
    p.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
    p.set_defaults(func=ingest)


def ingest(args: argparse.Namespace) -> int:
    import gc

    from ..clock import utcnow
    from ..parallel import default_workers
    from ..pipeline import Pipeline
    from ..reads import Chunks, read_lines

    with ExitStack() as stack:
        stream, name, size = open_input(args.file, stack)
        progress = Progress(not args.no_progress)
        stack.callback(progress.clear)

        def report_reject(line: str) -> None:
            progress.clear()
            print(line, file=sys.stderr)

        pipeline = Pipeline()
        # Collect garbage every 100,000 allocations, not 700: a batch makes tens of thousands
        # of objects that live until it is written, few in cycles, and the collector walked
        # each of them several times (an eighth of the run); most are now freed by their
        # counts first. What is loaded so far is frozen out of its sight before the workers
        # fork (their pages stay shared), and again once the store's modules are loaded.
        gc.set_threshold(100_000, 50, 100)
        gc.freeze()
        workers = default_workers(size)
        # The workers start reading now, while this process loads the store's tables and
        # opens (or migrates) the store: about a second it would otherwise spend alone.
        chunks = stack.enter_context(
            Chunks(pipeline, read_lines(stream, size, progress), args.batch, workers, utcnow))
        engine = store(args)
        from ..ingest import Ingestor

        gc.freeze()
        ingestor = Ingestor(engine, pipeline=pipeline, source=name, on_reject=report_reject,
                            workers=workers)
        report = ingestor.write_all(chunks)
    print(report.summary())
    return EXIT_PARTIAL if report.rejected else EXIT_OK
