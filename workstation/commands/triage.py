"""`workstation triage`: the verdict of events, or an explanation of one message."""

from __future__ import annotations

import argparse
import json
import sys
from contextlib import ExitStack
from datetime import datetime
from typing import Any

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, open_input


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "triage", help="print the verdict of every event, storing nothing",
        description="Verdicts of an event file (one per line, same order), or with --text an"
        " explanation of how the rules read one message.",
    )
    p.add_argument("file", nargs="?", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--json", action="store_true", help="one JSON verdict per line")
    p.add_argument("--text", help="explain the verdict of this message instead")
    p.add_argument("--platform", default="instagram", help="with --text (default: instagram)")
    p.add_argument("--kind", default="comment", choices=("comment", "dm", "mention"))
    p.add_argument("--followers", type=int, default=0, help="with --text: the author's followers")
    p.add_argument("--verified", action="store_true", help="with --text: a verified author")
    p.add_argument("--lang", help="with --text: a language hint (ISO 639-1)")
    p.set_defaults(func=triage)


def triage_run(pipeline: Any, first_line: int, lines: list[bytes], now: datetime,
               as_json: bool = True) -> list[Any]:
    """Output (or rejections) of a run of lines, in order; runs in a worker process.

    Verdicts are rendered here, in the worker, so the parent only writes strings: shipping
    a string back costs far less than pickling a verdict and rendering it in one process.
    Consecutive output lines come joined in one string (one object to pickle, not a
    thousand).
    """
    from ..events import Rejected, parse_line
    from ..pipeline import verdict_line
    from ..text import inert

    parsed = [parse_line(raw, line_no, now) for line_no, raw in enumerate(lines, start=first_line)]
    events = [e for e in parsed if e is not None and not isinstance(e, Rejected)]
    # the whole run's signals at once: read stage by stage, they cost a third less
    verdicts = iter(list(map(pipeline.decide, events, pipeline.signals_many(events))))
    out: list[Any] = []
    text: list[str] = []
    for event in parsed:
        if event is None:
            continue
        if isinstance(event, Rejected):
            if text:
                out.append("".join(text))
                text = []
            out.append(event)
            continue
        verdict = next(verdicts)
        if as_json:
            text.append(verdict_line(verdict))
        else:
            v = verdict.to_json()
            text.append(
                f"{inert(event.id, limit=24):<24} {v['lang']:<3} "
                f"{v['sentiment']['label']:<8} {v['priority']:<7} "
                f"{v['moderation']['verdict']:<7} {','.join(v['intents']) or '-'}\n"
            )
    if text:
        out.append("".join(text))
    return out


def triage(args: argparse.Namespace) -> int:
    if args.text is not None:
        return explain(args)
    if args.file is None:
        raise UsageError("triage needs FILE (or - for standard input), or --text")
    from ..clock import utcnow
    from ..events import Rejected
    from ..parallel import default_workers, ordered_map, runs
    from ..pipeline import Pipeline

    pipeline = Pipeline()
    rejected = 0
    out = sys.stdout
    now = utcnow()
    with ExitStack() as stack:
        stream, name, size = open_input(args.file, stack)
        tasks = ((first, run, now, args.json) for first, run in runs(iter(stream), 1000))
        for results in ordered_map(triage_run, pipeline, tasks, default_workers(size)):
            chunk: list[str] = []
            for item in results:
                if isinstance(item, Rejected):
                    rejected += 1
                    print(f"{name}:{item.line_no}: {item.reason}", file=sys.stderr)
                    if args.json:
                        chunk.append(json.dumps({"line": item.line_no, "error": item.reason})
                                     + "\n")
                    continue
                chunk.append(item)
            out.write("".join(chunk))
    return EXIT_PARTIAL if rejected else EXIT_OK


def explain(args: argparse.Namespace) -> int:
    from ..clock import utcnow
    from ..events import Author, Event
    from ..explain import explain as lines_of
    from ..pipeline import Pipeline
    from ..text import inert

    event = Event(
        platform=args.platform, kind=args.kind, id="text", text=args.text,
        author=Author(id="you", followers=args.followers, verified=args.verified),
        created_at=utcnow(), lang=args.lang,
    )
    for label, value in lines_of(Pipeline(), event):
        print(f"{label:<12} {inert(value)}")
    return EXIT_OK
