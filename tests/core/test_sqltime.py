"""Time arithmetic in SQL agrees with the Python calendar on both engines, DST included."""

from __future__ import annotations

import random
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, Float, literal, select

from tests import seed
from workstation import db
from workstation.models import Conversation
from workstation.sla import Calendar
from workstation.sqltime import OpenClock, bucket, epoch, seconds

PARIS = ZoneInfo("Europe/Paris")
OFFICE = Calendar("office", PARIS, {
    **{d: ((time(9), time(12, 30)), (time(13, 30), time(18))) for d in range(5)},
    5: ((time(10), time(13)),),
}, frozenset({date(2026, 11, 11)}))
ALWAYS = Calendar("always", PARIS, {d: ((time(0), time(0)),) for d in range(7)})
"""Open around the clock: open time is wall time, even on the 25-hour day of October."""
START, END = datetime(2026, 10, 20, tzinfo=UTC), datetime(2026, 11, 16, tzinfo=UTC)


def _moments(count: int) -> list[datetime]:
    rng = random.Random(5)
    span = (END - START).total_seconds()
    return sorted(START + timedelta(seconds=rng.uniform(0, span)) for _ in range(count))


@pytest.mark.parametrize("calendar", [OFFICE, ALWAYS], ids=["office", "always"])
def test_open_clock_in_sql_matches_calendar_open_time(engine: Engine, calendar: Calendar) -> None:
    clock = OpenClock.build(calendar, START, END)
    moments = _moments(40)
    with db.read(engine) as conn:
        values = [conn.execute(select(clock.sql(literal(seconds(m), Float)))).scalar_one()
                  for m in moments]
    pairs = list(zip(moments, values, strict=True))
    for (a, va), (b, vb) in zip(pairs, pairs[1:], strict=False):
        expected = calendar.open_time(a, b).total_seconds()
        assert vb - va == pytest.approx(expected, abs=1e-3)
        assert clock.value(seconds(b)) - clock.value(seconds(a)) == pytest.approx(expected)


def test_the_clock_stands_still_outside_its_range() -> None:
    clock = OpenClock.build(OFFICE, START, END)
    first, last = clock.points[0], clock.points[-1]
    assert clock.value(first[0] - 86400) == 0.0
    assert clock.value(last[0] + 86400) == last[1]


def test_epoch_reads_stored_times_on_both_engines(engine: Engine) -> None:
    moment = datetime(2026, 10, 25, 1, 30, 15, 250000, tzinfo=UTC)
    with db.write(engine) as conn:
        seed.conversation(conn, start=moment)
    c = Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        value = conn.execute(select(epoch(engine.dialect.name, c.created_at))).scalar_one()
    assert value == pytest.approx(seconds(moment), abs=1e-3)


def test_bucket_places_values_between_bounds(engine: Engine) -> None:
    bounds = [10.0, 20.0, 30.0, 40.0, 50.0]
    cases = {5.0: -1, 10.0: 0, 19.9: 0, 20.0: 1, 45.0: 3, 50.0: 4, 99.0: 4}
    with db.read(engine) as conn:
        for x, expected in cases.items():
            assert conn.execute(select(bucket(literal(x, Float), bounds))).scalar_one() == expected
