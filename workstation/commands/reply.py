"""`workstation reply` and `workstation outbox`: what the composer does, from a shell.

`reply` renders a template for a conversation, runs the guardrails and queues the reply in the
outbox (or only shows it with `--dry-run`); `outbox` lists replies and cancels or retries one.
Exit status: 0 done, 1 the reply was refused (a guardrail, a missing slot value, a reply that
can no longer be cancelled), 2 a usage error (unknown conversation, template, agent or slot).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from typing import Any

from .common import EXIT_OK, EXIT_PARTIAL, UsageError, identity, positive, store


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """Add `reply` and `outbox` to the command line."""
    p = sub.add_parser("reply", help="compose a reply from a template and queue it")
    p.add_argument("conversation", type=positive, metavar="CONVERSATION")
    p.add_argument("--template", metavar="ID", help="template id (see `workstation templates`)")
    p.add_argument("--text", help="send this text instead of a template (still checked)")
    p.add_argument("--slot", action="append", default=[], metavar="NAME=VALUE",
                   help="a slot value, e.g. --slot order_no=BL-10482 (repeatable)")
    p.add_argument("--dm", action="store_true", help="send as a private message")
    p.add_argument("--lang", metavar="LL", help="template language (default: the thread's)")
    # SUPPRESS: without it this default would overwrite `workstation --agent NAME reply ...`.
    p.add_argument("--agent", metavar="NAME", default=argparse.SUPPRESS,
                   help="the sending agent's login (default: $WORKSTATION_AGENT; on a store"
                   " with a team, your system login)")
    p.add_argument("--key", metavar="KEY", help="idempotency key: the same key queues once")
    p.add_argument("--seed", type=int, metavar="N", help="make the variant choice reproducible")
    p.add_argument("--dry-run", action="store_true", help="show the reply; queue nothing")
    p.add_argument("--json", action="store_true", help="print the result as one JSON object")
    p.set_defaults(func=reply)

    o = sub.add_parser("outbox", help="list queued and sent replies; cancel or retry one")
    o.set_defaults(func=outbox_list, state=None, conversation=None, limit=30, json=False)
    actions = o.add_subparsers(title="actions", metavar="ACTION")
    listing = actions.add_parser("list", help="list replies, newest first")
    listing.add_argument("--state", choices=("draft", "queued", "sending", "sent", "failed",
                                             "unknown", "cancelled"))
    listing.add_argument("--conversation", type=positive, metavar="ID")
    listing.add_argument("--limit", type=positive, default=30)
    listing.add_argument("--json", action="store_true", help="one JSON object per line")
    listing.set_defaults(func=outbox_list)
    for name, text in (("cancel", "cancel a queued or failed reply"),
                       ("retry", "send a failed reply again")):
        action = actions.add_parser(name, help=text)
        action.add_argument("outbox_id", type=positive, metavar="ID")
        action.add_argument("--agent", metavar="NAME", default=argparse.SUPPRESS)
        action.set_defaults(func=outbox_change, action=name)
    compose = actions.add_parser(
        "compose", help="write the text of the bot's drafted replies and queue them")
    compose.set_defaults(func=outbox_compose)


def _slots(pairs: list[str]) -> dict[str, str]:
    from workstation.replies.slots import SLOT_NAME

    values: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not SLOT_NAME.fullmatch(name.strip()):
            raise UsageError(f"--slot takes NAME=VALUE with a lower-case name; got {pair!r}")
        values[name.strip()] = value
    return values


def reply(args: argparse.Namespace) -> int:
    """Compose, check and (unless --dry-run) queue one reply."""
    from workstation.services import replies
    from workstation.text import inert

    if not args.template and args.text is None:
        raise UsageError("give --template ID (or --text)")
    engine = store(args)
    agent = _sender(args, engine)
    try:
        draft = replies.compose(
            engine, args.conversation, args.template, values=_slots(args.slot),
            text=args.text, channel="dm" if args.dm else None, lang=args.lang,
            agent=agent, seed=args.seed,
        )
    except replies.NotFound as exc:
        raise UsageError(str(exc)) from None
    if args.dry_run or not draft.sendable:
        _show(draft, args.json, queued=None)
        if not draft.sendable:
            for reason in draft.reasons:
                print(inert(f"workstation: blocked: {reason}"), file=sys.stderr)
            return EXIT_PARTIAL
        return EXIT_OK
    try:
        sent = replies.send_reply(engine, draft, idempotency_key=args.key)
    except replies.ReplyBlocked as exc:
        for reason in exc.reasons:
            print(inert(f"workstation: blocked: {reason}"), file=sys.stderr)
        return EXIT_PARTIAL
    except replies.ReplyError as exc:
        raise UsageError(str(exc)) from None
    _show(draft, args.json, queued=sent)
    return EXIT_OK


def _sender(args: argparse.Namespace, engine: Any) -> str | None:
    """`--agent`, else `$WORKSTATION_AGENT`; on a store with a team, else the system login
    (checked against the team); None sends as the command line on a store without one."""
    from workstation import db, permissions

    agent = getattr(args, "agent", None) or os.environ.get("WORKSTATION_AGENT")
    with db.read(engine) as conn:
        team = permissions.has_team(conn)
    return identity(args, engine) if team else agent


def _show(draft: Any, as_json: bool, queued: Any) -> None:
    from workstation.text import inert

    if as_json:
        print(json.dumps({
            "conversation": draft.conversation_id, "template": draft.template_id,
            "lang": draft.lang, "channel": draft.channel, "text": draft.text,
            "variants": dict(draft.choices), "sendable": draft.sendable,
            "reasons": draft.reasons, "codes": [v.code for v in draft.violations],
            "note": draft.note,
            "outbox": None if queued is None else {
                "id": queued.id, "state": queued.state, "key": queued.idempotency_key},
        }, ensure_ascii=False))
        return
    print(inert(draft.text, keep_newlines=True))
    what = f"{draft.template_id} ({draft.lang})" if draft.template_id else "free text"
    print(f"-- {inert(what)}, {draft.channel}, {len(draft.text)} characters")
    if draft.note:
        print(f"-- {draft.note}")
    if queued is not None:
        print(f"queued reply #{queued.id} (key {inert(queued.idempotency_key)})")


def outbox_list(args: argparse.Namespace) -> int:
    """Print outbox rows, newest first."""
    from workstation.clock import iso
    from workstation.services.outbox import list_outbox
    from workstation.text import inert

    rows = list_outbox(store(args), state=args.state, conversation_id=args.conversation,
                       limit=args.limit)
    for row in rows:
        if args.json:
            print(json.dumps({
                "id": row.id, "conversation": row.conversation_id, "channel": row.channel,
                "state": row.state, "attempts": row.attempts, "template": row.template_id,
                "text": row.text, "last_error": row.last_error, "key": row.idempotency_key,
                "created_at": iso(row.created_at), "sent_at": iso(row.sent_at),
            }, ensure_ascii=False))
            continue
        print(inert(f"#{row.id:<6} conv {row.conversation_id:<7} {row.state:<9} {row.channel:<6}"
                    f" {row.template_id or '-':<20} {row.text}", limit=160))
    if not rows and not args.json:
        print("the outbox is empty")
    return EXIT_OK


def outbox_compose(args: argparse.Namespace) -> int:
    """Compose every drafted bot reply (the workers do this before sending)."""
    from workstation.services.replies import compose_drafts

    engine = store(args)
    total = 0
    while handled := compose_drafts(engine):
        total += handled
    print(f"composed {total} drafted replies")
    return 0


def outbox_change(args: argparse.Namespace) -> int:
    """Cancel or retry one reply."""
    from workstation.services import outbox, replies

    engine = store(args)
    actor = _sender(args, engine) or "cli"
    try:
        if args.action == "cancel":
            row = replies.cancel_reply(engine, args.outbox_id, actor=actor)
        else:
            row = outbox.retry(engine, args.outbox_id, actor=actor)
    except KeyError as exc:
        raise UsageError(str(exc.args[0])) from None
    except outbox.OutboxStateError as exc:
        print(f"workstation: {exc}", file=sys.stderr)
        return EXIT_PARTIAL
    print(f"reply #{row.id} is {row.state}")
    return EXIT_OK
