"""`workstation rules check`: validate a rules file before it goes live; `rules add`: append
a rule to the rules file in force (previewed over the recent inbox, checked, audited)."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_PARTIAL, EXIT_USAGE, positive

_ADD_EPILOG = """\
ACTION is one of: tag=TAG (repeatable), priority=low|normal|high|urgent,
route=bot|agent|senior|supervisor, hide, review=REASON, reply=TEMPLATE, dm=TEMPLATE, stop.
The rule is appended as the last [[rules]] table of the rules file in force
($WORKSTATION_RULES, else the shipped rules.toml), so it runs after every rule above it (a rule
above with stop = true that fires first keeps it from running). Needs the supervisor role.

example:
  workstation rules add --name free-giveaway --keyword "free giveaway" \\
      --keyword "check my channel" --kind comment --do tag=spam --do hide --dry-run
"""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("rules", help="check the triage rules (rules.toml)")
    actions = p.add_subparsers(title="rules commands", metavar="ACTION", required=True)
    q = actions.add_parser("check", help="validate a rules file; each problem as FILE:LINE: reason")
    q.add_argument("file", nargs="?", type=Path, help="default: the rules file in force")
    q.add_argument("--flows", type=Path, metavar="FILE",
                   help="the flows file qualifiers name (default: the flows file in force)")
    q.set_defaults(func=check)
    a = actions.add_parser(
        "add", help="append a rule (when these words, do that) to the rules file in force",
        epilog=_ADD_EPILOG, formatter_class=argparse.RawDescriptionHelpFormatter)
    a.add_argument("--name", required=True, help="the rule's name: a lower-case slug, unique")
    a.add_argument("--keyword", action="append", default=[], metavar="WORDS",
                   help="a word or phrase the message must hold (repeatable: any of them)")
    a.add_argument("--regex", action="append", default=[], metavar="RE2",
                   help="an RE2 pattern, as rules.toml's `regex` (repeatable)")
    a.add_argument("--platform", action="append", default=[], metavar="P",
                   help="only on this platform (repeatable)")
    a.add_argument("--kind", action="append", default=[], metavar="K",
                   help="only for comment, dm or mention (repeatable)")
    a.add_argument("--lang", action="append", default=[], metavar="LL",
                   help="only in this language, e.g. en (repeatable)")
    a.add_argument("--do", action="append", default=[], metavar="ACTION[=VALUE]", dest="do",
                   help="what the rule does (repeatable; see below)")
    a.add_argument("--from-conversation", type=positive, metavar="ID",
                   help="the conversation the rule comes from (kept in the file and the audit)")
    a.add_argument("--sample", type=positive, default=5000, metavar="N",
                   help="recent customer messages the preview runs the rule over (5000)")
    a.add_argument("--dry-run", action="store_true",
                   help="print the rule's TOML and its preview; write nothing")
    # SUPPRESS: without it this default would overwrite `workstation --agent NAME rules add`.
    a.add_argument("--agent", "--as", metavar="NAME", dest="agent", default=argparse.SUPPRESS,
                   help="who adds it (default: $WORKSTATION_AGENT, else your system login)")
    a.set_defaults(func=add)


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


def _draft(args: argparse.Namespace) -> object:
    """The rule the arguments describe (a UsageError for an action this command lacks)."""
    from ..rules.write import RuleDraft, terms
    from .common import UsageError

    values: dict[str, object] = {"tags": ()}
    for item in args.do:
        key, has_value, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if key in ("hide", "stop"):
            if has_value and value.lower() not in ("true", "yes", "1"):
                raise UsageError(f"--do {key} takes no value")
            values[key] = True
        elif key == "tag":
            if not value:
                raise UsageError("--do tag=TAG needs a tag")
            values["tags"] = (*values["tags"], value)  # type: ignore[misc]
        elif key in ("priority", "route", "review", "reply", "dm"):
            if not value:
                raise UsageError(f"--do {key}=VALUE needs a value")
            values[key] = value
        else:
            raise UsageError(f"--do {item!r}: unknown action (tag, priority, route, hide, "
                             "review, reply, dm, stop)")
    words = tuple(t for k in args.keyword for t in terms(k))
    return RuleDraft(name=args.name, keywords=words, regex=tuple(args.regex),
                     platform=tuple(args.platform), kind=tuple(args.kind),
                     lang=tuple(args.lang), **values)  # type: ignore[arg-type]


def add(args: argparse.Namespace) -> int:
    import getpass
    import os
    from datetime import UTC, datetime

    from ..permissions import PermissionDenied
    from ..rules.write import rule_text
    from ..services import rules as service
    from ..text import inert
    from .common import identity, store

    draft = _draft(args)
    engine = store(args)
    context = service.editor_context(engine, limit=args.sample)
    try:
        found = service.preview_rule(context, draft)  # type: ignore[arg-type]
    except service.RuleRefused as exc:
        for problem in exc.problems:
            print(f"workstation: rule refused: {inert(problem, limit=300)}", file=sys.stderr)
        return EXIT_USAGE
    if args.dry_run:
        who = getattr(args, "agent", None) or os.environ.get("WORKSTATION_AGENT") \
            or getpass.getuser()
        print(f"# would be appended to {context.path}")
        print(rule_text(draft, actor=who, at=datetime.now(UTC),  # type: ignore[arg-type]
                        conversation_id=args.from_conversation), end="")
        print()
        _print_preview(found)
        if context.writable:
            print(f"note: {context.writable}")
        return EXIT_OK
    agent = identity(args, engine)
    try:
        added = service.add_rule(engine, agent, draft,  # type: ignore[arg-type]
                                 path=context.path, conversation_id=args.from_conversation)
    except PermissionDenied as exc:
        print(f"workstation: error: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    except service.NotWritable as exc:
        print(f"workstation: error: {exc}", file=sys.stderr)
        return EXIT_USAGE
    except service.RuleRefused as exc:
        for problem in exc.problems:
            print(f"workstation: rule refused: {inert(problem, limit=300)}", file=sys.stderr)
        return EXIT_USAGE
    _print_preview(found)
    print(f"{added.path}: rule {added.name!r} added ({added.rules} rules); "
          "audited as rules.rule_added")
    return EXIT_OK


def _print_preview(found: object) -> None:
    from ..text import inert

    p = found  # a workstation.rules.preview.Preview
    print(f"preview: matches {p.matched:,} of the last {p.scanned:,} customer messages; "  # type: ignore[attr-defined]
          f"would run on {p.fired:,}")  # type: ignore[attr-defined]
    for name, count in p.stopped_by:  # type: ignore[attr-defined]
        print(f"  {count:,} stopped first by rule {inert(name, limit=60)!r}")
    for m in p.examples:  # type: ignore[attr-defined]
        print(f"  #{m.conversation_id} {m.platform} {m.kind}: {inert(m.text, limit=100)}")
