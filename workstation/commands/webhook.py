"""`workstation webhook`: receive Meta webhooks into the store until stopped.

Meta needs a public HTTPS URL: run this behind the TLS proxy that has one (it listens on
127.0.0.1 by default) and give Meta that proxy's URL as the callback.
"""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from typing import Any

from .common import EXIT_OK, UsageError, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("webhook", help="receive Meta webhooks (comments, DMs) into the store")
    p.add_argument("--port", type=int, default=8788, help="port to listen on (default 8788)")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1, behind a TLS proxy)")
    p.add_argument("--max-body", type=positive, default=4 * 1024 * 1024, metavar="BYTES",
                   help="largest delivery taken (default 4 MiB)")
    p.add_argument("--quiet", action="store_true", help="log refusals and errors only")
    p.set_defaults(func=webhook)


def webhook(args: argparse.Namespace) -> int:
    from ..webhooks.config import load_secrets
    from ..webhooks.server import WebhookServer

    if not 0 <= args.port <= 65535:
        raise UsageError(f"--port must be between 0 and 65535, got {args.port}")
    secrets = load_secrets()
    engine = store(args)
    logging.basicConfig(stream=sys.stderr, format="%(asctime)s %(message)s",
                        level=logging.WARNING if args.quiet else logging.INFO)
    if not secrets.verify_token:
        logging.getLogger("workstation.webhooks").warning(
            "webhook: no verify token (WORKSTATION_META_VERIFY_TOKEN): every handshake is"
            " refused; deliveries are still taken")
    server = WebhookServer(engine, secrets, host=args.host, port=args.port,
                           max_body=args.max_body)
    print(f"workstation: receiving Meta webhooks on {server.url} (ctrl+c stops)",
          file=sys.stderr)
    # systemd and `kill` stop it with SIGTERM: finish what was accepted, as for ctrl+c.
    signal.signal(signal.SIGTERM, _interrupt)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return EXIT_OK


def _interrupt(_signum: int, _frame: Any) -> None:
    raise KeyboardInterrupt
