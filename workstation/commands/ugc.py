"""`workstation ugc`: the register of content customers let the brand reuse, and its changes."""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from datetime import datetime
from pathlib import Path
from typing import Any

from .common import EXIT_OK, UsageError, identity, positive, print_record, store

_STATUSES = ("requested", "granted", "expired", "refused", "revoked")
_CSV = ("id", "status", "platform", "kind", "origin_id", "origin_url", "media", "creator",
        "credit", "usage_from", "usage_until", "requested_at", "answered_at", "revoked_at",
        "conversation_id")


def _moment(text: str) -> datetime:
    from ..clock import to_utc

    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"not a date or time such as 2027-06-30: {text!r}") from None


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("ugc", help="customers' content the brand may reuse: rights, credits, "
                                   "usage windows")
    _listing(p)
    actions = p.add_subparsers(title="ugc commands", metavar="ACTION")
    _listing(actions.add_parser("list", help="rights, newest request first"))
    q = actions.add_parser("export", help="the rights as CSV or JSON, for the content team")
    q.add_argument("--status", choices=_STATUSES)
    q.add_argument("--format", choices=("csv", "json"), default="csv", help="default: csv")
    q.add_argument("--output", "-o", metavar="FILE", help="write to FILE instead of stdout")
    q.set_defaults(func=export)
    q = actions.add_parser("show", help="one right: origin, media, credit, usage window")
    q.add_argument("right", type=positive, metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=show)
    q = actions.add_parser("grant", help="record a yes the bot could not read (ugc-review)")
    q.add_argument("right", type=positive, metavar="ID")
    q.add_argument("--credit", default="", help="how the creator asked to be credited")
    q.set_defaults(func=grant)
    q = actions.add_parser("refuse", help="record a no the bot could not read")
    q.add_argument("right", type=positive, metavar="ID")
    q.set_defaults(func=refuse)
    q = actions.add_parser("revoke", help="the creator withdrew their consent")
    q.add_argument("right", type=positive, metavar="ID")
    q.add_argument("--reason", default="", help="why, for the audit trail")
    q.set_defaults(func=revoke)
    q = actions.add_parser("credit", help="credit the creator as they asked")
    q.add_argument("right", type=positive, metavar="ID")
    q.add_argument("credit", metavar="TEXT")
    q.set_defaults(func=credit)
    q = actions.add_parser("window", help="change a grant's usage window")
    q.add_argument("right", type=positive, metavar="ID")
    q.add_argument("--until", type=_moment, required=True, metavar="DATE")
    q.add_argument("--from", dest="start", type=_moment, metavar="DATE",
                   help="default: the window's current start")
    q.set_defaults(func=window)


def _listing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--status", choices=_STATUSES,
                   help="expired: granted, but the usage window has ended")
    p.add_argument("--limit", type=positive, metavar="N")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line")
    out.add_argument("--csv", action="store_true", help="CSV with a header line")
    p.set_defaults(func=list_command, status=None, limit=None, json=False, csv=False)


def _call(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    from ..services.ugc_rights import UgcError

    try:
        return fn(*args, **kwargs)
    except UgcError as exc:
        raise UsageError(str(exc)) from None


def _csv(rights: list[Any], out: Any) -> None:
    from ..clock import iso
    from ..text import csv_cell

    writer = csv.writer(out)
    writer.writerow(_CSV)
    for right in rights:
        media = " ".join(m.get("url") or m.get("id") or m.get("type", "") for m in right.media)
        writer.writerow([csv_cell(v) for v in (
            right.id, right.status, right.platform, right.origin_kind, right.origin_id,
            right.origin_url, media, right.creator, right.credit, iso(right.usage_from),
            iso(right.usage_until), iso(right.requested_at), iso(right.answered_at),
            iso(right.revoked_at), right.conversation_id)])


def _line(right: Any) -> str:
    until = f"until {right.usage_until:%Y-%m-%d}" if right.usage_until else "-"
    origin = f"{right.platform}/{right.origin_kind}"
    return (f"#{right.id:<6} {right.status:<9} {origin:<18} {right.creator or '-':<20} "
            f"credit {right.credit or '-':<20} {until:<16} {right.origin_url or right.origin_id}")


def list_command(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import list_rights
    from ..text import inert

    rights = _call(list_rights, store(args), status=args.status, limit=args.limit)
    if args.csv:
        _csv(rights, sys.stdout)
        return EXIT_OK
    for right in rights:
        if args.json:
            print(json.dumps(right.to_json(), ensure_ascii=False))
        else:
            print(inert(_line(right), limit=300))
    return EXIT_OK


def export(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import list_rights

    rights = _call(list_rights, store(args), status=args.status)
    if args.format == "json":
        text = json.dumps([r.to_json() for r in rights], ensure_ascii=False, indent=2) + "\n"
    else:
        buffer = io.StringIO()
        _csv(rights, buffer)
        text = buffer.getvalue()
    if args.output:
        Path(args.output).write_text(text, encoding="utf-8", newline="")
        print(f"{len(rights)} rights written to {args.output}", file=sys.stderr)
    else:
        sys.stdout.write(text)
    return EXIT_OK


def show(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import get

    print_record(_call(get, store(args), args.right).to_json(), as_json=args.json)
    return EXIT_OK


def _done(right: Any) -> int:
    from ..text import inert

    print(inert(_line(right), limit=300))
    return EXIT_OK


def grant(args: argparse.Namespace) -> int:
    from ..leads import config
    from ..services.ugc_rights import grant as grant_right

    engine = store(args)
    return _done(_call(grant_right, engine, args.right, actor=identity(args, engine),
                       months=config.current().ugc_usage_months, credit=args.credit))


def refuse(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import refuse as refuse_right

    engine = store(args)
    return _done(_call(refuse_right, engine, args.right, actor=identity(args, engine)))


def revoke(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import revoke as revoke_right

    engine = store(args)
    return _done(_call(revoke_right, engine, args.right, actor=identity(args, engine),
                       reason=args.reason))


def credit(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import set_credit

    engine = store(args)
    return _done(_call(set_credit, engine, args.right, args.credit,
                       actor=identity(args, engine)))


def window(args: argparse.Namespace) -> int:
    from ..services.ugc_rights import set_window

    engine = store(args)
    return _done(_call(set_window, engine, args.right, until=args.until, start=args.start,
                       actor=identity(args, engine)))
