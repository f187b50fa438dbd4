"""`workstation ...`: the command line.

Conventions for every command: `--help`; errors are one line on stderr (a traceback only with
`--debug`); exit 0 when all went well, 1 when some input was rejected, 2 for a usage or
configuration error. Commands live in `workstation/commands/`, one module per group.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Callable, Sequence
from typing import Any

from . import __version__
from .commands.common import EXIT_OK, EXIT_USAGE, UsageError

COMMANDS = ("ingest", "triage", "queue", "reply", "templates", "audit", "rules", "demo", "db",
            "webhook", "crm", "sandbox", "sync", "leads", "ugc",
            "campaigns", "report", "alerts",
            "agents", "claims")
"""Command modules, in the order `--help` lists them."""


UiOpener = Callable[..., None]
"""`open_ui(engine, agent, workers=True)`: runs the full-screen workstation on an engine as an
agent, with or without the background workers in-process; `screens.launcher` supplies it."""


def main(argv: Sequence[str] | None = None, *, open_ui: UiOpener | None = None) -> int:
    """The command line; without a command, `open_ui` opens the workstation (the core never
    imports the UI: the console script enters through `screens.launcher`, which passes it)."""
    args = parser().parse_args(argv)
    args.open_ui = open_ui
    try:
        return int(args.func(args) or 0)
    except KeyboardInterrupt:
        print("workstation: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # `workstation audit | head`: the reader left; nothing is wrong.
        sys.stderr.close()
        return EXIT_OK
    except Exception as exc:
        if args.debug:
            raise
        from .db import ConfigError
        from .rules.load import RulesError

        if isinstance(exc, RulesError):
            from .text import inert

            for problem in exc.problems:
                print(inert(problem), file=sys.stderr)
            return EXIT_USAGE
        print(f"workstation: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, (UsageError, ConfigError, OSError)) else 1


def _one_line(exc: BaseException) -> str:
    from .text import inert

    text = str(getattr(exc, "orig", None) or exc).strip() or type(exc).__name__
    return inert(text.splitlines()[0], limit=300)


def parser() -> argparse.ArgumentParser:
    """The whole command line."""
    top = argparse.ArgumentParser(
        prog="workstation",
        description="A keyboard-driven inbox for the team that runs a brand's social media.",
        epilog="Run without a command to open the workstation on the store.",
    )
    top.add_argument("--version", action="version", version=f"workstation {__version__}")
    top.add_argument(
        "--db",
        metavar="URL",
        help="store URL (sqlite:///path or postgresql://user@host/db); default: $WORKSTATION_DB,"
        " else $XDG_DATA_HOME/workstation/workstation.db",
    )
    top.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    top.add_argument("--agent", metavar="NAME",
                     help="who you are (an agent's login); default: your system login")
    top.add_argument("--no-workers", action="store_true",
                     help="do not run the background workers inside the workstation (when"
                     " `workstation sync` runs them elsewhere, or to look without syncing)")
    top.add_argument("--sandbox", action="store_true",
                     help="also run the sandbox platform in this process and point the"
                     " connectors at it: a live queue to try the workstation on")
    top.set_defaults(func=_open)
    sub = top.add_subparsers(title="commands", metavar="COMMAND")
    for name in COMMANDS:
        importlib.import_module(f"workstation.commands.{name}").register(sub)
    return top


def _open(args: argparse.Namespace) -> int:
    """Open the workstation; without a terminal (a pipe, a script) print the queue instead."""
    if args.open_ui is None or not (sys.stdin.isatty() and sys.stdout.isatty()):
        from .commands.queue import queue

        args.limit = 40
        return queue(args)
    from .commands.common import identity, store

    engine = store(args)
    agent = identity(args, engine)
    sandbox = _start_sandbox() if args.sandbox else None
    try:
        args.open_ui(engine, agent, workers=not args.no_workers)
    finally:
        if sandbox is not None:
            sandbox.stop()
    return EXIT_OK


def _start_sandbox() -> Any:
    """The sandbox platform on a free local port, with the connectors of this process pointed
    at it (its token is made afresh each run and never leaves this process)."""
    import os

    from .sandbox import SandboxServer

    server = SandboxServer(port=0, rate=6.0).start()
    os.environ.update({
        "WORKSTATION_META_URL": server.meta_url, "WORKSTATION_META_TOKEN": server.token,
        "WORKSTATION_X_URL": server.x_url, "WORKSTATION_X_TOKEN": server.token,
    })
    return server


if __name__ == "__main__":
    sys.exit(main())
