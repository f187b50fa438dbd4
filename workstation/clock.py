"""Time, injectable: SLA, reminder and report logic is tested by moving a fake clock.

Every datetime in the core is timezone-aware UTC (SQLModel stores them so on both engines);
local time exists only on screen and in business-hours calendars.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime, timedelta

Clock = Callable[[], datetime]


def utcnow() -> datetime:
    """The current time, aware, in UTC."""
    return datetime.now(UTC)


def to_utc(value: datetime) -> datetime:
    """Convert to aware UTC; a naive datetime is taken as UTC already."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def iso(value: datetime | None) -> str | None:
    """RFC 3339 text with a `Z` suffix, to the second."""
    if value is None:
        return None
    return to_utc(value).replace(microsecond=0, tzinfo=None).isoformat() + "Z"


class FrozenClock:
    """A clock that only moves when told to; for tests and deterministic demos."""

    def __init__(self, start: datetime) -> None:
        self.current = to_utc(start)

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        """Move forward by `timedelta(**delta)` and return the new time."""
        self.current += timedelta(**delta)
        return self.current
