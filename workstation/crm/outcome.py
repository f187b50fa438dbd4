"""What a CRM's answer means for the delivery: done, retry later, wait out a limit, or stop.

Retry on connection errors, timeouts, 408 and 5xx with jittered exponential backoff; on 429
wait what `Retry-After` says (HubSpot counts requests per ten-second window, so ten seconds
when it says nothing) without counting an attempt; any other 4xx is final: sending the same
thing again would be refused again.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import timedelta

import httpx

from workstation.services.outbox import backoff
from workstation.text import inert

RATE_WINDOW = 10.0
"""Seconds to wait after a 429 without Retry-After: HubSpot's rate-limit window."""


@dataclass(frozen=True, slots=True)
class Outcome:
    """`kind`: ok, retry (counted), rate (not counted; stop calling this target for now),
    fail (final)."""

    kind: str
    error: str = ""
    wait: float | None = None
    """Seconds the target asked for (Retry-After), if it did."""
    status: int | None = None
    """The HTTP status, when there was an answer."""

    def delay(self, attempts: int, rng: random.Random | None = None) -> timedelta:
        """How long the row waits before its next attempt."""
        # At least a second: a `Retry-After: 0` must not bring the row back within this run.
        if self.kind == "rate":
            return timedelta(seconds=max(self.wait if self.wait is not None else RATE_WINDOW,
                                         1.0))
        if self.wait is not None:
            return timedelta(seconds=max(self.wait, 1.0))
        return backoff(attempts, rng, base=30.0, cap=3600.0)


def of_response(response: httpx.Response) -> Outcome:
    """Classify an HTTP answer."""
    status = response.status_code
    if 200 <= status < 300:
        return Outcome("ok")
    wait = _retry_after(response.headers.get("Retry-After"))
    error = f"HTTP {status}" + (f": {reason}" if (reason := _reason(response)) else "")
    if status == 429:
        return Outcome("rate", error, wait, status)
    if status == 408 or status >= 500:
        return Outcome("retry", error, wait, status)
    return Outcome("fail", error, status=status)


def of_exception(exc: httpx.HTTPError) -> Outcome:
    """Classify a failure to get an answer at all (always worth a retry)."""
    if isinstance(exc, httpx.TimeoutException):
        return Outcome("retry", "timed out")
    return Outcome("retry", f"connection failed ({type(exc).__name__})")


def _retry_after(value: str | None) -> float | None:
    if not value:
        return None
    try:
        seconds = float(value)
    except ValueError:
        return None  # an HTTP date: rare from CRMs; the default wait applies
    return min(max(seconds, 0.0), 3600.0)


def _reason(response: httpx.Response) -> str:
    """The CRM's own message, cut and made inert (it may echo what we sent, never a token)."""
    try:
        body = response.json()
    except ValueError:
        return ""
    message = body.get("message") if isinstance(body, dict) else None
    return inert(message, limit=200) if isinstance(message, str) else ""
