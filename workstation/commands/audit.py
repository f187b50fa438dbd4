"""`workstation audit`: the trail of every change, for people and scripts; `audit verify`
checks that it is whole (exit 0 intact, 1 with the first event altered, removed or reordered).

On a store with a team, someone below supervisor lists only their own events (asking for
someone else's is refused and audited).
"""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK, EXIT_PARTIAL, identity, positive, since, store


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
    actions = p.add_subparsers(title="actions", metavar="ACTION")
    check = actions.add_parser(
        "verify", help="check the hash chain: report the first event altered, removed or"
        " reordered (exit 1), or print the head hash (exit 0)")
    check.set_defaults(func=verify)


def verify(args: argparse.Namespace) -> int:
    """Walk the chain; one line either way."""
    from ..audit_chain import verify as walk
    from ..models import AuditEvent

    verdict = walk(store(args), AuditEvent.__table__)  # type: ignore[attr-defined]
    if verdict.intact:
        print(f"intact: {verdict.checked} events, head {verdict.head}")
        return EXIT_OK
    print(f"broken at event #{verdict.broken_id}: {verdict.reason}")
    return EXIT_PARTIAL


def _actor_filter(args: argparse.Namespace, engine: object) -> str | None:
    """The `--actor` the person may use: their own unless they may read everyone's."""
    from .. import db, permissions

    with db.read(engine) as conn:  # type: ignore[arg-type]
        if not permissions.has_team(conn):
            return args.actor  # type: ignore[no-any-return]
    me = identity(args, engine)
    with db.read(engine) as conn:  # type: ignore[arg-type]
        if permissions.allowed(conn, me, "read_all_audit"):
            return args.actor  # type: ignore[no-any-return]
    if args.actor not in (None, me):
        permissions.require(engine, me, "read_all_audit")  # type: ignore[arg-type]
    return me


def audit(args: argparse.Namespace) -> int:
    from ..audit import list_events
    from ..text import inert

    engine = store(args)
    events = list_events(
        engine,
        conversation_id=args.conversation,
        actor=_actor_filter(args, engine),
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
