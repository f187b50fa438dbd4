"""`workstation sandbox`: a local Meta + X platform that keeps the demo's queue alive."""

from __future__ import annotations

import argparse
import os
import sys
import threading

from .common import EXIT_OK, UsageError

TOKEN_ENV = "WORKSTATION_SANDBOX_TOKEN"


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sandbox",
        help="run a local Meta Graph API + X API v2 stand-in with live traffic and faults",
        description="Serves the Graph API under /v21.0 and X API v2 under /2 on the loopback "
        "interface; /_sandbox/state, /_sandbox/sent, /_sandbox/messages and /_sandbox/faults "
        "inspect and steer it. Point the connectors at it with WORKSTATION_META_URL, "
        "WORKSTATION_X_URL and the token in WORKSTATION_META_TOKEN / WORKSTATION_X_TOKEN.",
    )
    p.add_argument("--port", type=int, default=8787, help="port to listen on (0: any free one)")
    p.add_argument("--host", default="127.0.0.1", help="address to listen on")
    p.add_argument("--rate", type=float, default=6.0, metavar="N",
                   help="new customer messages per minute (0: none); default 6")
    p.add_argument("--faults", default="", metavar="SPEC",
                   help="e.g. rate=every:3,500=0.1,timeout=0.05,malformed=0.02,drop=0.02"
                   " (see README: Sandbox platform and connectors)")
    p.add_argument("--seed", type=int, default=None, metavar="S", help="same seed, same traffic")
    p.add_argument("--token", default=None,
                   help=f"the access token clients must send; default ${TOKEN_ENV}, else a new "
                   "random one (printed)")
    p.set_defaults(func=sandbox)


def sandbox(args: argparse.Namespace) -> int:
    from ..sandbox import FaultSpec, FaultSpecError, SandboxServer

    if args.rate < 0:
        raise UsageError("--rate must be 0 or more")
    try:
        spec = FaultSpec.parse(args.faults)
    except FaultSpecError as exc:
        raise UsageError(f"--faults: {exc}") from None
    token = args.token or os.environ.get(TOKEN_ENV) or None
    server = SandboxServer(token=token, host=args.host, port=args.port, rate=args.rate,
                           faults=spec, seed_value=args.seed)
    try:
        server.start()
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror}") from None
    print(f"sandbox on {server.url}: {args.rate:g} messages/min, faults: {spec.text or 'none'}")
    print(f"export WORKSTATION_META_URL={server.meta_url} WORKSTATION_X_URL={server.x_url}")
    if token is None:
        # A fresh token for a local stand-in, shown once so the connectors can be pointed at it.
        print(f"export WORKSTATION_META_TOKEN={server.token} WORKSTATION_X_TOKEN={server.token}")
    else:
        print("token: as given (WORKSTATION_META_TOKEN / WORKSTATION_X_TOKEN must match it)")
    sys.stdout.flush()
    try:
        threading.Event().wait()
    finally:
        server.stop()
    return EXIT_OK
