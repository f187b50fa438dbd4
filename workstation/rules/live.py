"""The rules in force for a long-running process: reloaded when the file changes.

A supervisor edits rules.toml while the workstation and the workers run. Each `current()`
call checks the file's modification time; a changed file is loaded in full, and only a file
that loads cleanly replaces the rules in force. A broken file leaves the last good rules in
place and its problems in `problems`, for the screen or the log to show.
"""

from __future__ import annotations

from pathlib import Path

from workstation.rules.load import RulesError, default_path, load
from workstation.rules.model import RuleSet


class LiveRules:
    """The last good rule set of a file, refreshed when the file changes."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = path or default_path()
        self.problems: list[str] = []
        self._stamp = self._mtime()
        self._rules = load(self.path)

    def _mtime(self) -> float:
        try:
            return self.path.stat().st_mtime_ns
        except OSError:
            return -1

    def current(self) -> RuleSet:
        """The rules in force, reloading the file first if it changed since the last call."""
        stamp = self._mtime()
        if stamp != self._stamp:
            self._stamp = stamp
            try:
                self._rules = load(self.path)
                self.problems = []
            except RulesError as exc:
                self.problems = exc.problems
        return self._rules
