"""`workstation queue`: the open conversations in SLA order, printed."""

from __future__ import annotations

import argparse
from datetime import datetime

from .common import EXIT_OK, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("queue", help="print the open conversations in SLA order")
    p.add_argument("--limit", type=positive, default=40)
    p.set_defaults(func=queue)


def queue(args: argparse.Namespace) -> int:
    from ..clock import utcnow
    from ..services.queue import open_queue
    from ..text import inert

    now = utcnow()
    rows = open_queue(store(args), limit=args.limit)
    for row in rows:
        author = ("★ " if row.vip else "") + row.author
        print(
            f"{countdown(row.sla_due_at, now):>8} {row.priority.name.lower():<7} "
            f"{row.platform:<10} {row.kind:<8} {inert(author, limit=20):<20} "
            f"{inert(','.join(row.intents), limit=18):<18} {inert(row.last_text, limit=60)}"
        )
    if not rows:
        print("the queue is empty")
    return EXIT_OK


def countdown(due: datetime | None, now: datetime) -> str:
    """Time left until `due` as `1h05m` or `2d03h`, negative once breached, `-` for none."""
    if due is None:
        return "-"
    seconds = int((due - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds >= 86400:
        text = f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"
    else:
        text = f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return sign + text
