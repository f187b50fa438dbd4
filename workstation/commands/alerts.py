"""`workstation alerts`: reputation alerts, listed or scanned for now."""

from __future__ import annotations

import argparse
import json
import sys

from .common import EXIT_OK, UsageError, positive, since, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("alerts", help="list reputation alerts, or scan for new ones")
    verbs = p.add_subparsers(title="actions", metavar="ACTION", required=True)
    ls = verbs.add_parser("list", help="the newest alerts first")
    ls.add_argument("--since", type=since, metavar="WHEN",
                    help="an RFC 3339 time or date, or an age such as 30m, 2h, 7d")
    ls.add_argument("--limit", type=positive, default=50, metavar="N")
    ls.add_argument("--json", action="store_true", help="one JSON object per line")
    ls.set_defaults(func=list_)
    sc = verbs.add_parser("scan", help="look for new alerts now (the workers do it on a "
                                       "schedule)")
    sc.set_defaults(func=scan)


def list_(args: argparse.Namespace) -> int:
    from ..alerts import recent
    from ..text import inert

    for alert in recent(store(args), since=args.since, limit=args.limit):
        if args.json:
            print(json.dumps(alert.to_json(), ensure_ascii=False))
            continue
        convs = " ".join(str(i) for i in alert.conversation_ids[:8])
        more = "…" if len(alert.conversation_ids) > 8 else ""
        print(inert(f"{alert.id:>5}  {alert.raised_at:%Y-%m-%d %H:%M}  {alert.severity:<8} "
                    f"{alert.kind:<16} {alert.title}  [conversations {convs}{more}]",
                    limit=400))
    return EXIT_OK


def scan(args: argparse.Namespace) -> int:
    from ..alerts import recent
    from ..alerts import scan as run_scan
    from ..alerts.config import AlertConfigError
    from ..text import inert

    engine = store(args)
    try:
        ids = run_scan(engine)
    except AlertConfigError as exc:
        for problem in exc.problems:
            print(inert(problem), file=sys.stderr)
        raise UsageError("rules.toml's [alerts] section cannot be used") from None
    raised = [a for a in recent(engine, after_id=min(ids) - 1, limit=len(ids))] if ids else []
    for alert in reversed(raised):
        print(inert(f"raised {alert.id}: {alert.title}", limit=300))
    print(f"{len(ids)} new alert(s)")
    return EXIT_OK
