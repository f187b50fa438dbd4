"""`workstation report`: the triage, performance or strategy report of a period."""

from __future__ import annotations

import argparse
import sys
from datetime import datetime

from .common import EXIT_OK, UsageError, store


def _day(text: str) -> datetime:
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date such as 2026-11-01: {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    from ..reports import FORMATS
    from ..reports.periods import KINDS

    p = sub.add_parser(
        "report", help="a report of a period: day/week = triage, month = performance, "
                       "quarter = strategy")
    p.add_argument("--period", choices=KINDS, default="week",
                   help="the period (default: week); without --from, the current one so far")
    p.add_argument("--from", dest="start", type=_day, metavar="DATE",
                   help="first day of the period (in kpis.toml's time zone)")
    p.add_argument("--to", dest="end", type=_day, metavar="DATE",
                   help="last day included (default: the end of the period from --from)")
    p.add_argument("--format", choices=FORMATS, default="table", help="default: table")
    p.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    p.set_defaults(func=report)


def report(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ..reports import render
    from ..reports.data import build

    if args.end is not None and args.start is None:
        raise UsageError("--to needs --from")
    try:
        built = build(store(args), args.period, start=args.start, end=args.end)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    for problem in built.problems:
        print(problem, file=sys.stderr)
    text = render(built, args.format)
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return EXIT_OK
