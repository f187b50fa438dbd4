"""Standard Webhooks signatures for the lead events we send (https://www.standardwebhooks.com).

Headers: `webhook-id` (the delivery id, the same on every retry, so receivers deduplicate),
`webhook-timestamp` (Unix seconds of this attempt, so receivers refuse replays), and
`webhook-signature: v1,<base64 HMAC-SHA256>` over `"{id}.{timestamp}.{body}"`: the timestamp
and the raw body, with the id bound in as the standard does, so any Standard Webhooks library
verifies them. A `whsec_<base64>` secret is used as the bytes it encodes, as the standard
says; any other secret as its UTF-8 bytes.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
from collections.abc import Mapping

TOLERANCE = 300
"""Seconds a receiver accepts between the timestamp and its clock."""


def key(secret: str) -> bytes:
    """The HMAC key a secret stands for."""
    if secret.startswith("whsec_"):
        try:
            return base64.b64decode(secret[6:], validate=True)
        except (binascii.Error, ValueError):
            pass
    return secret.encode("utf-8")


def signature(secret: str, delivery_id: str, timestamp: int, body: bytes) -> str:
    """The `webhook-signature` value."""
    signed = f"{delivery_id}.{timestamp}.".encode() + body
    digest = hmac.new(key(secret), signed, hashlib.sha256).digest()
    return "v1," + base64.b64encode(digest).decode("ascii")


def headers(secret: str, delivery_id: str, timestamp: int, body: bytes) -> dict[str, str]:
    """The three signature headers of one attempt."""
    return {"webhook-id": delivery_id, "webhook-timestamp": str(timestamp),
            "webhook-signature": signature(secret, delivery_id, timestamp, body)}


def verify(secret: str, received: Mapping[str, str], body: bytes, *, now: float,
           tolerance: int = TOLERANCE) -> bool:
    """What a receiver does: recompute over the raw body, compare in constant time, refuse
    stale timestamps. Any of several space-separated signatures may match (key rotation)."""
    delivery_id = received.get("webhook-id", "")
    try:
        timestamp = int(received.get("webhook-timestamp", ""))
    except ValueError:
        return False
    if not delivery_id or abs(now - timestamp) > tolerance:
        return False
    expected = signature(secret, delivery_id, timestamp, body).encode()
    return any(hmac.compare_digest(expected, given.encode())
               for given in received.get("webhook-signature", "").split())
