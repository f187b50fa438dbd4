"""Snooze times as agents type them, read in their time zone."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from workstation.services.snooze_times import SnoozeTimeError, parse_until, presets

PARIS = ZoneInfo("Europe/Paris")
NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)  # a Friday, 11:00 in Paris


@pytest.mark.parametrize(("text", "expected"), [
    ("90m", NOW + timedelta(minutes=90)),
    ("2h", NOW + timedelta(hours=2)),
    ("1d 4h", NOW + timedelta(days=1, hours=4)),
    ("15:30", datetime(2026, 11, 20, 14, 30, tzinfo=UTC)),
    ("10:00", datetime(2026, 11, 21, 9, 0, tzinfo=UTC)),
    ("tomorrow", datetime(2026, 11, 21, 8, 0, tzinfo=UTC)),
    ("Monday 10:30", datetime(2026, 11, 23, 9, 30, tzinfo=UTC)),
    ("friday", datetime(2026, 11, 27, 8, 0, tzinfo=UTC)),
    ("2026-12-01 14:00", datetime(2026, 12, 1, 13, 0, tzinfo=UTC)),
])
def test_readable_times(text: str, expected: datetime) -> None:
    assert parse_until(text, NOW, PARIS) == expected


@pytest.mark.parametrize("text", ["", "soon", "25:00", "2020-01-01", "2028-01-01", "[b]2h"])
def test_unreadable_or_past_times_are_refused(text: str) -> None:
    with pytest.raises(SnoozeTimeError):
        parse_until(text, NOW, PARIS)


def test_presets_start_with_until_a_reply() -> None:
    choices = presets(NOW, PARIS)
    assert choices[0].until is None
    assert [c.until for c in choices[1:3]] == [NOW + timedelta(hours=1), NOW + timedelta(hours=3)]
    assert choices[4].until == datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
