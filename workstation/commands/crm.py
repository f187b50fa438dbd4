"""`workstation crm`: see what the CRM push did, push now, or retry failed deliveries.

Exit status: 0 done; 1 `push` left deliveries failed or waiting for a retry; 2 a usage or
configuration error (no target configured, an unsafe secrets file).
"""

from __future__ import annotations

import argparse
import json
import os

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, positive, store

STATES = ("queued", "sending", "sent", "failed", "skipped", "superseded")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("crm", help="leads pushed to the CRM: status, push now, retry")
    p.set_defaults(func=status, state=None, lead=None, limit=30, json=False)
    actions = p.add_subparsers(title="actions", metavar="ACTION")
    s = actions.add_parser("status", help="counts per target and state, then the latest rows")
    s.add_argument("--state", choices=STATES)
    s.add_argument("--lead", type=positive, metavar="ID")
    s.add_argument("--limit", type=positive, default=30)
    s.add_argument("--json", action="store_true", help="one JSON object per row")
    s.set_defaults(func=status)
    push = actions.add_parser("push", help="queue lead changes and send what is due, now")
    push.set_defaults(func=push_now)
    retry = actions.add_parser("retry", help="queue failed deliveries again (all, or LEAD...)")
    retry.add_argument("leads", type=positive, nargs="*", metavar="LEAD")
    retry.add_argument("--agent", metavar="NAME",
                       default=os.environ.get("WORKSTATION_AGENT") or "cli")
    retry.set_defaults(func=retry_failed)


def status(args: argparse.Namespace) -> int:
    from ..clock import iso
    from ..crm.status import counts, list_rows
    from ..text import inert

    engine = store(args)
    rows = list_rows(engine, state=args.state, lead_id=args.lead, limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(row.to_json(), ensure_ascii=False))
        return EXIT_OK
    for (target, state), n in counts(engine).items():
        print(f"{target:<8} {state:<10} {n}")
    for row in rows:
        when = iso(row.next_attempt_at) if row.state == "queued" and row.next_attempt_at else ""
        extra = f" next {when}" if when else ""
        error = f"  {inert(row.last_error, limit=120)}" if row.last_error else ""
        print(f"#{row.id:<5} lead {row.lead_id:<5} {row.target:<8} {row.state:<10}"
              f" tries {row.attempts}{extra}{error}")
    return EXIT_OK


def push_now(args: argparse.Namespace) -> int:
    from ..crm import push_due
    from ..crm.config import load_targets
    from ..crm.status import counts

    targets = load_targets()
    if not targets:
        raise UsageError("no CRM target configured: set WORKSTATION_HUBSPOT_TOKEN or"
                         " WORKSTATION_CRM_WEBHOOK_URL (see README, CRM push)")
    engine = store(args)
    sent = push_due(engine, targets=targets)
    left = {k: n for k, n in counts(engine).items() if k[1] in ("queued", "failed")}
    print(f"delivered {sent}; " + (", ".join(f"{t} {s} {n}" for (t, s), n in left.items())
                                   or "nothing left"))
    return EXIT_PARTIAL if left else EXIT_OK


def retry_failed(args: argparse.Namespace) -> int:
    from ..crm.outbox import requeue_failed

    n = requeue_failed(store(args), actor=args.agent, lead_ids=args.leads or None)
    print(f"queued again: {n}")
    return EXIT_OK
