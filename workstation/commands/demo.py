"""`workstation demo`: a believable store to try the workstation on."""

from __future__ import annotations

import argparse
import time

from .common import EXIT_OK, UsageError, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("demo", help="build a demo store (a coffee roaster's inbox)")
    p.add_argument("--reset", action="store_true", help="empty the store first")
    p.add_argument("--size", type=positive, default=3000, help="number of messages")
    p.add_argument("--seed", type=int, default=7, help="same seed, same store")
    p.add_argument(
        "--if-empty",
        action="store_true",
        help="do nothing when the store already has conversations",
    )
    p.set_defaults(func=demo)


def demo(args: argparse.Namespace) -> int:
    from ..demo.build import DemoError, build_demo, has_conversations

    engine = store(args)
    if args.if_empty and not args.reset and has_conversations(engine):
        return EXIT_OK
    started = time.monotonic()
    try:
        summary = build_demo(engine, size=args.size, seed=args.seed, reset_first=args.reset)
    except DemoError as exc:
        raise UsageError(str(exc)) from None
    print(f"{summary} in {time.monotonic() - started:.1f} s")
    return EXIT_OK
