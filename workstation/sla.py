"""SLA clocks: when a reply is due, counted in business hours when the policy says so.

A policy names its targets (first response, next response, per-platform overrides) and the
calendar it runs on. A calendar is a time zone, weekly opening hours and holidays; a policy
whose clock pauses outside them only counts open time, so a message at 17:50 on a Friday with
a 4-hour target is due Monday late morning, not Friday night.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from .clock import to_utc

_MAX_DAYS = 400
"""How far ahead a due time is searched; a calendar always opens within a year."""


class Breach(StrEnum):
    """Where a reply stands against its due time."""

    NONE = "none"
    """Nothing is owed."""
    OK = "ok"
    WARNING = "warning"
    """Due within the policy's warning window."""
    BREACHED = "breached"


@dataclass(frozen=True)
class Calendar:
    """Opening hours in one time zone, with holidays."""

    name: str
    zone: ZoneInfo
    hours: dict[int, tuple[tuple[time, time], ...]]
    """Weekday (0 = Monday) to its open intervals, in local time."""
    holidays: frozenset[date] = frozenset()
    _days: dict[date, list[tuple[datetime, datetime]]] = field(
        default_factory=dict, compare=False, repr=False)
    """Intervals already worked out, by day: every message of a day asks for the same ones."""

    def intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        """The open intervals of a local day, as aware UTC datetimes."""
        known = self._days.get(day)
        if known is None:
            if len(self._days) > 4096:
                self._days.clear()
            known = self._days[day] = self._intervals(day)
        return list(known)

    def _intervals(self, day: date) -> list[tuple[datetime, datetime]]:
        if day in self.holidays:
            return []
        return [
            (to_utc(datetime.combine(day, start, self.zone)),
             to_utc(datetime.combine(day, end, self.zone) if end != time(0)
                    else datetime.combine(day + timedelta(days=1), time(0), self.zone)))
            for start, end in self.hours.get(day.weekday(), ())
        ]

    def is_open(self, at: datetime) -> bool:
        """Whether `at` falls within opening hours."""
        local = at.astimezone(self.zone)
        return any(start <= at < end for start, end in self.intervals(local.date()))

    def add(self, start: datetime, amount: timedelta) -> datetime:
        """The moment `amount` of open time after `start` has elapsed."""
        remaining = amount
        day = start.astimezone(self.zone).date()
        for _ in range(_MAX_DAYS):
            for opens, closes in self.intervals(day):
                begin = max(opens, start)
                if begin >= closes:
                    continue
                if begin + remaining <= closes:
                    return begin + remaining
                remaining -= closes - begin
            day += timedelta(days=1)
        raise ValueError(f"calendar {self.name!r} has no open hours within {_MAX_DAYS} days")

    def open_time(self, start: datetime, end: datetime) -> timedelta:
        """How much open time lies between `start` and `end`."""
        total = timedelta(0)
        day = start.astimezone(self.zone).date()
        last = end.astimezone(self.zone).date()
        while day <= last:
            for opens, closes in self.intervals(day):
                begin, finish = max(opens, start), min(closes, end)
                if finish > begin:
                    total += finish - begin
            day += timedelta(days=1)
        return total


@dataclass(frozen=True)
class Target:
    first: timedelta
    next: timedelta


@dataclass(frozen=True)
class SlaPolicy:
    """How fast one kind of conversation must be answered."""

    name: str
    target: Target
    platforms: dict[str, Target] = field(default_factory=dict)
    """Per-platform targets that replace the default one."""
    calendar: Calendar | None = None
    pause_outside_hours: bool = False
    """Count only open time of the calendar (else the clock runs around the clock)."""
    warn_before: timedelta = timedelta(minutes=30)

    def due(self, since: datetime, *, first: bool, platform: str = "") -> datetime:
        """When a reply owed since `since` is due."""
        target = self.platforms.get(platform, self.target)
        amount = target.first if first else target.next
        if self.pause_outside_hours and self.calendar is not None:
            return self.calendar.add(since, amount)
        return since + amount

    def breach(self, due: datetime | None, now: datetime) -> Breach:
        """Where a reply due at `due` stands at `now`."""
        if due is None:
            return Breach.NONE
        if now >= due:
            return Breach.BREACHED
        if due - now <= self.warn_before:
            return Breach.WARNING
        return Breach.OK
