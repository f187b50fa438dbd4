"""`workstation leads`: the leads, their stages, the bot's transcripts, and flows.toml."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from datetime import timedelta
from pathlib import Path

from .common import (
    EXIT_OK, EXIT_USAGE, UsageError, identity, positive, print_record, since, store,
)

_STAGES = ("new", "qualifying", "qualified", "hot", "customer", "lost")
_CSV = ("id", "conversation_id", "stage", "platform", "campaign", "promo_codes", "owner",
        "value", "crm_id", "crm_state", "created_at", "updated_at")


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    p = sub.add_parser("leads", help="list and move leads, review the bot's qualifier flows")
    p.set_defaults(func=list_command, stage=None, since=None, limit=None, json=False,
                   csv=False)
    _listing(p)
    actions = p.add_subparsers(title="leads commands", metavar="ACTION")
    _listing(actions.add_parser("list", help="leads, newest first"))
    q = actions.add_parser("show", help="one lead: answers, flow, reminders, CRM state")
    q.add_argument("lead", type=positive, metavar="ID")
    q.add_argument("--json", action="store_true")
    q.set_defaults(func=show)
    q = actions.add_parser("stage", help="move a lead to a stage")
    q.add_argument("lead", type=positive, metavar="ID")
    q.add_argument("stage", choices=_STAGES)
    q.add_argument("--reason", default="", help="why, for the audit trail")
    q.set_defaults(func=stage)
    q = actions.add_parser("owner", help="give a lead to an agent (no AGENT: to nobody)")
    q.add_argument("lead", type=positive, metavar="ID")
    q.add_argument("owner", nargs="?", default="", metavar="AGENT")
    q.set_defaults(func=owner)
    q = actions.add_parser("value", help="set what a lead is worth")
    q.add_argument("lead", type=positive, metavar="ID")
    q.add_argument("value", type=float, metavar="AMOUNT")
    q.set_defaults(func=value)
    q = actions.add_parser("review", help="the bot's qualifier transcripts, for supervisors")
    q.add_argument("--week", action="store_true", help="this calendar week (from Monday)")
    q.add_argument("--since", type=since, metavar="WHEN",
                   help="an RFC 3339 time or date, or an age such as 2d (default: 7d)")
    q.add_argument("--status", choices=("active", "done", "sales", "handoff", "stopped"))
    q.add_argument("--json", action="store_true", help="one JSON object per line")
    q.set_defaults(func=review)
    q = actions.add_parser("check", help="validate a flows file; each problem as FILE:LINE")
    q.add_argument("file", nargs="?", type=Path, help="default: the flows file in force")
    q.set_defaults(func=check)


def _listing(p: argparse.ArgumentParser) -> None:
    p.add_argument("--stage", choices=_STAGES)
    p.add_argument("--since", type=since, metavar="WHEN", help="created since (time or age)")
    p.add_argument("--limit", type=positive, metavar="N")
    out = p.add_mutually_exclusive_group()
    out.add_argument("--json", action="store_true", help="one JSON object per line")
    out.add_argument("--csv", action="store_true", help="CSV with a header line")
    p.set_defaults(func=list_command)


def _call(fn, *args, **kwargs):  # type: ignore[no-untyped-def]
    from ..services.leads import LeadError

    try:
        return fn(*args, **kwargs)
    except LeadError as exc:
        raise UsageError(str(exc)) from None


def list_command(args: argparse.Namespace) -> int:
    from ..services.leads import list_leads
    from ..text import csv_cell, inert

    rows = _call(list_leads, store(args), stage=args.stage, since=args.since, limit=args.limit)
    if args.csv:
        writer = csv.writer(sys.stdout)
        writer.writerow(_CSV)
        for lead in rows:
            data = lead.to_json()
            writer.writerow([csv_cell(data.get(k)) for k in _CSV[:5]] + [csv_cell(v) for v in (
                " ".join(lead.promo_codes), lead.owner, lead.value, lead.crm_id,
                lead.crm_state, data["created_at"], data["updated_at"])])
        return EXIT_OK
    for lead in rows:
        if args.json:
            print(json.dumps(lead.to_json(), ensure_ascii=False))
            continue
        print(inert(f"#{lead.id:<6} {lead.stage:<10} {lead.platform:<10} "
                    f"conv {lead.conversation_id:<7} {lead.campaign or '-':<16} "
                    f"{lead.owner or '-':<10} {lead.value:>9.2f}  crm {lead.crm_state or '-'}",
                    limit=200))
    return EXIT_OK


def show(args: argparse.Namespace) -> int:
    from ..services.leads import for_conversation, get

    engine = store(args)
    lead = _call(get, engine, args.lead)
    panel = for_conversation(engine, lead.conversation_id)
    data = lead.to_json()
    if panel is not None:
        data["flow"] = {"id": panel.flow, "status": panel.flow_status,
                        "reason": panel.flow_reason}
        data["reminders"] = {"sent": panel.reminders_sent,
                             "next": panel.next_reminder.isoformat()
                             if panel.next_reminder else None}
    print_record(data, as_json=args.json, limit=400)
    return EXIT_OK


def stage(args: argparse.Namespace) -> int:
    from ..services.leads import set_stage

    engine = store(args)
    lead = _call(set_stage, engine, args.lead, args.stage, actor=identity(args, engine),
                 reason=args.reason)
    print(f"lead #{lead.id}: {lead.stage}")
    return EXIT_OK


def owner(args: argparse.Namespace) -> int:
    from ..services.leads import set_owner
    from ..text import inert

    engine = store(args)
    lead = _call(set_owner, engine, args.lead, args.owner or None,
                 actor=identity(args, engine))
    print(inert(f"lead #{lead.id}: owner {lead.owner or '-'}"))
    return EXIT_OK


def value(args: argparse.Namespace) -> int:
    from ..services.leads import set_value

    engine = store(args)
    lead = _call(set_value, engine, args.lead, args.value, actor=identity(args, engine))
    print(f"lead #{lead.id}: value {lead.value:.2f}")
    return EXIT_OK


def review(args: argparse.Namespace) -> int:
    from ..clock import utcnow
    from ..services.lead_review import transcripts
    from ..text import inert

    now = utcnow()
    start = args.since or now - timedelta(days=7)
    if args.week:
        start = (now - timedelta(days=now.weekday())).replace(hour=0, minute=0, second=0,
                                                              microsecond=0)
    engine = store(args)
    for item in transcripts(engine, since=start, status=args.status,
                            actor=identity(args, engine)):
        if args.json:
            print(json.dumps(item.to_json(), ensure_ascii=False))
            continue
        print(inert(f"── flow #{item.id} {item.flow} · lead #{item.lead_id} · {item.platform}/"
                    f"{item.lang} · {item.status}: {item.end_reason or '-'} · "
                    f"{item.asked} question(s), {item.off_script} off-script"))
        for line in item.lines:
            who = {"bot": "BOT", "customer": "customer"}.get(line.author, line.author)
            text = " / ".join(part for part in line.text.splitlines() if part.strip())
            print(inert(f"  {line.at:%Y-%m-%d %H:%M}  {who:<8} {text}", limit=300))
    return EXIT_OK


def check(args: argparse.Namespace) -> int:
    from ..leads.config import FlowsError, default_path, load
    from ..replies import templates
    from ..text import inert

    path = args.file or default_path()
    try:
        book = load(path)
    except FlowsError as exc:
        for problem in exc.problems:
            print(inert(problem), file=sys.stderr)
        return EXIT_USAGE
    known = set(templates.load().ids())
    missing = [name for name in (book.handoff_template, book.reminder_template,
                                 book.ugc_template) if name not in known]
    for name in missing:
        print(inert(f"{path}: unknown template {name!r}"), file=sys.stderr)
    if missing:
        return EXIT_USAGE
    print(f"{path}: ok ({len(book.flows)} flows)")
    return EXIT_OK
