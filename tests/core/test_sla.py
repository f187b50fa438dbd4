"""SLA clocks across business hours, weekends, holidays, time zones and DST."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from workstation.sla import Breach, Calendar, SlaPolicy, Target

PARIS = ZoneInfo("Europe/Paris")
WEEKDAYS = {d: ((time(9), time(18)),) for d in range(5)}
OFFICE = Calendar("office", PARIS, WEEKDAYS, frozenset({date(2026, 12, 25)}))


def at(text: str, zone: ZoneInfo = PARIS) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=zone).astimezone(UTC)


def policy(first: str = "4h", pause: bool = True) -> SlaPolicy:
    hours = {"4h": 4, "30m": 0.5}[first]
    return SlaPolicy("p", Target(timedelta(hours=hours), timedelta(hours=8)),
                     {"x": Target(timedelta(minutes=15), timedelta(minutes=30))}, OFFICE, pause)


def test_within_hours_the_clock_runs_normally() -> None:
    assert policy().due(at("2026-11-24T10:00"), first=True) == at("2026-11-24T14:00")


def test_friday_evening_carries_over_the_weekend() -> None:
    assert policy().due(at("2026-11-27T17:00"), first=True) == at("2026-11-30T12:00")


def test_a_message_at_night_starts_counting_at_opening() -> None:
    assert policy().due(at("2026-11-24T02:00"), first=True) == at("2026-11-24T13:00")


def test_holidays_are_closed() -> None:
    assert policy().due(at("2026-12-24T17:00"), first=True) == at("2026-12-28T12:00")


def test_without_pause_the_clock_runs_around_the_clock() -> None:
    assert policy(pause=False).due(at("2026-11-27T17:00"), first=True) == at("2026-11-27T21:00")


def test_platform_override_and_next_response_target() -> None:
    p = policy(pause=False)
    assert p.due(at("2026-11-24T10:00"), first=True, platform="x") == at("2026-11-24T10:15")
    assert p.due(at("2026-11-24T10:00"), first=False) == at("2026-11-24T18:00")


def test_opening_hours_follow_daylight_saving_time() -> None:
    # Paris leaves summer time on 2026-10-25: 09:00 local is 07:00 UTC before, 08:00 after.
    assert OFFICE.is_open(datetime(2026, 10, 23, 7, 30, tzinfo=UTC))
    assert not OFFICE.is_open(datetime(2026, 10, 26, 7, 30, tzinfo=UTC))
    assert OFFICE.is_open(datetime(2026, 10, 26, 8, 30, tzinfo=UTC))


def test_a_calendar_in_another_zone() -> None:
    tokyo = Calendar("tokyo", ZoneInfo("Asia/Tokyo"), WEEKDAYS)
    due = SlaPolicy("p", Target(timedelta(hours=1), timedelta(hours=1)), {}, tokyo, True).due(
        at("2026-11-24T08:30", ZoneInfo("Asia/Tokyo")), first=True)
    assert due == at("2026-11-24T10:00", ZoneInfo("Asia/Tokyo"))


def test_open_time_between_two_moments() -> None:
    assert OFFICE.open_time(at("2026-11-27T17:00"), at("2026-11-30T10:00")) == timedelta(hours=2)


def test_breach_states() -> None:
    p = policy()
    due = at("2026-11-24T14:00")
    assert p.breach(None, due) is Breach.NONE
    assert p.breach(due, due - timedelta(hours=1)) is Breach.OK
    assert p.breach(due, due - timedelta(minutes=10)) is Breach.WARNING
    assert p.breach(due, due) is Breach.BREACHED
