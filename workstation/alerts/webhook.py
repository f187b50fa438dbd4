"""Sending alerts to a webhook: signed JSON, a few retries, state kept in the store.

A chat channel or an on-call tool learns of an alert without anyone watching the TUI. Each
alert is POSTed as one JSON object; the receiver checks the HMAC-SHA256 signature of
`TIMESTAMP.BODY` (header `X-Workstation-Signature: sha256=HEX`, timestamp in
`X-Workstation-Timestamp`) with the shared secret, and can refuse old timestamps to stop
replays. A failed delivery (network error, timeout, 429 or 5xx) is tried again a few times
with a growing pause, then left `failed` for the next scan, until `give_up_after` attempts in
all. A 4xx other than 429 means the receiver refuses this alert: it is not retried. The
state of each delivery, and the audit event saying so, are written together.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

import httpx
from sqlalchemy import select
from sqlalchemy.engine import Engine

from workstation import audit, db
from workstation.alerts.config import AlertConfig, Webhook
from workstation.clock import iso
from workstation.models import ActorKind, Alert

_A = Alert.__table__  # type: ignore[attr-defined]
RESEND_FOR = timedelta(days=1)
"""Failed deliveries older than this are no longer retried: the news is stale."""


def sign(secret: bytes, timestamp: str, body: bytes) -> str:
    """The signature header's value for a body sent at `timestamp`."""
    digest = hmac.new(secret, timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def payload(row: Any) -> dict[str, Any]:
    """The JSON an alert is sent as."""
    return {"id": row.id, "kind": row.kind, "scope": row.scope, "severity": row.severity,
            "title": row.title, "details": row.details,
            "conversation_ids": list(row.conversation_ids), "raised_at": iso(row.raised_at),
            "window_start": iso(row.window_start), "window_end": iso(row.window_end)}


def deliver(engine: Engine, config: AlertConfig, now: datetime, *,
            sleep: Callable[[float], None] = time.sleep,
            transport: httpx.BaseTransport | None = None) -> dict[int, str]:
    """Send every pending or failed alert of the last day; returns each one's new state.

    Args:
        engine: the store.
        config: the alert settings (nothing happens without a webhook).
        now: the clock's now.
        sleep: pauses between attempts (tests pass a no-op).
        transport: an httpx transport (tests may pass one; real servers by default).
    """
    hook = config.webhook
    if hook is None:
        return {}
    c = _A.c
    with db.read(engine) as conn:
        rows = conn.execute(select(_A).where(
            c.webhook_state.in_(("pending", "failed")), c.raised_at > now - RESEND_FOR,
            c.webhook_attempts < hook.give_up_after).order_by(c.id)).all()
    results: dict[int, str] = {}
    with httpx.Client(timeout=hook.timeout, transport=transport) as client:
        for row in rows:
            attempts, state, error = _send(client, hook, payload(row),
                                           hook.give_up_after - row.webhook_attempts, sleep)
            results[row.id] = state
            with db.write(engine) as conn:
                conn.execute(_A.update().where(c.id == row.id).values(
                    webhook_state=state, webhook_attempts=c.webhook_attempts + attempts))
                audit.record(conn, f"alert.webhook_{state}", actor="alerts",
                             actor_kind=ActorKind.SYSTEM, target_kind="alert",
                             target_id=row.id, at=now,
                             details={"attempts": attempts, "error": error} if error else
                             {"attempts": attempts})
    return results


def _send(client: httpx.Client, hook: Webhook, body: dict[str, Any], budget: int,
          sleep: Callable[[float], None]) -> tuple[int, str, str]:
    """(attempts made, sent/failed/refused, last error)."""
    data = json.dumps(body, ensure_ascii=False, separators=(",", ":")).encode()
    secret = hook.secret()
    error = ""
    tries = max(min(hook.retries, budget), 1)
    for attempt in range(1, tries + 1):
        stamp = str(int(time.time()))
        headers = {"Content-Type": "application/json", "X-Workstation-Timestamp": stamp,
                   "User-Agent": "workstation-alerts"}
        if secret:
            headers["X-Workstation-Signature"] = sign(secret, stamp, data)
        try:
            response = client.post(hook.url, content=data, headers=headers)
        except httpx.HTTPError as exc:
            error = f"{type(exc).__name__}: {exc}"[:200]
        else:
            if response.is_success:
                return attempt, "sent", ""
            error = f"HTTP {response.status_code}"
            if response.status_code < 500 and response.status_code != 429:
                return attempt, "refused", error
        if attempt < tries:
            sleep(0.5 * 2 ** (attempt - 1))
    return tries, "failed", error
