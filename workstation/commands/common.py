"""What the commands share: exit codes, argument types, input files, the store, progress."""

from __future__ import annotations

import argparse
import re
import sys
import time
from contextlib import ExitStack
from datetime import datetime, timedelta
from pathlib import Path
from typing import IO, Any

EXIT_OK, EXIT_PARTIAL, EXIT_USAGE = 0, 1, 2


class UsageError(Exception):
    """A mistake in the command line or configuration: exit 2."""


def positive(text: str) -> int:
    """argparse type: a whole number above zero."""
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value <= 0:
        raise argparse.ArgumentTypeError(f"must be positive: {text!r}")
    return value


_AGE = re.compile(r"(\d+)([smhdw])")
_UNITS = {"s": "seconds", "m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


def since(text: str) -> datetime:
    """argparse type: an RFC 3339 time or date, or an age such as `30m`, `2h`, `7d`."""
    from ..clock import to_utc, utcnow

    match = _AGE.fullmatch(text.strip())
    if match:
        return utcnow() - timedelta(**{_UNITS[match.group(2)]: int(match.group(1))})
    try:
        return to_utc(datetime.fromisoformat(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a time or an age: {text!r}") from None


def store(args: argparse.Namespace) -> Any:
    """The store named by `--db` (or the environment, or the default), migrated."""
    from ..db import open_store

    return open_store(args.db)


def open_input(path: str, stack: ExitStack) -> tuple[IO[bytes], str, int | None]:
    """The input stream, its name for error lines, and its size when known.

    Raises:
        UsageError: the file is missing, a directory, or unreadable.
    """
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


class Progress:
    """A one-line progress bar on stderr, drawn only on a terminal, at most 10 times a second."""

    def __init__(self, enabled: bool) -> None:
        self.enabled = enabled and sys.stderr.isatty()
        self.drawn = False
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
            line = f"{'█' * int(share * 30):<30} {share:4.0%}  {rate:5.1f} MB/s"
        else:
            line = f"{done / 1e6:8.1f} MB  {rate:5.1f} MB/s"
        sys.stderr.write(f"\r{line}")
        sys.stderr.flush()
        self.drawn = True

    def clear(self) -> None:
        """Erase the bar so that a message can take its line."""
        if self.drawn:
            sys.stderr.write("\r\033[K")
            sys.stderr.flush()
            self.drawn = False


def identity(args: argparse.Namespace, engine: Any) -> str:
    """Who is acting: `--agent`, else `$WORKSTATION_AGENT`, else the system login; checked
    against the team (the first person on a store with no agent becomes its admin).

    Raises:
        PermissionDenied: the store has a team and this login is not an active member.
    """
    import getpass
    import os

    from ..services.identity import is_active_member

    name = getattr(args, "agent", None) or os.environ.get("WORKSTATION_AGENT") or getpass.getuser()
    if is_active_member(engine, name):
        return name  # the usual case, without importing the store's models
    from ..services.agents import identify

    return identify(engine, name)


def print_record(data: dict[str, Any], *, as_json: bool, limit: int = 600) -> None:
    """One record of `show`: a JSON object, or a line per field with the untrusted text inert."""
    import json

    from ..text import inert

    if as_json:
        print(json.dumps(data, ensure_ascii=False))
        return
    for key, item in data.items():
        shown = json.dumps(item, ensure_ascii=False) if isinstance(item, dict | list) else item
        print(inert(f"{key:<16} {shown}", limit=limit))
