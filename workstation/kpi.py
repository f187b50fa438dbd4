"""KPIs computed over the store: how fast, how well and with what return the team answers.

Every figure is about one cohort, the conversations that reached the inbox in a window (by
default the last 14 days, midnight to midnight in the team's time zone), cut by platform and
by day. The database does the work in one statement, so the panel stays fast on a store of a
million messages: one pass over the window's conversations through an index that holds every
column read (`ix_conversation_kpi`), with the first message's time stored on the conversation
(`response_times`), first response times counted in business hours by a `CASE` tree (see
`sqltime`), whether a lead came of it from the lead index, sums per platform and day, and for
medians and 90th percentiles the two values either side of each rank, picked by a bounded
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
from functools import lru_cache
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import (
    Text, and_, bindparam, case, cast, func, literal, literal_column, or_, select, union_all,
)
from sqlalchemy.engine import Engine
from sqlalchemy.sql.elements import ColumnElement

from . import db
from .models import Conversation, Lead, LeadStage
from .sla import SlaPolicy
from .sqltime import OpenClock, at_least_zero, bucket_at, epoch

NEEDS_REPLY = ("allow", "review")
"""Moderation verdicts of conversations that need a reply (hidden, deleted, banned do not)."""
SATISFIED = 4
"""The lowest CSAT answer (1-5) that counts as satisfied."""
LOOKBACK = timedelta(days=31)
"""How far before the window a first message may lie and still be timed in business hours."""
SPREADS = ("first_response", "resolution")
"""The durations whose median and 90th percentile can be asked for."""

_C = Conversation.__table__.c  # type: ignore[attr-defined]
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
        spread_scopes: for which scopes ("" for all platforms, or platform names); each reads
            the scope's values back, so a screen asks only for the scope it shows.
    """
    zone = zone or ZoneInfo("UTC")
    start, dates = window(now, days, zone)
    bounds = tuple(_midnight(d, zone) for d in dates)
    # The clocks run to the end of the window's last day, so a panel refreshed all day long
    # builds its statement once (`now` is a parameter).
    last = _midnight(dates[-1] + timedelta(days=1), zone)
    timers = open_clocks(policies or {}, start - LOOKBACK, last)
    statement = _statement(engine.dialect.name, start, bounds, timers, tuple(spreads),
                           tuple(spread_scopes))
    with db.read(engine, jit=False) as conn:
        rows = conn.execute(statement, {"kpi_end": now}).all()
    tallies: dict[tuple[str, int], Tally] = {}
    spread: dict[tuple[str, str], Spread] = {}
    for row in rows:
        part, platform = row[0], row[1]
        if part == "t":
            tallies[(platform, int(row[2]))] = Tally(*(_num(v) for v in row[3:3 + _TALLY_COLS]))
        else:
            spread[(part, platform)] = spread_of(parse_values(row[-1]))
    return _report(start, now, dates, tallies, spread)


# -- SQL ---------------------------------------------------------------------------------------


Clocks = tuple[tuple[tuple[str, ...], OpenClock], ...]
"""The open-hours clock of each calendar of pausing policies, with the policies' names."""


@lru_cache(maxsize=16)
def _statement(
    dialect: str, start: datetime, bounds: tuple[datetime, ...], clocks: Clocks,
    spreads: tuple[str, ...], spread_scopes: tuple[str, ...],
) -> Any:
    end = bindparam("kpi_end", type_=_C.created_at.type)
    began = func.coalesce(_C.first_message_at, _C.created_at)
    needs = _C.moderation.in_(NEEDS_REPLY)
    due = and_(needs, _C.first_response_due.is_not(None))
    # One pass over the window's conversations (the covering index `ix_conversation_kpi`):
    # every figure of a conversation worked out once, stored times compared as stored.
    rows = (
        select(
            func.coalesce(_C.platform, "").label("platform"),
            bucket_at(_C.created_at, bounds).label("day"),
            case((needs, 1), else_=0).label("needs"),
            case((_C.escalated, 1), else_=0).label("esc"),
            _C.csat.label("csat"),
            _C.sentiment.label("sentiment"),
            case((and_(due, _C.first_response_at <= _C.first_response_due), 1), else_=0)
            .label("hit"),
            case((and_(due, or_(_C.first_response_at > _C.first_response_due,
                                and_(_C.first_response_at.is_(None),
                                     _C.first_response_due <= end))), 1), else_=0)
            .label("miss"),
            case((and_(needs, _C.first_response_at.is_not(None)), at_least_zero(
                dialect, _open_time(dialect, _C.sla_policy, began, _C.first_response_at,
                                    clocks))))
            .label("frt"),
            case((_C.resolved_at.is_not(None), at_least_zero(
                dialect, epoch(dialect, _C.resolved_at) - epoch(dialect, began))))
            .label("resolution"),
            _lead().label("lead"),
        )
        .where(_C.created_at >= start, _C.created_at < end)
        .cte("kpi_rows")
        .prefix_with("MATERIALIZED")
    )
    r = rows.c
    measures = [
        func.count(),
        func.sum(r.needs),
        func.count(r.frt),
        func.coalesce(func.sum(r.frt), 0.0),
        func.sum(r.hit),
        func.sum(r.miss),
        func.sum(r.esc),
        func.count(r.resolution),
        func.coalesce(func.sum(r.resolution), 0.0),
        func.count(r.lead),
        func.coalesce(func.sum(r.lead), 0),
        func.count(r.csat),
        func.sum(case((r.csat >= SATISFIED, 1), else_=0)),
        func.coalesce(func.sum(r.csat), 0),
        func.sum(r.sentiment),
    ]
    parts = [select(literal_column("'t'"), r.platform, r.day, *measures, _null())
             .group_by(r.platform, r.day)]
    pads = [_null() for _ in range(1 + _TALLY_COLS)]
    for name in spreads:
        column = {"first_response": r.frt, "resolution": r.resolution}[name]
        for scope in spread_scopes:
            where = [column.is_not(None)] + ([r.platform == scope] if scope else [])
            parts.append(select(literal(name), literal(scope), *pads,
                                values_text(dialect, column)).where(*where))
    return union_all(*parts)


def _lead() -> ColumnElement[Any]:
    """Per conversation: NULL without a lead, 1 when one of its leads became a customer,
    else 0 (one look into the lead index by conversation)."""
    return (
        select(func.max(case((_L.stage == LeadStage.CUSTOMER.value, 1), else_=0)))
        .where(_L.conversation_id == _C.id)
        .scalar_subquery()
    )


def _open_time(
    dialect: str, policy: ColumnElement[str], since: ColumnElement[datetime],
    until: ColumnElement[datetime], clocks: Clocks,
) -> ColumnElement[float]:
    """Seconds from `since` to `until` (stored times), in the calendar's open hours for
    conversations whose policy pauses outside them (see `open_clocks`), else around the clock."""
    wall = epoch(dialect, until) - epoch(dialect, since)
    whens = [(policy.in_(names), clock.sql_at(dialect, until) - clock.sql_at(dialect, since))
             for names, clock in clocks]
    return case(*whens, else_=wall) if whens else wall


def open_clocks(policies: Mapping[str, SlaPolicy], start: datetime, end: datetime) -> Clocks:
    """The open-hours clock over [start, end] of each calendar that pausing policies use."""
    by_calendar: dict[str, list[str]] = {}
    calendars = {}
    for name, spec in policies.items():
        if spec.pause_outside_hours and spec.calendar is not None:
            by_calendar.setdefault(spec.calendar.name, []).append(name)
            calendars[spec.calendar.name] = spec.calendar
    return tuple((tuple(sorted(names)), OpenClock.build(calendars[name], start, end))
                 for name, names in sorted(by_calendar.items()))


def _null() -> ColumnElement[Any]:
    return literal_column("NULL")


# -- assembling ------------------------------------------------------------------------------


def _report(
    start: datetime, end: datetime, dates: tuple[date, ...],
    tallies: dict[tuple[str, int], Tally], spread: dict[tuple[str, str], Spread],
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
        scopes[scope] = Figures(total, spread.get(("first_response", scope), Spread()),
                                spread.get(("resolution", scope), Spread()))
    return KpiReport(start, end, dates, scopes, daily)


def values_text(dialect: str, column: ColumnElement[float]) -> ColumnElement[str]:
    """A group's values as one text, comma-separated, in no particular order.

    Medians and percentiles are taken in Python from the parsed values (`parse_values`,
    `spread_of`): SQLite's bounded sort (`ORDER BY ... LIMIT 2 OFFSET k`) costs half a
    microsecond per value and per percentile, a sort in Python of the values read back a tenth
    of that, for all percentiles at once. Both engines write a float back exactly enough
    (SQLite 15 significant digits, PostgreSQL the shortest exact form).
    """
    if dialect == "sqlite":
        return func.group_concat(column, ",")
    return func.string_agg(cast(column, Text), ",")


def parse_values(text: str | None) -> list[float]:
    """The values of `values_text`, sorted."""
    return sorted(map(float, text.split(","))) if text else []


def spread_of(ordered: Sequence[float]) -> Spread:
    """Median and 90th percentile of sorted values."""
    return Spread(*(_percentile(ordered, p) for p in _PERCENTS))


def _percentile(ordered: Sequence[float], percent: int) -> float | None:
    """Linear interpolation between the ranks either side (as PostgreSQL's percentile_cont)."""
    if not ordered:
        return None
    low, fraction = divmod((len(ordered) - 1) * percent, 100)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + fraction / 100 * (ordered[high] - ordered[low])


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
