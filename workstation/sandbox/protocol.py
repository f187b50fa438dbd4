"""What the sandbox's API handlers share: the request as they see it, their answer, paging
cursors, Graph API field lists and timestamp formats."""

from __future__ import annotations

import base64
import json
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from ..clock import to_utc


@dataclass
class Request:
    method: str
    path: str  # without the query string
    query: dict[str, str]
    body: dict[str, Any]
    headers: dict[str, str]  # lower-case names
    base: str  # scheme://host:port, for `paging.next` URLs

    def param(self, name: str, default: str = "") -> str:
        """A parameter from the query string, else from the (form or JSON) body."""
        if name in self.query:
            return self.query[name]
        value = self.body.get(name, default)
        return value if isinstance(value, str) else json.dumps(value)

    def next_url(self, **changes: str) -> str:
        query = {**self.query, **changes}
        return f"{self.base}{self.path}?{urlencode(query)}"


@dataclass
class Reply:
    status: int
    body: Any
    headers: dict[str, str] = field(default_factory=dict)
    wrote: bool = False  # the request changed state (faults after it keep the change)


class BadCursor(ValueError):
    pass


def cursor(item_id: str) -> str:
    return base64.urlsafe_b64encode(f"sbx:{item_id}".encode()).decode().rstrip("=")


def uncursor(text: str) -> str:
    try:
        raw = base64.urlsafe_b64decode(text + "=" * (-len(text) % 4)).decode()
    except (ValueError, UnicodeDecodeError):
        raise BadCursor(text) from None
    if not raw.startswith("sbx:"):
        raise BadCursor(text)
    return raw[4:]


def after(ids: list[str], token: str) -> int:
    """Where a page starts: just past the item the cursor names.

    Raises:
        BadCursor: the cursor is unreadable or names an item no longer listed (as on Meta,
        cursors die with the item they point at).
    """
    if not token:
        return 0
    item_id = uncursor(token)
    try:
        return ids.index(item_id) + 1
    except ValueError:
        raise BadCursor(token) from None


def parse_fields(text: str) -> dict[str, dict[str, Any]]:
    """`id,from,replies{id,text}` -> {"id": {}, "from": {}, "replies": {"id": {}, "text": {}}}."""
    fields: dict[str, dict[str, Any]] = {}
    stack = [fields]
    name = ""
    for char in text + ",":
        if char in ",{}":
            if name.strip():
                stack[-1][name.strip()] = {}
            if char == "{" and name.strip():
                stack.append(stack[-1][name.strip()])
            elif char == "}" and len(stack) > 1:
                stack.pop()
            name = ""
        else:
            name += char
    return fields


def meta_time(moment: datetime) -> str:
    """Graph API timestamps: `2026-11-26T18:10:30+0000`."""
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%S+0000")


def x_time(moment: datetime) -> str:
    """X API v2 timestamps: `2026-11-26T18:10:30.000Z`."""
    return to_utc(moment).strftime("%Y-%m-%dT%H:%M:%S.000Z")


def flag(value: str) -> bool | None:
    lowered = value.strip().lower()
    return True if lowered == "true" else False if lowered == "false" else None
