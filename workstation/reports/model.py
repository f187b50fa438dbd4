"""A report as data: sections of tables and charts, each value with its unit.

Assembly (`reports.data`) decides what a report says; one renderer per format decides how it
looks. Values stay raw (seconds, percents, amounts) so JSON and CSV readers get numbers, and
each renderer formats them for people with `shown`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from workstation.kpi_config import format_value

Value = str | int | float | None
UNITS = ("text", "id", "count", "percent", "duration", "money", "score", "ratio")


@dataclass(frozen=True, slots=True)
class Table:
    """Rows of values under named columns; `units` says how to show each column."""

    title: str
    columns: tuple[str, ...]
    units: tuple[str, ...]
    rows: tuple[tuple[Value, ...], ...]
    note: str = ""
    """Shown under the table: how a figure is counted, or why the table is empty."""


@dataclass(frozen=True, slots=True)
class Chart:
    """One series to draw: bars over labelled points (days, platforms, campaigns)."""

    title: str
    labels: tuple[str, ...]
    values: tuple[float | None, ...]
    unit: str = "count"
    kind: str = "bars"
    """bars or line."""


@dataclass(frozen=True, slots=True)
class Section:
    key: str
    title: str
    tables: tuple[Table, ...] = ()
    charts: tuple[Chart, ...] = ()
    text: str = ""


@dataclass(frozen=True, slots=True)
class Report:
    """Everything a report says, whatever its format."""

    kind: str
    """triage, performance or strategy."""
    title: str
    period: str
    """The period as people name it ("November 2026")."""
    period_kind: str
    start: datetime
    end: datetime
    zone: str
    generated_at: datetime
    sections: tuple[Section, ...] = ()
    problems: tuple[str, ...] = field(default=())
    """What could not be read (kpis.toml, rules.toml); the report says what it can."""

    def to_json(self) -> dict[str, Any]:
        """The report as JSON-ready values (raw numbers, ISO times)."""
        return {
            "kind": self.kind, "title": self.title, "period": self.period,
            "period_kind": self.period_kind, "start": self.start.isoformat(),
            "end": self.end.isoformat(), "zone": self.zone,
            "generated_at": self.generated_at.isoformat(), "problems": list(self.problems),
            "sections": [{
                "key": s.key, "title": s.title, "text": s.text,
                "tables": [{"title": t.title, "note": t.note, "columns": list(t.columns),
                            "units": list(t.units),
                            "rows": [dict(zip(t.columns, r, strict=True)) for r in t.rows]}
                           for t in s.tables],
                "charts": [{"title": c.title, "unit": c.unit, "kind": c.kind,
                            "points": [{"label": lb, "value": v}
                                       for lb, v in zip(c.labels, c.values, strict=True)]}
                           for c in s.charts],
            } for s in self.sections],
        }


def shown(unit: str, value: Value) -> str:
    """A value for people: "1h 02m", "93.9%", "1,250.00", "12,345", "+0.15"; "–" for none."""
    if value is None or value == "":
        return "–" if unit != "text" else ""
    if unit in ("text", "id") or isinstance(value, str):
        return str(value)
    if unit in ("duration", "percent", "money", "count", "score"):
        # The KPI panel's formatting, so a figure reads the same on screen and in a report.
        return format_value(unit, float(value), signed=True)
    if unit == "ratio":
        return f"{value * 100:+.0f}%"
    return str(value)
