"""Meta's `X-Hub-Signature-256` and the subscription handshake, checked in constant time.

The signature is an HMAC-SHA256 of the body *as sent*, keyed with the app secret. Meta
writes non-ASCII as JSON escapes (`\\u00e9` for é) when it serialises, so the digest must be
computed over the raw request bytes: re-serialising the parsed JSON would fail on every name
with an accent.
"""

from __future__ import annotations

import hashlib
import hmac
import re

HEADER = "X-Hub-Signature-256"
_CHALLENGE = re.compile(r"[A-Za-z0-9_.-]{1,128}")


def sign(body: bytes, app_secret: str) -> str:
    """The header value Meta would send for `body` (`sha256=<lowercase hex>`)."""
    digest = hmac.new(app_secret.encode("utf-8"), body, hashlib.sha256).hexdigest()
    return f"sha256={digest}"


def problem(body: bytes, header: str | None, app_secret: str) -> str | None:
    """Why a delivery's signature is not acceptable, or None when it is.

    Args:
        body: the raw request body, byte for byte.
        header: the `X-Hub-Signature-256` value, None when absent.
        app_secret: the app secret; an empty secret accepts nothing.
    """
    if not app_secret:
        return "no app secret configured"
    if header is None:
        return f"missing {HEADER}"
    given = header.strip().lower().encode("ascii", "replace")
    if not hmac.compare_digest(sign(body, app_secret).encode("ascii"), given):
        return "signature mismatch"
    return None


def challenge_answer(params: dict[str, str], verify_token: str) -> str | None:
    """The `hub.challenge` to echo when the handshake is genuine, else None.

    The challenge is echoed only when it looks like one (Meta sends a number), so the
    endpoint cannot be used to reflect arbitrary text.
    """
    if not verify_token or params.get("hub.mode") != "subscribe":
        return None
    token = params.get("hub.verify_token", "").encode("utf-8")
    if not hmac.compare_digest(token, verify_token.encode("utf-8")):
        return None
    value = params.get("hub.challenge", "")
    return value if _CHALLENGE.fullmatch(value) else None
