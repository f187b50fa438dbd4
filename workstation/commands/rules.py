"""`workstation rules check`: validate a rules file before it goes live."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_USAGE


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="check the triage rules (rules.toml)")
    actions = p.add_subparsers(title="rules commands", metavar="ACTION", required=True)
    q = actions.add_parser("check", help="validate a rules file; each problem as FILE:LINE: reason")
    q.add_argument("file", nargs="?", type=Path, help="default: the rules file in force")
    q.add_argument("--flows", type=Path, metavar="FILE",
                   help="the flows file qualifiers name (default: the flows file in force)")
    q.set_defaults(func=check)


def check(args: argparse.Namespace) -> int:
    from ..rules import default_path
    from ..rules.check import check_file
    from ..text import inert

    path = args.file or default_path()
    ruleset, problems = check_file(path, flows=args.flows)
    for problem in problems:
        print(inert(problem), file=sys.stderr)
    if ruleset is None:
        return EXIT_USAGE
    print(f"{path}: ok ({len(ruleset.intents)} intents, {len(ruleset.rules)} rules, "
          f"{len(ruleset.sla)} SLA policies)")
    return EXIT_OK
