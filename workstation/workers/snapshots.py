"""The KPI snapshot job: each computed KPI of kpis.toml, per day and per week, kept in the store.

Trends must survive data retention, and a report on last quarter should not recompute it
from raw messages. Each run computes, in the team's time zone (kpis.toml `[panel]`), the
current day and week so far and the previous, complete ones, for all platforms and for each
platform, and upserts them into `kpi_snapshot` (one row per KPI, period, start and
dimension): running it twice, or every few minutes, rewrites the same rows with fresher
values. Medians and percentiles are kept for all platforms only (each scope costs a sort);
the report-only metrics (`kpi_config.REPORT_ONLY`: ROI, CAC...) are left to the reports.
A period's figures are those of the conversations that started in it, as of its end (or now,
for the current one).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import Engine
from sqlalchemy.dialects import postgresql, sqlite

from workstation import db, kpi
from workstation.clock import Clock, to_utc, utcnow
from workstation.kpi_config import REPORT_ONLY, KpiBook
from workstation.models import KpiSnapshot
from workstation.sla import SlaPolicy

_TABLE = KpiSnapshot.__table__  # type: ignore[attr-defined]
_KEY = ("kpi", "period", "period_start", "dimension")
_TICK = timedelta(microseconds=1)


@dataclass(frozen=True, slots=True)
class Period:
    """A day or a week of local time."""

    name: str
    """day or week."""
    first: date
    days: int

    def start(self, zone: ZoneInfo) -> datetime:
        return to_utc(datetime.combine(self.first, time(0), zone))

    def end(self, zone: ZoneInfo) -> datetime:
        return to_utc(datetime.combine(self.first + timedelta(days=self.days), time(0), zone))


def periods(now: datetime, zone: ZoneInfo) -> list[Period]:
    """Yesterday, today, last week and this week (weeks start on Monday)."""
    today = now.astimezone(zone).date()
    monday = today - timedelta(days=today.weekday())
    return [Period("day", today - timedelta(days=1), 1), Period("day", today, 1),
            Period("week", monday - timedelta(days=7), 7), Period("week", monday, 7)]


def snapshot_kpis(engine: Engine, book: KpiBook, policies: Mapping[str, SlaPolicy], *,
                  clock: Clock = utcnow) -> int:
    """Compute and upsert the snapshots; how many rows were written (safe to run twice)."""
    now = clock()
    metrics = [(d.key, d.metric) for d in book.kpis
               if d.metric is not None and d.metric not in REPORT_ONLY]
    if not metrics:
        return 0
    rows = []
    for period in periods(now, book.zone):
        end = min(now, period.end(book.zone) - _TICK)
        days = (end.astimezone(book.zone).date() - period.first).days + 1  # so far
        report = kpi.compute(engine, now=end, days=days, zone=book.zone, policies=policies,
                             spread_scopes=("",))
        for scope, figures in report.scopes.items():
            dimension = f"platform={scope}" if scope else ""
            for key, metric in metrics:
                value = figures.metric(metric)
                if value is not None:
                    rows.append({"kpi": key, "period": period.name,
                                 "period_start": period.start(book.zone),
                                 "dimension": dimension, "value": float(value),
                                 "computed_at": now})
    if rows:
        with db.write(engine) as conn:
            dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
            statement = dialect.insert(_TABLE)
            conn.execute(statement.on_conflict_do_update(
                index_elements=list(_KEY),
                set_={"value": statement.excluded.value,
                      "computed_at": statement.excluded.computed_at}), rows)
    return len(rows)
