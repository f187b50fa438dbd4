"""Line numbers for TOML files, so that every error can say `FILE:LINE: reason`.

`tomllib` returns plain dicts and only knows lines for syntax errors. The people who edit
templates and rules.toml are not programmers: "line 14" is what lets them fix a mistake. This
module scans the source once and maps each key path (`parts.greeting`, `guardrails.length.x`)
to the line that defines it; a value inside a key falls back to its key's line.
"""

from __future__ import annotations

import re
import tomllib

_HEADER = re.compile(r"^\s*\[\[?\s*([^\[\]]+?)\s*\]\]?\s*(?:#.*)?$")
_PART = r"""(?:[A-Za-z0-9_-]+|"[^"]*"|'[^']*')"""
_KEY = re.compile(rf"^\s*({_PART}(?:\s*\.\s*{_PART})*)\s*=")
_AT_LINE = re.compile(r"at line (\d+)")


def _split_key(dotted: str) -> tuple[str, ...]:
    parts = re.findall(r'"([^"]*)"|\'([^\']*)\'|([A-Za-z0-9_-]+)', dotted)
    return tuple(a or b or c for a, b, c in parts)


class SourceMap:
    """Where each key of a TOML document is defined."""

    def __init__(self, text: str) -> None:
        self.lines = text.splitlines()
        self.keys: dict[tuple[str, ...], int] = {}
        table: tuple[str, ...] = ()
        in_string = False
        for number, line in enumerate(self.lines, start=1):
            if in_string:
                in_string = line.count('"""') % 2 == 0 and line.count("'''") % 2 == 0
                continue
            header = _HEADER.match(line)
            if header and not _KEY.match(line):
                table = _split_key(header.group(1))
                self.keys.setdefault(table, number)
                continue
            key = _KEY.match(line)
            if key:
                path = table + _split_key(key.group(1))
                self.keys.setdefault(path, number)
                rest = line[key.end():]
                if rest.count('"""') % 2 == 1 or rest.count("'''") % 2 == 1:
                    in_string = True

    def line_of(self, *path: str) -> int:
        """The line defining `path`, else the nearest enclosing key's line, else 1."""
        for size in range(len(path), 0, -1):
            found = self.keys.get(tuple(path[:size]))
            if found:
                return found
        return 1

    def find(self, needle: str, *path: str) -> int:
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
