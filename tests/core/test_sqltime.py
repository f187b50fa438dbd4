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
from workstation.sqltime import OpenClock, at_least_zero, bucket_at, epoch, seconds

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


def test_the_clock_reads_stored_times_as_it_reads_seconds(engine: Engine) -> None:
    clock = OpenClock.build(OFFICE, START, END)
    moments = [*_moments(30), START - timedelta(days=3), END + timedelta(days=3),
               datetime(2026, 11, 2, 9, 0, tzinfo=PARIS)]  # exactly at an opening
    with db.write(engine) as conn:
        for m in moments:
            seed.conversation(conn, start=m)
    c = Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        rows = conn.execute(select(c.created_at, clock.sql_at(engine.dialect.name,
                                                               c.created_at))).all()
    assert len(rows) == len(moments)
    for at, value in rows:
        assert value == pytest.approx(clock.value(seconds(at)), abs=1e-3)


def test_bucket_places_stored_times_between_bounds(engine: Engine) -> None:
    bounds = [START + timedelta(days=d) for d in (1, 2, 3, 4, 5)]
    cases = {START: -1, bounds[0]: 0, bounds[1] - timedelta(microseconds=1): 0, bounds[1]: 1,
             bounds[3] + timedelta(hours=5): 3, bounds[4]: 4, END: 4}
    with db.write(engine) as conn:
        ids = {seed.conversation(conn, start=at): expected for at, expected in cases.items()}
    c = Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        found = dict(conn.execute(select(c.id, bucket_at(c.created_at, bounds))).all())
    assert found == ids


def test_at_least_zero_keeps_positive_values(engine: Engine) -> None:
    dialect = engine.dialect.name
    with db.read(engine) as conn:
        for x, expected in ((-2.5, 0.0), (0.0, 0.0), (3.25, 3.25)):
            value = conn.execute(select(at_least_zero(dialect, literal(x, Float)))).scalar_one()
            assert float(value) == expected
