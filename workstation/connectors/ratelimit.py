"""One rate limiter per token, fed by what the platform's response headers say, shared by every
process through the store's `rate_limit` table.

The key is `<connector>:<12 hex of sha256(token)>` (X adds the endpoint, whose budgets are
separate): the token itself never reaches the store. Before a call, `check` raises
`RateLimited` while the key is blocked (after a 429 or Meta's throttle codes) or its budget is
spent until `reset_at`, and spaces calls out when little is left: X's budgets under 5 % left,
until their reset; Meta's (a share of a rolling hour, with no reset time) past 80 % used, each
call waiting longer as the usage nears 100 %, where Meta starts refusing (research notes A.5:
slow down at 75-80 %), as long as the usage was reported in the last `ROLLING_TRUST` (Meta
stops sending the headers once usage is low again). After a call, `observe` records the
headers; writes to the store are coalesced (at most one a second per key, at once when
blocked or exhausted) so that a busy sender does not turn every call into a write.
"""

from __future__ import annotations

import json
import logging
import threading
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta

from sqlalchemy import Engine, select
from sqlalchemy.dialects import postgresql, sqlite

from .. import db
from ..clock import Clock, utcnow
from ..models import RateLimit
from .base import RateLimited

log = logging.getLogger("workstation.connectors")

_T = RateLimit.__table__  # type: ignore[attr-defined]
REFRESH = 1.0  # seconds a read of the store is trusted before reading it again
WRITE_EVERY = 1.0
LOW = 0.05  # below this share of the budget left, calls are spaced out
MAX_PACE = 2.0  # the longest pause between two spaced-out calls, in seconds
ROLLING_LOW = 0.2  # a rolling budget (Meta's) is paced once less than this share is left
ROLLING_TRUST = timedelta(minutes=2)  # how long a rolling budget's last report holds


@dataclass(frozen=True)
class Budget:
    remaining: int | None = None
    limit: int | None = None
    reset_at: datetime | None = None
    blocked_until: datetime | None = None
    seen_at: datetime | None = None
    """When the platform said so (a rolling budget without `reset_at` ages out)."""


class Limiter:
    """The budgets of one token. Thread-safe; `engine` None keeps them in memory only."""

    def __init__(self, engine: Engine | None, prefix: str, *, clock: Clock = utcnow,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.engine = engine
        self.prefix = prefix
        self.clock = clock
        self.sleep = sleep
        self._lock = threading.Lock()
        self._cache: dict[str, tuple[float, Budget]] = {}
        self._written: dict[str, float] = {}

    def key(self, bucket: str = "") -> str:
        return f"{self.prefix}:{bucket}"[:128] if bucket else self.prefix

    # ------------------------------------------------------------------ before a call
    def check(self, bucket: str = "") -> None:
        """Wait a little or raise `RateLimited` if this token should not call now."""
        key = self.key(bucket)
        budget = self._budget(key)
        now = self.clock()
        if budget.blocked_until is not None and budget.blocked_until > now:
            wait = (budget.blocked_until - now).total_seconds()
            raise RateLimited(f"{self.prefix.split(':')[0]}: rate limited, waiting {wait:.0f} s",
                              retry_after=wait, code="blocked")
        if budget.remaining is None or not budget.limit:
            return
        if budget.reset_at is None:
            # After a throttle that has passed (`blocked_until` behind us), Meta let us back
            # in: the next answer says where the usage stands, the throttle's own does not.
            share = budget.remaining / budget.limit
            fresh = budget.seen_at is not None and now - budget.seen_at <= ROLLING_TRUST
            if fresh and share < ROLLING_LOW and budget.blocked_until is None:
                self.sleep(MAX_PACE * (1 - max(share, 0.0) / ROLLING_LOW))
            return
        left = (budget.reset_at - now).total_seconds()
        if left <= 0:
            return
        if budget.remaining <= 0:
            raise RateLimited(f"{self.prefix.split(':')[0]}: budget spent until reset",
                              retry_after=left, code="exhausted")
        if budget.remaining < budget.limit * LOW:
            self.sleep(min(MAX_PACE, left / budget.remaining))

    # ------------------------------------------------------------------ after a call
    def observe(self, bucket: str, seen: Budget) -> None:
        """Record what a response said about the budget."""
        key = self.key(bucket)
        if seen.seen_at is None:
            seen = replace(seen, seen_at=self.clock())
        urgent = seen.blocked_until is not None or (seen.remaining is not None
                                                     and seen.remaining <= 0)
        with self._lock:
            old = self._cache.get(key, (0.0, Budget()))[1]
            if seen.blocked_until is None and old.blocked_until is not None \
                    and old.blocked_until > self.clock():
                seen = replace(seen, blocked_until=old.blocked_until)
            self._cache[key] = (time.monotonic(), seen)
            due = time.monotonic() - self._written.get(key, 0.0) >= WRITE_EVERY
            if not (urgent or due):
                return
            self._written[key] = time.monotonic()
        self._store(key, seen)

    def block(self, bucket: str, seconds: float) -> None:
        """The platform said stop: no call on this key for `seconds`, in every process."""
        until = self.clock() + timedelta(seconds=seconds)
        key = self.key(bucket)
        with self._lock:
            old = self._cache.get(key, (0.0, Budget()))[1]
        self.observe(bucket, replace(old, blocked_until=until))

    # ------------------------------------------------------------------ the store
    def _budget(self, key: str) -> Budget:
        with self._lock:
            cached = self._cache.get(key)
        if cached is not None and (self.engine is None or time.monotonic() - cached[0] < REFRESH):
            return cached[1]
        if self.engine is None:
            return Budget()
        with db.read(self.engine) as conn:
            row = conn.execute(select(_T).where(_T.c.key == key)).first()
        budget = Budget() if row is None else Budget(row.remaining, row.limit, _aware(row.reset_at),
                                                     _aware(row.blocked_until),
                                                     _aware(row.updated_at))
        with self._lock:
            self._cache[key] = (time.monotonic(), budget)
        return budget

    def _store(self, key: str, budget: Budget) -> None:
        if self.engine is None:
            return
        values = {"remaining": budget.remaining, "limit": budget.limit,
                  "reset_at": budget.reset_at, "blocked_until": budget.blocked_until,
                  "updated_at": budget.seen_at or self.clock()}
        try:
            with db.write(self.engine) as conn:
                dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
                statement = dialect.insert(_T).values(key=key, **values)
                conn.execute(statement.on_conflict_do_update(index_elements=["key"], set_=values))
        except Exception as exc:  # the budget is advice: a busy store must not fail a call
            log.warning("rate limit state for %s not saved: %s", key, type(exc).__name__)


def _aware(value: datetime | None) -> datetime | None:
    from ..clock import to_utc

    return None if value is None else to_utc(value)


# ---------------------------------------------------------------------- header readers
def x_budget(headers: Mapping[str, str]) -> Budget | None:
    """`x-rate-limit-limit/remaining/reset` (reset in epoch seconds), if present."""
    try:
        remaining = int(headers["x-rate-limit-remaining"])
        limit = int(headers["x-rate-limit-limit"])
        reset = datetime.fromtimestamp(int(headers["x-rate-limit-reset"]), tz=utcnow().tzinfo)
    except (KeyError, ValueError, OverflowError, OSError):
        return None
    return Budget(remaining, limit, reset)


def meta_budget(headers: Mapping[str, str], now: datetime) -> Budget | None:
    """Meta's usage headers, as a percentage budget: `remaining` = 100 - the highest usage
    among call count, CPU time and total time, over the app and every business use case; a
    positive `estimated_time_to_regain_access` (minutes) blocks until then.

    Absent headers say nothing (Meta sends them only once usage is significant)."""
    used: list[float] = []
    regain = 0.0
    for name in ("x-app-usage", "x-business-use-case-usage", "x-page-usage"):
        raw = headers.get(name)
        if not raw:
            continue
        try:
            value = json.loads(raw)
        except ValueError:
            continue
        entries = [value] if name != "x-business-use-case-usage" else [
            entry for group in (value.values() if isinstance(value, dict) else [])
            if isinstance(group, list) for entry in group]
        for entry in entries:
            if not isinstance(entry, dict):
                continue
            for field in ("call_count", "total_cputime", "total_time"):
                if isinstance(entry.get(field), int | float):
                    used.append(float(entry[field]))
            if isinstance(entry.get("estimated_time_to_regain_access"), int | float):
                regain = max(regain, float(entry["estimated_time_to_regain_access"]))
    if not used and not regain:
        return None
    remaining = max(0, 100 - int(max(used, default=0)))
    blocked = now + timedelta(minutes=regain) if regain > 0 else None
    return Budget(remaining, 100, None, blocked)
