"""Time arithmetic inside SQL, the same on SQLite and PostgreSQL.

KPIs aggregate hundreds of thousands of rows, so durations, day buckets and business-hours
clocks must be computed by the database, not row by row in Python. The two engines store
time differently (UTC text on SQLite, `timestamptz` on PostgreSQL); `epoch` turns either into
seconds. Business hours become a piecewise-linear function of time: the open seconds elapsed
since an origin, which is flat while the calendar is closed and climbs one second per second
while it is open. The open time between two moments is then the difference of two values of
that function, written as a balanced `CASE` tree over the calendar's openings and closings
(a handful of comparisons per row, whatever the calendar).

A stored time can be placed in such a tree by comparing the column itself with the
breakpoints as times (`bucket_at`, `OpenClock.sql_at`): both engines compare stored times
without converting them, so a row costs one conversion to seconds at most, however deep the
tree.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import Float, case, func, literal_column
from sqlalchemy.sql.elements import ColumnElement

from .sla import Calendar

_UNIX_JULIAN_DAY = 2440587.5
"""The Julian day number of 1970-01-01T00:00Z, SQLite's `julianday` origin."""
_EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def seconds(moment: datetime) -> float:
    """A moment as Unix seconds, as `epoch` computes them in SQL."""
    return (moment - _EPOCH).total_seconds()


def epoch(dialect: str, column: ColumnElement[datetime]) -> ColumnElement[float]:
    """Unix seconds of a stored UTC datetime column, on `dialect` ("sqlite" or "postgresql")."""
    if dialect == "sqlite":
        return (func.julianday(column) - _UNIX_JULIAN_DAY) * 86400.0
    # date_part gives the double that EXTRACT's numeric rounds to, without the numeric.
    return func.date_part("epoch", column, type_=Float)


def moment(value: float) -> datetime:
    """Unix seconds as an aware UTC datetime (the inverse of `seconds`)."""
    return _EPOCH + timedelta(seconds=value)


def at_least_zero(dialect: str, x: ColumnElement[float]) -> ColumnElement[float]:
    """`x`, or 0 where it is negative, evaluating `x` once (a `CASE` would evaluate it twice).

    `x` must not be NULL: SQLite's `max` gives NULL, PostgreSQL's `greatest` 0.
    """
    if dialect == "sqlite":
        return func.max(x, number(0.0))
    return func.greatest(x, number(0.0))


def number(value: float) -> ColumnElement[float]:
    """A float constant written into the statement (generated here, never user input)."""
    return literal_column(repr(float(value)), Float)


def bucket_at(column: ColumnElement[datetime], bounds: Sequence[datetime]) -> ColumnElement[int]:
    """The index `i` such that `bounds[i] <= column < bounds[i + 1]`; -1 below, len-1 above.

    `bounds` must be increasing times; the result is a balanced tree of comparisons of the
    stored time with them.
    """

    def tree(lo: int, hi: int) -> ColumnElement[int]:
        if hi - lo <= 1:
            return literal_column(str(lo))
        mid = (lo + hi) // 2
        return case((column < bounds[mid], tree(lo, mid)), else_=tree(mid, hi))

    if not bounds:
        return literal_column("-1")
    return case((column < bounds[0], literal_column("-1")), else_=tree(0, len(bounds)))


@dataclass(frozen=True, slots=True)
class OpenClock:
    """Open seconds elapsed since `points[0]`, as breakpoints of a piecewise-linear function.

    Between two breakpoints the clock either stands still (closed) or runs (open); before the
    first it reads 0 and after the last it keeps its last value.
    """

    points: tuple[tuple[float, float], ...]
    """(Unix seconds, open seconds so far), increasing in both."""

    @classmethod
    def build(cls, calendar: Calendar, start: datetime, end: datetime) -> OpenClock:
        """The clock of `calendar` over [start, end], counted with `Calendar.open_time`."""
        edges: list[datetime] = []
        day = start.astimezone(calendar.zone).date() - timedelta(days=1)
        last = end.astimezone(calendar.zone).date() + timedelta(days=1)
        while day <= last:
            for opens, closes in calendar.intervals(day):
                edges.extend((opens, closes))
            day += timedelta(days=1)
        points: list[tuple[float, float]] = []
        total = timedelta(0)
        previous: datetime | None = None
        for edge in sorted(set(edges)):
            if previous is not None:
                total += calendar.open_time(previous, edge)
            points.append((seconds(edge), total.total_seconds()))
            previous = edge
        return cls(tuple(points))

    def value(self, at: float) -> float:
        """The clock at Unix seconds `at`, computed in Python (what `sql` computes)."""
        points = self.points
        if not points or at <= points[0][0]:
            return 0.0
        for (x0, y0), (x1, y1) in zip(points, points[1:], strict=False):
            if at < x1:
                return y0 if y1 == y0 else y0 + (at - x0)
        return points[-1][1]

    def sql(self, x: ColumnElement[float]) -> ColumnElement[float]:
        """The clock at Unix seconds `x`, as a SQL expression."""
        if not self.points:
            return number(0.0)
        return self._tree(x, x, number)

    def sql_at(self, dialect: str, column: ColumnElement[datetime]) -> ColumnElement[float]:
        """The clock at a stored time: the tree compares the column as stored, and only the
        segment it lands on converts it to seconds."""
        if not self.points:
            return number(0.0)
        return self._tree(epoch(dialect, column), column, moment)

    def _tree(self, x: ColumnElement[float], compared: ColumnElement[Any],
              literal: Callable[[float], Any]) -> ColumnElement[float]:
        """A binary tree of CASEs over the segments; `compared` (`x`, or the stored value it
        comes from) is tested against each point made `literal`."""
        points = self.points

        def segment(i: int) -> ColumnElement[float]:
            (x0, y0), (_x1, y1) = points[i], points[i + 1]
            return number(y0) if y1 == y0 else x + number(y0 - x0)

        def tree(lo: int, hi: int) -> ColumnElement[float]:
            # x lies in [points[lo].x, points[hi].x): choose among segments lo .. hi-1.
            if hi - lo <= 1:
                return segment(lo)
            mid = (lo + hi) // 2
            return case((compared < literal(points[mid][0]), tree(lo, mid)),
                        else_=tree(mid, hi))

        inner = tree(0, len(points) - 1) if len(points) > 1 else number(points[0][1])
        return case(
            (compared < literal(points[0][0]), number(0.0)),
            (compared >= literal(points[-1][0]), number(points[-1][1])),
            else_=inner,
        )
