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
    from ..replies.guardrail_config import GuardrailConfigError, load_config_file
    from ..rules import RulesError, default_path, load
    from ..text import inert

    path = args.file or default_path()
    problems: list[str] = []
    flow_ids, flow_problems = _flow_ids(args.flows)
    try:
        ruleset = load(path, template_ids=_template_ids(), flow_ids=flow_ids)
    except RulesError as exc:
        problems.extend(exc.problems)
    problems.extend(flow_problems)
    try:
        load_config_file(path)
    except GuardrailConfigError as exc:
        problems.extend(line for line in exc.lines if line not in problems)
    except OSError:
        pass  # already reported by the rules loader
    for problem in problems:
        print(inert(problem), file=sys.stderr)
    if problems:
        return EXIT_USAGE
    print(f"{path}: ok ({len(ruleset.intents)} intents, {len(ruleset.rules)} rules, "
          f"{len(ruleset.sla)} SLA policies)")
    return EXIT_OK


def _flow_ids(path: Path | None) -> tuple[set[str] | None, list[str]]:
    """The qualifier flows rules may name, or the flows file's problems (a qualifier cannot
    be checked against a file that does not load)."""
    from ..leads.config import FlowsError, default_path, load

    try:
        return set(load(path or default_path()).flows), []
    except FlowsError as exc:
        return None, list(exc.problems)


def _template_ids() -> set[str] | None:
    """The reply templates rules may name (None when the templates cannot be read)."""
    from ..replies import templates

    try:
        return set(templates.load().ids())
    except Exception:  # broken templates are `templates check`'s to report
        return None
