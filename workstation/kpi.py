"""KPIs computed over the store: how fast, how well and with what return the team answers.

Every figure is about one cohort, the conversations that reached the inbox in a window (by
default the last 14 days, midnight to midnight in the team's time zone), cut by platform and
by day. The database does the work in one statement (plus one on the leads, which are few),
so the panel stays fast on a store of a million messages: one scan of the window's
conversations, each one's first message found through the thread index, first response times
counted in business hours by a `CASE` tree (see `sqltime`), sums per platform and day, and
for medians and 90th percentiles the two values either side of each rank, picked by a bounded
sort (`ORDER BY ... LIMIT 2 OFFSET k`). Python only adds up a few hundred rows.

Definitions (kpis.toml explains them to people):
- *needs a reply*: not hidden, deleted or banned by moderation;
- *first response time*: our first reply minus the customer's first message, in open hours
  of the SLA policy's calendar when that policy pauses outside them, else around the clock;
- *SLA*: the first reply by `first_response_due`; a conversation still unanswered past it is a
  miss, one not yet due is left out;
- *resolution time*: resolution minus first message, around the clock;
- *CSAT*: share of 4 and 5 answers to the CSAT question (1 to 5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Integer, and_, case, func, literal, literal_column, or_, select, union_all
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from . import db
from .models import Conversation, Lead, LeadStage, Message
from .sla import SlaPolicy
from .sqltime import OpenClock, bucket, epoch, number, seconds

NEEDS_REPLY = ("allow", "review")
"""Moderation verdicts of conversations that need a reply (hidden, deleted, banned do not)."""
SATISFIED = 4
"""The lowest CSAT answer (1-5) that counts as satisfied."""
LOOKBACK = timedelta(days=31)
"""How far before the window a first message may lie and still be timed in business hours."""
SPREADS = ("first_response", "resolution")
"""The durations whose median and 90th percentile can be asked for."""

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_L = Lead.__table__.c  # type: ignore[attr-defined]
_PERCENTS = (50, 90)


@dataclass(frozen=True, slots=True)
class Tally:
    """The additive counts and sums of one group of conversations."""

    conversations: int = 0
    needs_reply: int = 0
    responded: int = 0
    """Conversations needing a reply that got one."""
    response_seconds: float = 0.0
    """Sum of their first response times."""
    sla_hit: int = 0
    sla_missed: int = 0
    escalated: int = 0
    resolved: int = 0
    resolution_seconds: float = 0.0
    leads: int = 0
    """Conversations that produced a lead."""
    customers: int = 0
    """Of those, the ones whose lead became a customer."""
    csat_answers: int = 0
    csat_satisfied: int = 0
    csat_points: int = 0
    sentiment: float = 0.0
    """Sum of the conversations' sentiment scores."""

    def __add__(self, other: Tally) -> Tally:
        return Tally(*(getattr(self, f.name) + getattr(other, f.name) for f in fields(self)))


_TALLY_COLS = len(fields(Tally))


@dataclass(frozen=True, slots=True)
class Spread:
    """Median and 90th percentile of a duration, in seconds (linear interpolation)."""

    median: float | None = None
    p90: float | None = None


@dataclass(frozen=True, slots=True)
class Figures:
    """The KPIs of one scope (all platforms or one) over one period."""

    tally: Tally = field(default_factory=Tally)
    first_response: Spread = field(default_factory=Spread)
    resolution: Spread = field(default_factory=Spread)

    def metric(self, name: str) -> float | None:
        """The value of a metric of `kpi_config.METRICS`; None when there is nothing to count.

        Raises:
            KeyError: `name` is not a known metric.
        """
        t = self.tally
        values: dict[str, float | None] = {
            "first_response_mean": _ratio(t.response_seconds, t.responded),
            "first_response_median": self.first_response.median,
            "first_response_p90": self.first_response.p90,
            "response_rate": _ratio(t.responded, t.needs_reply, 100),
            "sla_hit_rate": _ratio(t.sla_hit, t.sla_hit + t.sla_missed, 100),
            "escalation_rate": _ratio(t.escalated, t.conversations, 100),
            "resolution_time_mean": _ratio(t.resolution_seconds, t.resolved),
            "resolution_time_median": self.resolution.median,
            "lead_conversion": _ratio(t.leads, t.conversations, 100),
            "lead_to_customer": _ratio(t.customers, t.leads, 100),
            "csat": _ratio(t.csat_satisfied, t.csat_answers, 100),
            "csat_mean": _ratio(t.csat_points, t.csat_answers),
            "volume": float(t.conversations),
            "sentiment": _ratio(t.sentiment, t.conversations),
        }
        return values[name]


@dataclass(frozen=True)
class KpiReport:
    """The figures of a window, for all platforms ("") and each one, in total and per day."""

    start: datetime
    end: datetime
    days: tuple[date, ...]
    """The local days of the window, oldest first."""
    scopes: Mapping[str, Figures]
    """"" (all platforms) first, then each platform seen, alphabetically."""
    daily: Mapping[str, tuple[Figures, ...]]
    """Per scope, one `Figures` per day of `days` (sums only: no percentiles)."""

    def series(self, metric: str, scope: str = "") -> tuple[float | None, ...]:
        """A metric's value per day of the window, for a scope."""
        return tuple(f.metric(metric) for f in self.daily.get(scope, ()))


def window(now: datetime, days: int, zone: ZoneInfo) -> tuple[datetime, tuple[date, ...]]:
    """The window's start (local midnight, `days - 1` days before today) and its local days."""
    today = now.astimezone(zone).date()
    dates = tuple(today - timedelta(days=n) for n in range(days - 1, -1, -1))
    return _midnight(dates[0], zone), dates


def compute(
    engine: Engine,
    *,
    now: datetime,
    days: int = 14,
    zone: ZoneInfo | None = None,
    policies: Mapping[str, SlaPolicy] | None = None,
    spreads: Sequence[str] = SPREADS,
    spread_scopes: Sequence[str] = ("",),
) -> KpiReport:
    """The KPIs of the conversations that reached the inbox in the last `days` local days.

    Args:
        engine: the store.
        now: the end of the window (the clock's now).
        days: the window's length in local days, today included.
        zone: where days start at midnight (UTC by default).
        policies: the SLA policies of rules.toml; conversations whose policy pauses outside
            its calendar's hours have their first response timed in open hours.
        spreads: the durations of `SPREADS` to compute medians and 90th percentiles of.
        spread_scopes: for which scopes ("" for all platforms, or platform names); each costs
            a bounded sort, so a screen asks only for the scope it shows.
    """
    zone = zone or ZoneInfo("UTC")
    start, dates = window(now, days, zone)
    bounds = [seconds(_midnight(d, zone)) for d in dates]
    dialect = engine.dialect.name
    statement = _statement(dialect, start, now, bounds, policies or {}, spreads, spread_scopes)
    with db.read(engine) as conn:
        rows = conn.execute(statement).all()
        lead_rows = conn.execute(_lead_statement(dialect, start, now, bounds)).all()
    tallies: dict[tuple[str, int], Tally] = {}
    ranks: dict[tuple[str, str, int], list[float]] = {}
    for row in rows:
        part, platform = row[0], row[1]
        if part == "t":
            tallies[(platform, int(row[2]))] = Tally(*(_num(v) for v in row[3:3 + _TALLY_COLS]))
        elif row[-1] is not None:
            ranks.setdefault((part, platform, int(row[-2])), []).append(float(row[-1]))
    for row in lead_rows:
        key = (row.platform, int(row.day))
        tallies[key] = tallies.get(key, Tally()) + Tally(leads=int(row.leads),
                                                         customers=int(row.customers or 0))
    return _report(start, now, dates, tallies, ranks)


# -- SQL ---------------------------------------------------------------------------------------


def _statement(
    dialect: str, start: datetime, end: datetime, bounds: list[float],
    policies: Mapping[str, SlaPolicy], spreads: Sequence[str], spread_scopes: Sequence[str],
) -> Any:
    first_message = (
        select(func.min(_M.created_at)).where(_M.conversation_id == _C.id).scalar_subquery()
    )
    raw = (  # one pass over the window's conversations: times as seconds
        select(
            func.coalesce(_C.platform, "").label("platform"),
            epoch(dialect, _C.created_at).label("at"),
            case((_C.moderation.in_(NEEDS_REPLY), 1), else_=0).label("needs"),
            case((_C.escalated, 1), else_=0).label("esc"),
            _C.csat.label("csat"),
            _C.sentiment.label("sentiment"),
            _C.sla_policy.label("policy"),
            epoch(dialect, func.coalesce(first_message, _C.created_at)).label("st"),
            epoch(dialect, _C.first_response_at).label("fr"),
            epoch(dialect, _C.first_response_due).label("due"),
            epoch(dialect, _C.resolved_at).label("res"),
        )
        .where(_C.created_at >= start, _C.created_at < end)
        .cte("kpi_raw")
        .prefix_with("MATERIALIZED")
    )
    w = raw.c
    answered = and_(w.needs == 1, w.fr.is_not(None))
    rows = (  # durations worked out once per row; NULL where they do not apply
        select(
            w.platform, bucket(w.at, bounds).label("day"), w.needs, w.esc, w.csat, w.sentiment,
            w.fr, w.due, w.res,
            case((answered, _clamp(_first_response(w, start - LOOKBACK, end, policies))))
            .label("frt"),
            case((w.res.is_not(None), _clamp(w.res - w.st))).label("resolution"),
        )
        .cte("kpi_rows")
        .prefix_with("MATERIALIZED")
    )
    r = rows.c
    late = or_(r.fr > r.due, and_(r.fr.is_(None), r.due <= number(seconds(end))))
    due = and_(r.needs == 1, r.due.is_not(None))
    measures = [
        func.count(),
        func.sum(r.needs),
        func.count(r.frt),
        func.coalesce(func.sum(r.frt), 0.0),
        func.sum(case((and_(due, r.fr <= r.due), 1), else_=0)),
        func.sum(case((and_(due, late), 1), else_=0)),
        func.sum(r.esc),
        func.count(r.resolution),
        func.coalesce(func.sum(r.resolution), 0.0),
        literal_column("0"),
        literal_column("0"),
        func.count(r.csat),
        func.sum(case((r.csat >= SATISFIED, 1), else_=0)),
        func.coalesce(func.sum(r.csat), 0),
        func.sum(r.sentiment),
    ]
    parts = [
        select(literal_column("'t'"), r.platform, r.day, *measures, _null(), _null())
        .group_by(r.platform, r.day)
    ]
    pads = [_null() for _ in range(1 + _TALLY_COLS)]
    for name in spreads:
        column = {"first_response": r.frt, "resolution": r.resolution}[name]
        for scope in spread_scopes:
            where = [column.is_not(None)] + ([r.platform == scope] if scope else [])
            n = select(func.count()).select_from(rows).where(*where).scalar_subquery()
            for percent in _PERCENTS:
                low = (n - 1) * percent // 100  # 0-based rank below the percentile
                # The bounded sort keeps OFFSET + 2 values: count from the nearer end.
                order, offset = (column, low) if percent <= 50 else (
                    column.desc(), case((n - 2 - low < 0, 0), else_=n - 2 - low))
                around = (
                    select(column.label("v")).where(*where).order_by(order).limit(2)
                    .offset(offset)
                    .subquery()
                )
                parts.append(select(literal(name), literal(scope), *pads,
                                    literal(percent, Integer), around.c.v))
    return union_all(*parts)


def _lead_statement(dialect: str, start: datetime, end: datetime, bounds: list[float]) -> Any:
    platform = func.coalesce(_C.platform, "")
    day = bucket(epoch(dialect, _C.created_at), bounds)
    return (
        select(
            platform.label("platform"),
            day.label("day"),
            func.count(func.distinct(_L.conversation_id)).label("leads"),
            func.count(func.distinct(
                case((_L.stage == LeadStage.CUSTOMER.value, _L.conversation_id))
            )).label("customers"),
        )
        .select_from(Lead.__table__.join(  # type: ignore[attr-defined]
            Conversation.__table__, _C.id == _L.conversation_id))  # type: ignore[attr-defined]
        .where(_C.created_at >= start, _C.created_at < end)
        .group_by(platform, day)
    )


def _first_response(
    w: Any, start: datetime, end: datetime, policies: Mapping[str, SlaPolicy],
) -> ColumnElement[float]:
    """First reply minus first message, in the calendar's open time for pausing policies."""
    by_calendar: dict[str, list[str]] = {}
    calendars = {}
    for name, spec in policies.items():
        if spec.pause_outside_hours and spec.calendar is not None:
            by_calendar.setdefault(spec.calendar.name, []).append(name)
            calendars[spec.calendar.name] = spec.calendar
    wall = w.fr - w.st
    if not by_calendar:
        return wall  # type: ignore[no-any-return]
    whens = []
    for name, names in sorted(by_calendar.items()):
        clock = OpenClock.build(calendars[name], start, end)
        whens.append((w.policy.in_(sorted(names)), clock.sql(w.fr) - clock.sql(w.st)))
    return case(*whens, else_=wall)


def _clamp(x: ColumnElement[float]) -> ColumnElement[float]:
    return case((x < 0, number(0.0)), else_=x)


def _null() -> ColumnElement[Any]:
    return literal_column("NULL")


# -- assembling ------------------------------------------------------------------------------


def _report(
    start: datetime, end: datetime, dates: tuple[date, ...],
    tallies: dict[tuple[str, int], Tally], ranks: dict[tuple[str, str, int], list[float]],
) -> KpiReport:
    platforms = sorted({p for p, _ in tallies})
    scopes: dict[str, Figures] = {}
    daily: dict[str, tuple[Figures, ...]] = {}
    for scope in ["", *platforms]:
        per_day = [
            _sum(t for (p, d), t in tallies.items() if d == day and scope in ("", p))
            for day in range(len(dates))
        ]
        total = _sum(per_day)
        daily[scope] = tuple(Figures(t) for t in per_day)
        scopes[scope] = Figures(
            total,
            Spread(*(_percentile(ranks.get(("first_response", scope, p)), total.responded, p)
                     for p in _PERCENTS)),
            Spread(*(_percentile(ranks.get(("resolution", scope, p)), total.resolved, p)
                     for p in _PERCENTS)),
        )
    return KpiReport(start, end, dates, scopes, daily)


def _percentile(around: list[float] | None, n: int, percent: int) -> float | None:
    """Linear interpolation between the ranks either side (as PostgreSQL's percentile_cont)."""
    if not around or n <= 0:
        return None
    low, high = min(around), max(around)
    fraction = ((n - 1) * percent % 100) / 100
    return low + fraction * (high - low)


def _sum(tallies: Iterable[Tally]) -> Tally:
    total = Tally()
    for t in tallies:
        total = total + t
    return total


def _ratio(part: float, whole: float, scale: float = 1.0) -> float | None:
    return None if not whole else part * scale / whole


def _num(value: Any) -> Any:
    return 0 if value is None else value


def _midnight(day: date, zone: ZoneInfo) -> datetime:
    return datetime.combine(day, time(0), zone)
