"""`workstation ingest` and `workstation triage`: events in."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from datetime import datetime
from typing import Any

from .common import EXIT_OK, EXIT_PARTIAL, Progress, open_input, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ingest", help="take events (JSON lines) into the store")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--batch", type=positive, default=2000, help="lines per transaction")
    p.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
    p.set_defaults(func=ingest)

    p = sub.add_parser("triage", help="print the verdict of every event, storing nothing")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--json", action="store_true", help="one JSON verdict per line")
    p.set_defaults(func=triage)


def ingest(args: argparse.Namespace) -> int:
    from ..ingest import Ingestor, read_lines
    from ..parallel import default_workers

    engine = store(args)
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


def triage_run(pipeline: Any, first_line: int, lines: list[bytes], now: datetime) -> list[Any]:
    """Verdicts (or rejections) of a run of lines, in order; runs in a worker process."""
    from ..events import Rejected, parse_line

    out: list[Any] = []
    for line_no, raw in enumerate(lines, start=first_line):
        event = parse_line(raw, line_no, now)
        if event is None:
            continue
        out.append(event if isinstance(event, Rejected) else (event.id, pipeline.run(event)))
    return out


def triage(args: argparse.Namespace) -> int:
    from ..clock import utcnow
    from ..events import Rejected
    from ..parallel import default_workers, ordered_map, runs
    from ..pipeline import Pipeline
    from ..text import inert

    pipeline = Pipeline()
    rejected = 0
    out = sys.stdout
    now = utcnow()
    with ExitStack() as stack:
        stream, name, size = open_input(args.file, stack)
        tasks = ((first, run, now) for first, run in runs(iter(stream), 1000))
        for results in ordered_map(triage_run, pipeline, tasks, default_workers(size)):
            for item in results:
                if isinstance(item, Rejected):
                    rejected += 1
                    print(f"{name}:{item.line_no}: {item.reason}", file=sys.stderr)
                    if args.json:
                        out.write(json.dumps({"line": item.line_no, "error": item.reason}) + "\n")
                    continue
                ident, verdict = item
                v = verdict.to_json()
                if args.json:
                    out.write(json.dumps(v, ensure_ascii=False) + "\n")
                else:
                    out.write(
                        f"{inert(ident, limit=24):<24} {v['lang']:<3} "
                        f"{v['sentiment']['label']:<8} {v['priority']:<7} "
                        f"{v['moderation']['verdict']:<7} {','.join(v['intents']) or '-'}\n"
                    )
    return EXIT_PARTIAL if rejected else EXIT_OK
