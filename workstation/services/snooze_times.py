"""Times an agent types for a snooze: "2h", "tomorrow 9:00", "monday", "2026-12-01 14:30".

"2h" is always a duration (in two hours); a time of day is written with a colon ("9:00").

Pure functions of the current time and the agent's time zone, so the snooze dialog and any
command line read the same words the same way, and tests need no clock.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta, tzinfo

MORNING = time(9, 0)
"""When "tomorrow" or a weekday without a time means."""
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
_DURATION = re.compile(r"(?:(\d+)\s*d)?\s*(?:(\d+)\s*h)?\s*(?:(\d+)\s*m(?:in)?)?")
_CLOCK = re.compile(r"(\d{1,2}):(\d{2})")
MAX_AHEAD = timedelta(days=365)


class SnoozeTimeError(ValueError):
    """The text is not a time this module understands, or it is in the past."""


@dataclass(frozen=True, slots=True)
class Preset:
    """A ready-made choice of the snooze dialog."""

    label: str
    until: datetime | None
    """None: until the customer writes again."""


def presets(now: datetime, tz: tzinfo) -> tuple[Preset, ...]:
    """The usual choices: in an hour, in three, tomorrow morning, next Monday, until a reply."""
    local = now.astimezone(tz)
    tomorrow = _at(local.date() + timedelta(days=1), MORNING, tz)
    monday = _at(local.date() + timedelta(days=(7 - local.weekday()) or 7), MORNING, tz)
    return (
        Preset("until the customer replies", None),
        Preset("1 hour", now + timedelta(hours=1)),
        Preset("3 hours", now + timedelta(hours=3)),
        Preset(f"tomorrow {MORNING:%H:%M}", tomorrow),
        Preset(f"Monday {MORNING:%H:%M}", monday),
    )


def _at(day: object, moment: time, tz: tzinfo) -> datetime:
    return datetime.combine(day, moment, tzinfo=tz).astimezone(UTC)  # type: ignore[arg-type]


def parse_until(text: str, now: datetime, tz: tzinfo) -> datetime:
    """Read a snooze time typed by an agent.

    Accepted: a duration ("90m", "2h", "1d 4h"), a time today or else tomorrow ("14:30"),
    "tomorrow" or a weekday with an optional time ("monday 10:00"), and a date with an optional
    time ("2026-12-01", "2026-12-01 14:30"). Times are in `tz`; the result is in UTC.

    Raises:
        SnoozeTimeError: unreadable, not in the future, or more than a year ahead.
    """
    words = " ".join(text.strip().lower().split())
    if not words:
        raise SnoozeTimeError("type a time: 2h, 14:30, tomorrow, monday 10:00, 2026-12-01")
    local = now.astimezone(tz)
    until = _duration(words, now) or _dated(words, local, tz)
    if until is None:
        raise SnoozeTimeError(f"not a time I can read: {text.strip()[:40]!r}"
                              " (try 2h, 14:30, tomorrow, monday 10:00, 2026-12-01)")
    if until <= now:
        raise SnoozeTimeError("that time has passed")
    if until - now > MAX_AHEAD:
        raise SnoozeTimeError("snooze for a year at most")
    return until


def _duration(words: str, now: datetime) -> datetime | None:
    match = _DURATION.fullmatch(words)
    if not match or not any(match.groups()):
        return None
    days, hours, minutes = (int(g) if g else 0 for g in match.groups())
    return now + timedelta(days=days, hours=hours, minutes=minutes)


def _clock(words: str) -> time | None:
    match = _CLOCK.fullmatch(words)
    if not match:
        return None
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour > 23 or minute > 59:
        return None
    return time(hour, minute)


def _dated(words: str, local: datetime, tz: tzinfo) -> datetime | None:
    day_word, _, rest = words.partition(" ")
    moment = _clock(rest) if rest else MORNING
    if moment is None:
        return None
    if day_word == "today":
        return _at(local.date(), moment, tz)
    if day_word == "tomorrow":
        return _at(local.date() + timedelta(days=1), moment, tz)
    if day_word in WEEKDAYS:
        ahead = (WEEKDAYS.index(day_word) - local.weekday()) % 7 or 7
        return _at(local.date() + timedelta(days=ahead), moment, tz)
    try:
        day = datetime.strptime(day_word, "%Y-%m-%d").date()
    except ValueError:
        day = None
    if day is not None:
        return _at(day, moment, tz)
    alone = _clock(words)
    if alone is None:
        return None
    today = _at(local.date(), alone, tz)
    return today if today > local else _at(local.date() + timedelta(days=1), alone, tz)
