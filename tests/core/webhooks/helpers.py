"""Deliveries as Meta sends them, and what the store holds afterwards."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import Engine, func, select

from workstation import db
from workstation.models import AuditEvent, DeadLetter, Message
from workstation.webhooks.server import WebhookServer
from workstation.webhooks.signature import sign

NOW = datetime(2026, 11, 20, 12, tzinfo=UTC)
APP_SECRET = "app-secret-7f3a9c"
VERIFY_TOKEN = "verify-token-42b1"


def body_of(payload: Any) -> bytes:
    """A delivery's bytes as Meta sends them: non-ASCII escaped as \\uXXXX."""
    return json.dumps(payload).encode("ascii")


def deliver(server: WebhookServer, body: bytes, *, signature: str | None = "sign",
            secret: str = APP_SECRET) -> httpx.Response:
    """POST a delivery, signed with `secret` unless `signature` says otherwise (None: no
    header; any other string: that header value)."""
    headers = {"Content-Type": "application/json"}
    if signature == "sign":
        headers["X-Hub-Signature-256"] = sign(body, secret)
    elif signature is not None:
        headers["X-Hub-Signature-256"] = signature
    return httpx.post(server.url + "/meta", content=body, headers=headers, timeout=10)


def count(engine: Engine, model: type) -> int:
    with db.read(engine) as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def stored(engine: Engine) -> dict[str, int]:
    """How many messages, audit events and dead letters the store holds."""
    return {"messages": count(engine, Message), "audit": count(engine, AuditEvent),
            "dead": count(engine, DeadLetter)}


def ig_comment(ident: str = "17858893269000001", text: str = "Combien coûte le moulin ?",
               **value: Any) -> dict[str, Any]:
    """An Instagram `comments` delivery with one change."""
    change = {"id": ident, "text": text, "from": {"id": "ig-user-1", "username": "lea.m"},
              "media": {"id": "media-9", "media_product_type": "FEED"}, **value}
    return {"object": "instagram", "entry": [{"id": "ig-brand", "time": 1763640000,
                                              "changes": [{"field": "comments",
                                                           "value": change}]}]}
