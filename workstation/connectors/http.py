"""The HTTP client every connector uses: the token in an auth header (never in a URL, which
httpx logs), the rate limiter around each call, and the classification of every failure into
`base.py`'s errors.

Reads are retried with jittered exponential backoff when the failure is transient or the
answer unreadable; writes never are, because these platforms do not deduplicate: a write
that may have happened raises `OutcomeUnknown` and the sender reconciles with `find_sent`.
A rate limit blocks the token's key in the store, so every process waits. A read waits out
a short one (up to `short_wait` seconds, a few times) and goes on, so a poll that needs many
calls still completes under a platform that throttles now and then; a longer one, and any on a
write, raises `RateLimited` for the worker to schedule.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Generator
from typing import Any

import httpx

from ..text import inert
from .base import ConnectorError, Malformed, OutcomeUnknown, RateLimited, Rejected, Transient
from .config import Platform
from .ratelimit import Limiter, meta_budget, x_budget

log = logging.getLogger("workstation.connectors")

META_THROTTLES = frozenset({4, 17, 32, 613, 80001, 80002, 80003, 80004, 80005, 80006, 80008,
                            80014})
META_TRANSIENT = frozenset({1, 2})
META_DEFAULT_WAIT = 60.0
X_DEFAULT_WAIT = 60.0


class _Bearer(httpx.Auth):
    def __init__(self, platform: Platform) -> None:
        self._token = platform.token

    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authorization"] = f"Bearer {self._token.reveal()}"
        yield request


class HttpClient:
    """Calls one platform with one token; `bucket(method, path)` names the rate-limit budget
    a call counts against."""

    def __init__(self, platform: Platform, limiter: Limiter, *,
                 bucket: Callable[[str, str], str] = lambda _m, _p: "",
                 transport: httpx.BaseTransport | None = None,
                 sleep: Callable[[float], None] = time.sleep, rng: random.Random | None = None,
                 attempts: int = 3, backoff: float = 0.5, backoff_cap: float = 8.0,
                 short_wait: float = 5.0, rate_waits: int = 3) -> None:
        self.platform = platform
        self.limiter = limiter
        self.bucket = bucket
        self.sleep = sleep
        self.rng = rng or random.Random()
        self.attempts = attempts
        self.backoff = backoff
        self.backoff_cap = backoff_cap
        self.short_wait = short_wait
        self.rate_waits = rate_waits
        self._client = httpx.Client(base_url=platform.url + "/", auth=_Bearer(platform),
                                    timeout=platform.timeout, transport=transport,
                                    headers={"User-Agent": "workstation"})

    def __repr__(self) -> str:
        return f"HttpClient({self.platform.name!r}, {self.platform.url!r})"

    def close(self) -> None:
        self._client.close()

    def get(self, path: str, params: dict[str, Any] | None = None) -> Any:
        """A read, retried on transient failures and unreadable answers, after short rate
        limits."""
        attempt = waits = 0
        while True:
            attempt += 1
            try:
                return self._call("GET", path, params=params, write=False)
            except RateLimited as exc:
                waits += 1
                if exc.retry_after > self.short_wait or waits > self.rate_waits:
                    raise
                attempt -= 1  # nothing was done: not an attempt
                log.info("%s; waiting %.1f s", exc, exc.retry_after)
                self.sleep(exc.retry_after + self.rng.uniform(0, 0.2))
            except (Transient, Malformed) as exc:
                if attempt == self.attempts:
                    raise
                pause = self._pause(attempt)
                log.warning("%s; retry %d in %.1f s", exc, attempt, pause)
                self.sleep(pause)

    def write(self, method: str, path: str, *, params: dict[str, Any] | None = None,
              data: dict[str, Any] | None = None, json: Any = None) -> Any:
        """A write, tried once."""
        return self._call(method, path, params=params, data=data, json=json, write=True)

    def _pause(self, attempt: int) -> float:
        ceiling = min(self.backoff_cap, self.backoff * 2 ** (attempt - 1))
        return ceiling / 2 + self.rng.uniform(0, ceiling / 2)

    def _call(self, method: str, path: str, *, write: bool, **kwargs: Any) -> Any:
        path = path.lstrip("/")
        bucket = self.bucket(method, path)
        self.limiter.check(bucket)
        where = f"{self.platform.name}: {method} {path.split('?')[0]}"
        try:
            response = self._client.request(method, path, **kwargs)
        except (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout) as exc:
            raise Transient(f"{where}: cannot connect ({type(exc).__name__})") from None
        except httpx.HTTPError as exc:
            # Sent, no readable answer: a write may have happened.
            kind = OutcomeUnknown if write else Transient
            raise kind(f"{where}: no answer ({type(exc).__name__})") from None
        self._observe(bucket, response)
        error = classify(self.platform.name, response, write=write, where=where)
        if isinstance(error, RateLimited):
            self.limiter.block(bucket, error.retry_after)
        if error is not None:
            raise error
        try:
            return response.json()
        except ValueError:
            if write:
                raise OutcomeUnknown(f"{where}: unreadable answer to a write "
                                     f"(HTTP {response.status_code})",
                                     status=response.status_code) from None
            raise Malformed(f"{where}: answer is not JSON", status=response.status_code) from None

    def _observe(self, bucket: str, response: httpx.Response) -> None:
        if self.platform.name == "x":
            seen = x_budget(response.headers)
        else:
            seen = meta_budget(response.headers, self.limiter.clock())
        if seen is not None:
            self.limiter.observe(bucket, seen)


def pick(body: Any, *path: str, write: bool, where: str) -> str:
    """`body[path[0]][path[1]]...` as text, the platform's answer to a call at `where`.

    Raises:
        OutcomeUnknown: after a write (it succeeded, but we cannot tell what it created).
        Malformed: after a read.
    """
    value = body
    for key in path:
        value = value.get(key) if isinstance(value, dict) else None
    if value is None or value == "":
        kind = OutcomeUnknown if write else Malformed
        raise kind(f"{where}: answer without {'.'.join(path)}")
    return str(value)


def classify(platform: str, response: httpx.Response, *, write: bool,
             where: str = "") -> ConnectorError | None:
    """The error a response means, or None for a success."""
    status = response.status_code
    if status < 400:
        return None
    where = where or platform
    try:
        body = response.json()
    except ValueError:
        body = None
    if platform == "x":
        return _x_error(response, body, write, where)
    return _meta_error(response, body, write, where)


def _meta_error(response: httpx.Response, body: Any, write: bool,
                where: str) -> ConnectorError:
    status = response.status_code
    error = body.get("error") if isinstance(body, dict) else None
    if not isinstance(error, dict):
        return _bare(status, write, where)
    code = error.get("code")
    subcode = error.get("error_subcode")
    text = _text(error.get("message"))
    label = f"{code}" + (f"/{subcode}" if subcode else "")
    message = f"{where}: {text} (code {label})"
    if code in META_THROTTLES:
        return RateLimited(message, retry_after=_meta_wait(response), status=status,
                           code=str(code))
    if error.get("is_transient") or code in META_TRANSIENT or status >= 500:
        return Transient(message, status=status, code=str(code))
    return Rejected(message, status=status, code=str(code))


def _meta_wait(response: httpx.Response) -> float:
    retry_after = response.headers.get("retry-after", "")
    if retry_after.isdigit():
        return float(retry_after)
    seen = meta_budget(response.headers, _now())
    if seen is not None and seen.blocked_until is not None:
        return max(1.0, (seen.blocked_until - _now()).total_seconds())
    return META_DEFAULT_WAIT


def _x_error(response: httpx.Response, body: Any, write: bool, where: str) -> ConnectorError:
    status = response.status_code
    if status == 429:
        seen = x_budget(response.headers)
        wait = X_DEFAULT_WAIT
        if seen is not None and seen.reset_at is not None:
            wait = max(1.0, (seen.reset_at - _now()).total_seconds())
        return RateLimited(f"{where}: too many requests", retry_after=wait, status=429,
                           code="429")
    if not isinstance(body, dict) or not (body.get("detail") or body.get("errors")):
        return _bare(status, write, where)
    detail = body.get("detail") or ""
    errors = body.get("errors")
    if isinstance(errors, list) and errors and isinstance(errors[0], dict):
        detail = errors[0].get("message") or errors[0].get("detail") or detail
    message = f"{where}: {_text(detail)} (HTTP {status})"
    if status >= 500:
        return Transient(message, status=status, code=str(status))
    return Rejected(message, status=status, code=str(status))


def _bare(status: int, write: bool, where: str) -> ConnectorError:
    """An error status without the platform's error body (a proxy, a crash)."""
    if status >= 500:
        # A write that failed without the platform saying why may still have happened.
        kind = OutcomeUnknown if write else Transient
        return kind(f"{where}: HTTP {status} without an error body", status=status)
    return Rejected(f"{where}: HTTP {status}", status=status)


def _text(value: Any) -> str:
    """Platform text for an error message: printable, one line, short."""
    return inert(str(value or "no message"), limit=200)


def _now() -> Any:
    from ..clock import utcnow

    return utcnow()

