"""`workstation templates`: check and list the reply templates."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from .common import EXIT_OK, EXIT_USAGE

SAMPLE = {
    "first_name": "Alex", "name": "Alex Martin", "handle": "@alex", "product": "Sidamo 250 g",
    "order_no": "BL-10482", "delay": "3 days", "agent": "Sam",
    "link": "https://brulerielumen.fr/p/sidamo", "promo_code": "LUMEN10",
}
"""Values used to try every wording against the guardrails."""


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `templates check` and `templates list` to the command line."""
    p = sub.add_parser("templates", help="check or list the reply templates")
    p.set_defaults(func=lambda args: _list(args), lang=None, json=False, dir=None)
    inner = p.add_subparsers(title="actions", metavar="ACTION")
    check = inner.add_parser(
        "check", help="validate every template; each problem as FILE:LINE: reason, exit 2",
    )
    check.add_argument("dir", nargs="?", metavar="DIR",
                       help="folder of templates (default: the shipped templates/)")
    check.set_defaults(func=_check)
    listing = inner.add_parser("list", help="list the templates")
    listing.add_argument("dir", nargs="?", metavar="DIR")
    listing.add_argument("--lang", metavar="LL", help="only this language")
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=_list)


def _check(args: argparse.Namespace) -> int:
    """Validate the files, then try every wording against the guardrails."""
    from workstation.replies import templates
    from workstation.replies.guardrails import (
        GuardrailConfigError,
        ReplyContext,
        check,
        default_config,
        load_config_file,
    )
    from workstation.replies.render import render_variant
    from workstation.tomllines import SourceMap
    from workstation.text import inert

    found, errors = templates.check(args.dir)
    problems = [str(e) for e in errors]
    try:
        config = load_config_file()
    except GuardrailConfigError as exc:
        problems += exc.lines
        config = default_config()
    for template in found:
        where: SourceMap | None = None
        values = {**SAMPLE, **{name: "example" for name in template.slots}}
        for channel in ("public", "dm"):
            if not template.fits(channel):
                continue
            context = ReplyContext(platform="", channel=channel, kind=channel,
                                   intents=template.intents)
            label = "a public reply" if channel == "public" else "a private message"
            for part in template.parts:
                for variant in part.variants:
                    text = render_variant(template, variant, values)
                    for violation in check(text, context, config):
                        if violation.code in ("length", "dm_window"):
                            continue  # depend on the platform and the thread, not the file
                        where = where or SourceMap(Path(template.path).read_text("utf-8"))
                        line = where.find(variant.text[:30], "parts", part.name)
                        problems.append(f"{template.path}:{line}: part {part.name!r} would be"
                                        f" blocked in {label}: {violation.reason}")
    for line in problems:
        print(inert(line), file=sys.stderr)
    if problems:
        print(f"{len(problems)} problem(s); fix them and run `workstation templates check` again")
        return EXIT_USAGE
    print(f"{len(found)} templates OK ({', '.join(sorted({t.lang for t in found}))})")
    return EXIT_OK


def _list(args: argparse.Namespace) -> int:
    """Print the templates, one per line."""
    from workstation.replies import templates
    from workstation.replies.render import worst_case_length
    from workstation.text import inert

    registry = templates.load(args.dir)
    for t in registry:
        if args.lang and t.lang != args.lang:
            continue
        if args.json:
            print(json.dumps({
                "id": t.id, "lang": t.lang, "channel": t.channel, "intents": list(t.intents),
                "title": t.title, "slots": list(t.slot_names), "path": t.path,
                "max_length": worst_case_length(t),
            }, ensure_ascii=False))
            continue
        print(inert(f"{t.id:<20} {t.lang:<3} {t.channel:<7} {','.join(t.intents) or '-':<22}"
                    f" {t.title}", limit=160))
    return EXIT_OK
