"""Builders of events as the contract describes them, for tests."""

from __future__ import annotations

import json
from typing import Any


def event(ident: str, **overrides: Any) -> dict[str, Any]:
    """A valid inbound Instagram comment event; any field can be overridden."""
    base: dict[str, Any] = {
        "platform": "instagram",
        "kind": "comment",
        "id": ident,
        "author": {"id": "u-1", "handle": "lea.m", "name": "Léa Martin", "followers": 120},
        "text": "What time do you open on Saturday?",
        "created_at": "2026-11-20T10:00:00Z",
    }
    base.update(overrides)
    return base


def jsonl(*events: dict[str, Any] | str | bytes) -> bytes:
    """Events (or raw lines) as the bytes of a JSON-lines file."""
    lines = []
    for item in events:
        if isinstance(item, bytes):
            lines.append(item)
        elif isinstance(item, str):
            lines.append(item.encode())
        else:
            lines.append(json.dumps(item, ensure_ascii=False).encode())
    return b"\n".join(lines) + b"\n"
