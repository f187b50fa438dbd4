"""`workstation audit`: the trail of every change, for people and scripts."""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK, positive, since, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("audit", help="list the audit trail")
    p.add_argument("--conversation", type=positive, metavar="ID")
    p.add_argument("--actor", metavar="NAME")
    p.add_argument(
        "--since",
        type=since,
        metavar="WHEN",
        help="an RFC 3339 time or date, or an age such as 30m, 2h, 7d",
    )
    p.add_argument(
        "--until",
        type=since,
        metavar="WHEN",
        help="only events before this time (same forms as --since)",
    )
    p.add_argument(
        "--action",
        metavar="ACTION",
        help="only this action (conversation.resolved), or a prefix ending in * (reply.*)",
    )
    p.add_argument("--limit", type=positive, metavar="N", help="only the newest N events")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=audit)


def audit(args: argparse.Namespace) -> int:
    from ..audit import list_events
    from ..text import inert

    events = list_events(
        store(args),
        conversation_id=args.conversation,
        actor=args.actor,
        since=args.since,
        limit=args.limit,
        action=args.action,
        until=args.until,
    )
    for event in events:
        if args.json:
            print(json.dumps(event.to_json(), ensure_ascii=False))
            continue
        target = f"{event.target_kind}:{event.target_id}" if event.target_kind else "-"
        details = json.dumps(event.details, ensure_ascii=False) if event.details else ""
        print(
            inert(
                f"{event.at:%Y-%m-%d %H:%M:%S}  {event.actor_kind:<6} {event.actor:<12} "
                f"{event.action:<24} {target:<18} {details}",
                limit=400,
            )
        )
    return EXIT_OK
