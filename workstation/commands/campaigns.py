"""`workstation campaigns`: campaign spend, fees, impressions and revenue, from CSV."""

from __future__ import annotations

import argparse
import json
import sys
from datetime import date

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, store


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a date such as 2026-11-01: {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("campaigns", help="import and list campaign figures (spend, revenue...)")
    verbs = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    imp = verbs.add_parser("import", help="import a campaign CSV (see README for its columns)")
    imp.add_argument("file", metavar="FILE|-", help="CSV file, or - for standard input")
    imp.set_defaults(func=import_)
    ls = verbs.add_parser("list", help="list imported campaign rows, newest period first")
    ls.add_argument("--from", dest="since", type=_day, metavar="DATE",
                    help="only periods ending on or after this date")
    ls.add_argument("--to", dest="until", type=_day, metavar="DATE",
                    help="only periods starting on or before this date")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.set_defaults(func=list_)


def import_(args: argparse.Namespace) -> int:
    from contextlib import ExitStack

    from ..campaigns import CampaignFileError, import_file
    from ..text import inert
    from .common import open_input

    with ExitStack() as stack:
        stream, name, _ = open_input(args.file, stack)
        raw = stream.read()
    engine = store(args)
    try:
        report = import_file(engine, raw, source=name, actor=args.agent or "cli")
    except CampaignFileError as exc:
        raise UsageError(str(exc)) from None
    for line in report.errors:
        print(inert(line, limit=400), file=sys.stderr)
    print(report.summary())
    return EXIT_PARTIAL if report.rejected else EXIT_OK


def list_(args: argparse.Namespace) -> int:
    from ..campaigns import list_campaigns
    from ..text import inert

    rows = list_campaigns(store(args), since=args.since, until=args.until)
    if args.json:
        for row in rows:
            print(json.dumps(row.to_json(), ensure_ascii=False))
        return EXIT_OK
    print(f"{'campaign':<24} {'platform':<10} {'kind':<10} {'period':<23} {'spend':>10} "
          f"{'fees':>9} {'impressions':>11} {'revenue':>10} {'cust':>5}")
    for r in rows:
        print(inert(
            f"{r.campaign[:24]:<24} {r.platform or 'all':<10} {r.kind:<10} "
            f"{r.period_start} – {r.period_end} {r.spend:>10,.2f} {r.creator_fees:>9,.2f} "
            f"{r.impressions:>11,} {r.revenue:>10,.2f} "
            f"{'' if r.customers is None else r.customers:>5}"))
    return EXIT_OK
