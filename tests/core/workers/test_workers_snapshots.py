"""KPI snapshots: per day and week, per platform, upserted (a second run rewrites, never adds)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine, select

from tests.thread_factory import NOW, add_thread
from workstation import db
from workstation.clock import FrozenClock
from workstation.kpi_config import load
from workstation.models import KpiSnapshot
from workstation.workers.snapshots import periods, snapshot_kpis

_K = KpiSnapshot.__table__  # type: ignore[attr-defined]


def snapshots(engine: Engine) -> dict[tuple[str, str, datetime, str], float]:
    with db.read(engine) as conn:
        rows = conn.execute(select(_K.c.kpi, _K.c.period, _K.c.period_start, _K.c.dimension,
                                   _K.c.value)).all()
    return {(r.kpi, r.period, r.period_start, r.dimension): r.value for r in rows}


def test_periods_are_yesterday_today_last_week_and_this_week() -> None:
    paris = ZoneInfo("Europe/Paris")
    thursday = datetime(2026, 11, 19, 23, 30, tzinfo=UTC)  # already Friday in Paris
    assert [(p.name, p.first, p.days) for p in periods(thursday, paris)] == [
        ("day", date(2026, 11, 19), 1), ("day", date(2026, 11, 20), 1),
        ("week", date(2026, 11, 9), 7), ("week", date(2026, 11, 16), 7)]


def test_snapshots_are_written_once_per_kpi_period_and_scope(engine: Engine,
                                                             clock: FrozenClock) -> None:
    book = load()
    add_thread(engine, platform="instagram", at=NOW - timedelta(hours=1))
    add_thread(engine, platform="x", at=NOW - timedelta(hours=2))
    add_thread(engine, platform="x", at=NOW - timedelta(days=1, hours=2))
    written = snapshot_kpis(engine, book, {}, clock=clock)
    first = snapshots(engine)
    assert written == len(first) > 0
    today = datetime(2026, 11, 19, 23, 0, tzinfo=UTC)  # Nov 20th, midnight in Paris
    assert first[("volume", "day", today, "")] == 2
    assert first[("volume", "day", today, "platform=x")] == 1
    assert first[("volume", "day", today - timedelta(days=1), "")] == 1
    monday = datetime(2026, 11, 15, 23, 0, tzinfo=UTC)
    assert first[("volume", "week", monday, "")] == 3
    add_thread(engine, platform="x", at=NOW - timedelta(minutes=5))
    clock.advance(minutes=1)
    snapshot_kpis(engine, book, {}, clock=clock)
    second = snapshots(engine)
    assert set(second) == set(first)
    assert second[("volume", "day", today, "platform=x")] == 2
    assert second[("volume", "week", monday, "")] == 4
