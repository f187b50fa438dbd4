"""Which stretch of time a report covers: a day, a week, a month or a quarter.

Periods are calendar periods in the team's time zone (kpis.toml's `panel.timezone`): a week
starts on Monday, a quarter in January, April, July or October. Without dates a report covers
the current period up to now (this week so far), which is what a team reads on Friday
afternoon or at the end of the month; `--from` picks the period that starts there instead,
and `--to` ends it on that day, included.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

KINDS = ("day", "week", "month", "quarter")


@dataclass(frozen=True, slots=True)
class Period:
    """[start, end) in the team's zone, with how people name it."""

    kind: str
    start: datetime
    end: datetime
    zone: ZoneInfo

    @property
    def days(self) -> int:
        """Local days it touches."""
        return (self.last_day - self.start.date()).days + 1

    @property
    def last_day(self) -> date:
        """The last local day included."""
        return (self.end - timedelta(microseconds=1)).astimezone(self.zone).date()

    @property
    def label(self) -> str:
        """"week of 23 Nov 2026", "November 2026", "Q4 2026", "1–15 Nov 2026"."""
        first, last = self.start.date(), self.last_day
        to_date = " to date" if self.end.astimezone(self.zone).time() != time(0) else ""
        if to_date and self.kind != "day" and first == _first_day(self.kind, first):
            last = _next_first(self.kind, first) - timedelta(days=1)
        if self.kind == "day" and first == last:
            return f"{first:%a %d %b %Y}"
        if self.kind == "month" and first.day == 1 and last == _month_end(first):
            return f"{first:%B %Y}{to_date}"
        if self.kind == "quarter" and first.day == 1 and first.month % 3 == 1:
            return f"Q{(first.month - 1) // 3 + 1} {first.year}{to_date}"
        if self.kind == "week" and first.weekday() == 0 and (last - first).days <= 6:
            return f"week of {first:%d %b %Y}{to_date}"
        return f"{first:%d %b %Y} – {last:%d %b %Y}"


def resolve(kind: str, now: datetime, zone: ZoneInfo, start: date | None = None,
            end: date | None = None) -> Period:
    """The period a report covers.

    Args:
        kind: day, week, month or quarter.
        now: the clock's now (the end of a period to date).
        zone: the team's time zone.
        start: first day; the current period's first day when None.
        end: last day included; the end of the period from `start`, or now, when None.

    Raises:
        ValueError: an unknown kind, or `end` before `start`.
    """
    if kind not in KINDS:
        raise ValueError(f"unknown period {kind!r} (expected one of {', '.join(KINDS)})")
    today = now.astimezone(zone).date()
    first = start or _first_day(kind, today)
    if end is not None:
        if end < first:
            raise ValueError("--to is before --from")
        stop = _midnight(end + timedelta(days=1), zone)
    elif start is not None:
        stop = _midnight(_next_first(kind, first), zone)
    else:
        stop = now
    return Period(kind, _midnight(first, zone), stop, zone)


def _first_day(kind: str, day: date) -> date:
    if kind == "week":
        return day - timedelta(days=day.weekday())
    if kind == "month":
        return day.replace(day=1)
    if kind == "quarter":
        return date(day.year, (day.month - 1) // 3 * 3 + 1, 1)
    return day


def _next_first(kind: str, first: date) -> date:
    if kind == "day":
        return first + timedelta(days=1)
    if kind == "week":
        return first + timedelta(days=7)
    months = 1 if kind == "month" else 3
    month = first.month - 1 + months
    return first.replace(year=first.year + month // 12, month=month % 12 + 1)


def _month_end(first: date) -> date:
    return _next_first("month", first.replace(day=1)) - timedelta(days=1)


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)
