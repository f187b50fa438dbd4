"""`workstation db`: the store's schema."""

from __future__ import annotations

import argparse

from .common import EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("db", help="manage the store's schema")
    actions = p.add_subparsers(title="db commands", metavar="ACTION", required=True)
    q = actions.add_parser("upgrade", help="apply pending migrations (also done at start-up)")
    q.set_defaults(func=upgrade)
    q = actions.add_parser("current", help="print the store's schema revision")
    q.set_defaults(func=current)


def upgrade(args: argparse.Namespace) -> int:
    from ..db import make_engine
    from ..migrate import upgrade as run_upgrade

    before, after = run_upgrade(make_engine(args.db))
    print(f"store at revision {after}" + (f" (was {before or 'empty'})" if before != after else ""))
    return EXIT_OK


def current(args: argparse.Namespace) -> int:
    from .. import db, migrate

    with db.read(db.make_engine(args.db)) as conn:
        revision = migrate.current(conn)
    head = migrate.HEAD
    state = "up to date" if revision == head else f"behind (this program is at {head})"
    print(f"{revision or 'empty'}: {state}")
    return EXIT_OK
