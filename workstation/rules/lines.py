"""Line numbers for TOML keys, so that every rules error can say `rules.toml:LINE: reason`.

`tomllib` gives values, not positions. This reads the source once more, line by line, and
records where each table header and each key starts; `[[rules]]` entries are numbered in
order, as the parsed list is. Keys inside an inline table (`when = { vip = true }`) are given
the line of their table.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

Path = tuple[str | int, ...]

_HEADER = re.compile(r"^\s*(\[\[?)\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")
_KEY = re.compile(r"^\s*([A-Za-z0-9_\-\"'. ]+?)\s*=")
_INLINE_KEY = re.compile(r"([A-Za-z0-9_\-]+)\s*=")


def _split_key(text: str) -> list[str]:
    return [part.strip().strip("\"'") for part in text.split(".")]


def locate(source: str) -> dict[Path, int]:
    """Map every table and key path in a TOML source to its 1-based line."""
    found: dict[Path, int] = {}
    counts: dict[tuple[str, ...], int] = {}
    current: Path = ()
    in_string = False
    for number, line in enumerate(source.splitlines(), start=1):
        if line.count('"""') % 2 == 1 or line.count("'''") % 2 == 1:
            in_string = not in_string
            if not in_string:
                continue
        if in_string:
            continue
        header = _HEADER.match(line)
        if header:
            parts = tuple(_split_key(header.group(2)))
            if header.group(1) == "[[":
                index = counts.get(parts, 0)
                counts[parts] = index + 1
                current = (*parts, index)
            else:
                current = parts
            found.setdefault(current, number)
            continue
        key = _KEY.match(line)
        if not key:
            continue
        path = (*current, *_split_key(key.group(1)))
        found.setdefault(path, number)
        rest = line[key.end():]
        if rest.lstrip().startswith("{"):
            for inner in _INLINE_KEY.finditer(rest):
                found.setdefault((*path, *_split_key(inner.group(1))), number)
    return found


def line_of(lines: dict[Path, int], path: Sequence[str | int]) -> int:
    """The line of `path`, or of its nearest located parent (0 when none is)."""
    path = tuple(path)
    while path:
        if path in lines:
            return lines[path]
        path = path[:-1]
    return 0
