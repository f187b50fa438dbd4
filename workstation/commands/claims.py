"""`workstation claim-next`: claim the next conversation nobody holds, for scripts.

Prints the conversation's id (or one JSON object with `--json`) and exits 0; prints nothing
and exits 1 when the view has nothing left to claim, so `while id=$(workstation claim-next)`
loops until the queue is empty. The claim lasts 90 seconds; resolving releases it.
"""

from __future__ import annotations

import argparse
import json

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, identity, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `claim-next` to the command line."""
    p = sub.add_parser("claim-next", help="claim the next open conversation nobody holds")
    p.add_argument("--view", metavar="NAME", default="all",
                   help="a saved view's key: mine, unassigned, breaching, ... (default: all)")
    p.add_argument("--json", action="store_true", help="print the claim as one JSON object")
    p.set_defaults(func=claim_next)


def claim_next(args: argparse.Namespace) -> int:
    """Claim one conversation and say which."""
    from workstation.clock import iso
    from workstation.services.claim_next import claim_next as take
    from workstation.services.views import ViewConfigError, load_views

    try:
        views = {v.key: v for v in load_views()}
    except ViewConfigError as exc:
        raise UsageError(str(exc)) from None
    if args.view not in views:
        raise UsageError(f"no view named {args.view!r}: one of {', '.join(views)}")
    engine = store(args)
    claim = take(engine, actor=identity(args, engine), view=views[args.view])
    if claim is None:
        return EXIT_PARTIAL
    if args.json:
        print(json.dumps({"conversation_id": claim.conversation_id, "holder": claim.holder,
                          "expires_at": iso(claim.expires_at) if claim.expires_at else None}))
    else:
        print(claim.conversation_id)
    return EXIT_OK
