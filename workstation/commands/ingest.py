"""`workstation ingest` and `workstation triage`: events in."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack

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

    engine = store(args)
    with ExitStack() as stack:
        stream, name, size = open_input(args.file, stack)
        progress = Progress(not args.no_progress)

        def report_reject(line: str) -> None:
            progress.clear()
            print(line, file=sys.stderr)

        ingestor = Ingestor(engine, source=name, on_reject=report_reject)
        try:
            report = ingestor.run(read_lines(stream, size, progress), batch=args.batch)
        finally:
            progress.clear()
    print(report.summary())
    return EXIT_PARTIAL if report.rejected else EXIT_OK


def triage(args: argparse.Namespace) -> int:
    from ..clock import utcnow
    from ..events import Rejected, parse_line
    from ..pipeline import Pipeline
    from ..text import inert

    pipeline = Pipeline()
    rejected = 0
    out = sys.stdout
    now = utcnow()
    with ExitStack() as stack:
        stream, name, _size = open_input(args.file, stack)
        for line_no, raw in enumerate(stream, start=1):
            event = parse_line(raw, line_no, now)
            if event is None:
                continue
            if isinstance(event, Rejected):
                rejected += 1
                print(f"{name}:{line_no}: {event.reason}", file=sys.stderr)
                if args.json:
                    out.write(json.dumps({"line": line_no, "error": event.reason}) + "\n")
                continue
            verdict = pipeline.run(event).to_json()
            if args.json:
                out.write(json.dumps(verdict, ensure_ascii=False) + "\n")
            else:
                out.write(
                    f"{inert(event.id, limit=24):<24} {verdict['lang']:<3} "
                    f"{verdict['sentiment']['label']:<8} {verdict['priority']:<7} "
                    f"{verdict['moderation']['verdict']:<7} {','.join(verdict['intents']) or '-'}\n"
                )
    return EXIT_PARTIAL if rejected else EXIT_OK
