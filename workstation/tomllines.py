"""Line numbers for TOML keys, so that every error can say `FILE:LINE: reason`.

`tomllib` gives values, not positions, and only knows lines for syntax errors. The people who
edit rules.toml, kpis.toml and templates are not programmers: "line 14" is what lets them fix
a mistake. This scans the source once and records where each table header and each key
starts. `[[rules]]` entries are numbered in order, as the parsed list is; keys inside an
inline table (`when = { vip = true }`) get the line of their table; a path that is not found
falls back to its nearest located parent.
"""

from __future__ import annotations

import re
import tomllib
from collections.abc import Iterable
from pathlib import Path as FilePath
from typing import Any, Protocol, TypeVar

Path = tuple[str | int, ...]
T = TypeVar("T", covariant=True)

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")
_INLINE_KEY = re.compile(rf"({_PART})\s*=")
_AT_LINE = re.compile(r"at line (\d+)")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', dotted)
    return tuple(a or b or c for a, b, c in parts)


class SourceMap:
    """Where each table and key of a TOML document is defined."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[Path, int] = {}
        counts: dict[tuple[str, ...], int] = {}
        table: Path = ()
        in_string = False
        for number, line in enumerate(self.lines, start=1):
            if in_string:
                in_string = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                parts = _split_key(header.group(2))
                if header.group(1) == "[[":
                    index = counts.get(parts, 0)
                    counts[parts] = index + 1
                    table = (*parts, index)
                else:
                    table = parts
                self.keys.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if not key:
                continue
            path = (*table, *_split_key(key.group(1)))
            self.keys.setdefault(path, number)
            rest = line[key.end():]
            if rest.lstrip().startswith("{"):
                for inner in _INLINE_KEY.finditer(rest):
                    self.keys.setdefault((*path, *_split_key(inner.group(1))), number)
            if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                in_string = True

    def line_of(self, *path: str | int) -> int:
        """The line defining `path`, else the nearest enclosing key's line, else 1."""
        for size in range(len(path), 0, -1):
            found = self.keys.get(tuple(path[:size]))
            if found:
                return found
        return 1

    def find(self, needle: str, *path: str | int) -> int:
        """The first line at or after `path`'s line that contains `needle`.

        Falls back to `path`'s line when the needle is not found (it may be written with
        escapes in the file).
        """
        start = self.line_of(*path) if path else 1
        for number in range(start, len(self.lines) + 1):
            if needle in self.lines[number - 1]:
                return number
        return start


def syntax_error_line(exc: tomllib.TOMLDecodeError) -> int:
    """The line a TOML syntax error points at (1 when it does not say)."""
    line = getattr(exc, "lineno", None)
    if isinstance(line, int) and line > 0:
        return line
    match = _AT_LINE.search(str(exc))
    return int(match.group(1)) if match else 1


def syntax_error_reason(exc: tomllib.TOMLDecodeError) -> str:
    """The error message without its "(at line X, column Y)" tail."""
    message = getattr(exc, "msg", None) or str(exc)
    return re.sub(r"\s*\(at line \d+, column \d+\)\s*$", "", message)


class TomlProblems(Exception):
    """A TOML file cannot be used; `problems` lists each as `FILE:LINE: reason`."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__(problems[0] if len(problems) == 1 else f"{len(problems)} problems")
        self.problems = problems


def read(path: FilePath, error: type[TomlProblems] = TomlProblems) -> tuple[str, dict[str, Any]]:
    """The source and parsed content of a TOML file.

    Raises:
        error: the file is unreadable or not TOML (one `FILE:LINE: reason`).
    """
    try:
        source = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise error([f"{path}: cannot read: {exc}"]) from None
    try:
        return source, tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise error([f"{path}:{syntax_error_line(exc)}: {exc}"]) from None


def located(path: FilePath, source: str, problems: Iterable[tuple[Path, str]]) -> list[str]:
    """Schema problems (key path, reason) as `FILE:LINE: reason` lines."""
    where = SourceMap(source)
    return [f"{path}:{where.line_of(*key)}: {reason}" for key, reason in problems]


class Reader(Protocol[T]):
    """Turns a parsed file into its book, noting schema problems instead of raising."""

    problems: list[tuple[Path, str]]

    def book(self, path: FilePath, data: dict[str, Any]) -> T: ...


def load(path: FilePath, error: type[TomlProblems], reader: Reader[T]) -> T:
    """Read, parse and validate a configuration file with `reader`.

    Raises:
        error: the file is unreadable, not TOML, or `reader` found problems (each one a
            `FILE:LINE: reason`).
    """
    source, data = read(path, error)
    book = reader.book(path, data)
    if reader.problems:
        raise error(located(path, source, reader.problems))
    return book
