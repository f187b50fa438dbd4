"""`workstation sync`: the background workers in the foreground."""

from __future__ import annotations

import argparse
import logging
import signal
import sys
from datetime import timedelta
from types import FrameType

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, positive, store


JOBS_HELP = (
    "poll (every 1s): new messages from every configured connector, through ingest; "
    "flows (1s): start the qualifier flows ingest asked for; "
    "send (1s): compose the bot's drafts, reconcile, send the outbox; "
    "sla (30s): warn before an SLA breach, escalate on breach; "
    "reminders (30s): act on due reminders; "
    "wake (60s): reopen snoozed conversations whose time has come; "
    "snapshots (900s): KPI values per day and week; "
    "crm (30s): push leads to the CRM; "
    "alerts (60s): reputation alerts"
)
"""The job list for `--help`, written out: importing the workers to list them would cost every
command a second at start-up (a test keeps it in step with `workers.jobs.JOBS`)."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser(
        "sync", help="run the background workers (sync, send, SLA sweeper, reminders...)",
        description="Lead the workers of the store, or stand by while another process leads"
        " and take over when it stops. Runs until interrupted (SIGINT or SIGTERM: a clean"
        f" stop that frees the lease at once). Jobs: {JOBS_HELP}.")
    p.add_argument("--once", action="store_true",
                   help="run each job once and exit (1 if a job failed or another process"
                   " leads)")
    p.add_argument("--only", metavar="JOB,...", help="run only these jobs")
    p.add_argument("--lease", metavar="SECONDS", type=positive, default=15,
                   help="how long the leadership lasts without renewal; renewals and a"
                   " standby's attempts come three times as often (default: 15)")
    p.set_defaults(func=sync)


def sync(args: argparse.Namespace) -> int:
    from ..workers import Workers, configured_connectors, jobs

    try:
        chosen = jobs.select(args.only)
    except ValueError as exc:
        raise UsageError(str(exc)) from None
    engine = store(args)
    log = _logger(args.debug)
    connectors = configured_connectors(engine)
    period = args.lease / 3
    workers = Workers(engine, jobs=chosen, connectors=connectors, log=log.info, own=True,
                      ttl=timedelta(seconds=args.lease), renew_every=period,
                      standby_every=period)
    if connectors:
        log.info("connectors: " + ", ".join(
            f"{c.name} ({', '.join(c.streams())})" for c in connectors))
    else:
        log.info("no connector configured: nothing is polled or sent (see README, Connectors)")
    if args.once:
        ok = workers.run_once()
        if ok is None:
            from ..workers.lease import current

            held = current(engine)
            print(f"workstation sync: another process leads ({held.holder if held else '?'});"
                  " nothing was run", file=sys.stderr)
            return EXIT_PARTIAL
        return EXIT_OK if ok else EXIT_PARTIAL

    def stop(signum: int, _frame: FrameType | None) -> None:
        log.info(f"{signal.Signals(signum).name}: stopping")
        workers.stopping.set()

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    workers.run()
    log.info("stopped")
    return EXIT_OK


def _logger(debug: bool) -> logging.Logger:
    logger = logging.getLogger("workstation.workers")
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(message)s", "%H:%M:%S"))
    logger.addHandler(handler)
    logger.setLevel(logging.DEBUG if debug else logging.INFO)
    logger.propagate = False
    return logger
