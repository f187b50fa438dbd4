"""`workstation ...`: the command line.

Conventions for every command: `--help`; errors are one line on stderr (a traceback only with
`--debug`); exit 0 when all went well, 1 when some input was rejected, 2 for a usage or
configuration error.
"""

from __future__ import annotations

import argparse
import json
import re
import sys
import time
from collections.abc import Callable, Sequence
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

from . import __version__

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line or configuration: exit 2."""


def main(argv: Sequence[str] | None = None) -> int:
    """Entry point of the `workstation` console script."""
    parser = _parser()
    args = parser.parse_args(argv)
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

        print(f"workstation: error: {_one_line(exc)}", file=sys.stderr)
        return EXIT_USAGE if isinstance(exc, (UsageError, ConfigError, OSError)) else 1


def _one_line(exc: BaseException) -> str:
    from .text import inert

    text = str(getattr(exc, "orig", None) or exc).strip() or type(exc).__name__
    return inert(text.splitlines()[0], limit=300)


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="workstation",
        description="A keyboard-driven inbox for the team that runs a brand's social media.",
        epilog="Run without a command to open the workstation on the store.",
    )
    parser.add_argument("--version", action="version", version=f"workstation {__version__}")
    parser.add_argument(
        "--db", metavar="URL",
        help="store URL (sqlite:///path or postgresql://user@host/db); default: $WORKSTATION_DB,"
        " else $XDG_DATA_HOME/workstation/workstation.db",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks on errors")
    parser.set_defaults(func=_cmd_open)
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")

    p = sub.add_parser("db", help="manage the store's schema")
    dbsub = p.add_subparsers(title="db commands", metavar="ACTION", required=True)
    q = dbsub.add_parser("upgrade", help="apply pending migrations (also done at start-up)")
    q.set_defaults(func=_cmd_db_upgrade)
    q = dbsub.add_parser("current", help="print the store's schema revision")
    q.set_defaults(func=_cmd_db_current)

    p = sub.add_parser("ingest", help="take events (JSON lines) into the store")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--batch", type=_positive, default=2000, help="lines per transaction")
    p.add_argument("--no-progress", action="store_true", help="never draw a progress bar")
    p.set_defaults(func=_cmd_ingest)

    p = sub.add_parser("triage", help="print the verdict of every event, storing nothing")
    p.add_argument("file", metavar="FILE|-", help="event file, or - for standard input")
    p.add_argument("--json", action="store_true", help="one JSON verdict per line")
    p.set_defaults(func=_cmd_triage)

    p = sub.add_parser("audit", help="list the audit trail")
    p.add_argument("--conversation", type=_positive, metavar="ID")
    p.add_argument("--actor", metavar="NAME")
    p.add_argument("--since", type=_since, metavar="WHEN",
                   help="an RFC 3339 time or date, or an age such as 30m, 2h, 7d")
    p.add_argument("--limit", type=_positive, metavar="N", help="only the newest N events")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    p.set_defaults(func=_cmd_audit)

    p = sub.add_parser("demo", help="build a demo store (a coffee roaster's inbox)")
    p.add_argument("--reset", action="store_true", help="empty the store first")
    p.add_argument("--size", type=_positive, default=3000, help="number of messages")
    p.add_argument("--seed", type=int, default=7, help="same seed, same store")
    p.add_argument("--if-empty", action="store_true",
                   help="do nothing when the store already has conversations")
    p.set_defaults(func=_cmd_demo)

    p = sub.add_parser("queue", help="print the open conversations in SLA order")
    p.add_argument("--limit", type=_positive, default=40)
    p.set_defaults(func=_cmd_queue)
    return parser


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


_AGE = re.compile(r"(\d+)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def _since(text: str) -> datetime:
    from .clock import to_utc, utcnow

    match = _AGE.fullmatch(text.strip())
    if match:
        return utcnow() - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time or an age: {text!r}") from None


def _store(args: argparse.Namespace) -> Any:
    from .db import open_store

    return open_store(args.db)


def _open_input(path: str, stack: ExitStack) -> tuple[IO[bytes], str, int | None]:
    """The input stream, its name for error lines, and its size when known."""
    if path == "-":
        return sys.stdin.buffer, "-", None
    file = Path(path)
    if file.is_dir():
        raise UsageError(f"{path}: is a directory")
    try:
        stream = stack.enter_context(file.open("rb"))
    except FileNotFoundError:
        raise UsageError(f"{path}: no such file") from None
    except PermissionError:
        raise UsageError(f"{path}: permission denied") from None
    return stream, path, file.stat().st_size


class _Progress:
    """A one-line progress bar on stderr, drawn only on a terminal, at most 10 times a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.last = 0.0
        self.start = time.monotonic()

    def __call__(self, done: int, total: int | None) -> None:
        if not self.enabled:
            return
        now = time.monotonic()
        if now - self.last < 0.1:
            return
        self.last = now
        rate = done / max(now - self.start, 1e-6) / 1e6
        if total:
            share = min(done / total, 1.0)
            bar = "█" * int(share * 30)
            sys.stderr.write(f"\r{bar:<30} {share:4.0%}  {rate:5.1f} MB/s")
        else:
            sys.stderr.write(f"\r{done / 1e6:8.1f} MB  {rate:5.1f} MB/s")
        sys.stderr.flush()

    def close(self) -> None:
        if self.enabled and self.last:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()


def _print_reject(line: str) -> None:
    print(line, file=sys.stderr)


def _cmd_ingest(args: argparse.Namespace) -> int:
    from .ingest import Ingestor, read_lines

    engine = _store(args)
    with ExitStack() as stack:
        stream, name, size = _open_input(args.file, stack)
        progress = _Progress(not args.no_progress)
        ingestor = Ingestor(engine, source=name, on_reject=_progress_safe(progress, _print_reject))
        try:
            report = ingestor.run(read_lines(stream, size, progress), batch=args.batch)
        finally:
            progress.close()
    print(report.summary())
    return EXIT_PARTIAL if report.rejected else EXIT_OK


def _progress_safe(progress: _Progress, emit: Callable[[str], None]) -> Callable[[str], None]:
    def wrapped(line: str) -> None:
        if progress.enabled and progress.last:
            sys.stderr.write("\r\033[K")
        emit(line)

    return wrapped


def _cmd_triage(args: argparse.Namespace) -> int:
    from .clock import utcnow
    from .events import Rejected, parse_line
    from .pipeline import Pipeline
    from .text import inert

    pipeline = Pipeline()
    rejected = 0
    out = sys.stdout
    now = utcnow()
    with ExitStack() as stack:
        stream, name, _size = _open_input(args.file, stack)
        for line_no, raw in enumerate(stream, start=1):
            event = parse_line(raw, line_no, now)
            if event is None:
                continue
            if isinstance(event, Rejected):
                rejected += 1
                print(f"{name}:{line_no}: {event.reason}", file=sys.stderr)
                if args.json:
                    out.write(json.dumps({"line": line_no, "error": event.reason}) + "\n")
                continue
            verdict = pipeline.run(event)
            if args.json:
                out.write(json.dumps(verdict.to_json(), ensure_ascii=False) + "\n")
            else:
                v = verdict.to_json()
                out.write(
                    f"{inert(event.id, limit=24):<24} {v['lang']:<3} {v['sentiment']['label']:<8} "
                    f"{v['priority']:<7} {v['moderation']['verdict']:<7} "
                    f"{','.join(v['intents']) or '-'}\n"
                )
    return EXIT_PARTIAL if rejected else EXIT_OK


def _cmd_audit(args: argparse.Namespace) -> int:
    from .audit import list_events
    from .text import inert

    events = list_events(_store(args), conversation_id=args.conversation, actor=args.actor,
                         since=args.since, limit=args.limit)
    for event in events:
        if args.json:
            print(json.dumps(event.to_json(), ensure_ascii=False))
            continue
        target = f"{event.target_kind}:{event.target_id}" if event.target_kind else "-"
        details = json.dumps(event.details, ensure_ascii=False) if event.details else ""
        print(inert(f"{event.at:%Y-%m-%d %H:%M:%S}  {event.actor_kind:<6} {event.actor:<12} "
                    f"{event.action:<24} {target:<18} {details}", limit=400))
    return EXIT_OK


def _cmd_db_upgrade(args: argparse.Namespace) -> int:
    from .db import make_engine
    from .migrate import upgrade

    before, after = upgrade(make_engine(args.db))
    print(f"store at revision {after}" + (f" (was {before or 'empty'})" if before != after else ""))
    return EXIT_OK


def _cmd_db_current(args: argparse.Namespace) -> int:
    from . import db, migrate

    with db.read(db.make_engine(args.db)) as conn:
        revision = migrate.current(conn)
    head = migrate.head()
    state = "up to date" if revision == head else f"behind (this program is at {head})"
    print(f"{revision or 'empty'}: {state}")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from .demo.build import build_demo, has_conversations

    engine = _store(args)
    if args.if_empty and not args.reset and has_conversations(engine):
        return EXIT_OK
    started = time.monotonic()
    summary = build_demo(engine, size=args.size, seed=args.seed, reset=args.reset)
    print(f"{summary} in {time.monotonic() - started:.1f} s")
    return EXIT_OK


def _cmd_queue(args: argparse.Namespace) -> int:
    from .clock import utcnow
    from .services.queue import open_queue
    from .text import inert

    now = utcnow()
    rows = open_queue(_store(args), limit=args.limit)
    for row in rows:
        print(
            f"{_countdown(row.sla_due_at, now):>8} {row.priority.name.lower():<7} "
            f"{row.platform:<10} {row.kind:<8} "
            f"{inert(('★ ' if row.vip else '') + row.author, limit=20):<20} "
            f"{inert(','.join(row.intents), limit=18):<18} {inert(row.last_text, limit=60)}"
        )
    if not rows:
        print("the queue is empty")
    return EXIT_OK


def _countdown(due: datetime | None, now: datetime) -> str:
    if due is None:
        return "-"
    seconds = int((due - now).total_seconds())
    sign = "-" if seconds < 0 else ""
    seconds = abs(seconds)
    if seconds >= 86400:
        text = f"{seconds // 86400}d{seconds % 86400 // 3600:02d}h"
    else:
        text = f"{seconds // 3600}h{seconds % 3600 // 60:02d}m"
    return sign + text


def _cmd_open(args: argparse.Namespace) -> int:
    # The Textual screens arrive with the TUI issue; until then the queue is printed.
    return _cmd_queue(argparse.Namespace(**vars(args), limit=40))


if __name__ == "__main__":
    sys.exit(main())
