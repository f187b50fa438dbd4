"""kpis.toml: which indicators the team is judged on, who owns each, and the target to reach.

The numbers themselves come from `workstation.kpi`; this file says what they mean to the
business: each KPI's formula in words, owner, cadence, data source, baseline and a SMART
target with its deadline. A KPI names the `metric` the store can compute; one without a metric
(monthly reach comes from the platforms' own insights) is still defined here, so the whole
scorecard lives in one reviewed file. Mistakes are reported as `FILE:LINE: reason`, like
rules.toml's, and a file with any mistake is refused whole.
"""

from __future__ import annotations

import operator
import os
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from . import paths
from . import tomllines
from .rules.load import duration

METRICS: dict[str, str] = {
    "first_response_mean": "duration",
    "first_response_median": "duration",
    "first_response_p90": "duration",
    "response_rate": "percent",
    "sla_hit_rate": "percent",
    "escalation_rate": "percent",
    "resolution_time_mean": "duration",
    "resolution_time_median": "duration",
    "lead_conversion": "percent",
    "lead_to_customer": "percent",
    "csat": "percent",
    "csat_mean": "score",
    "volume": "count",
    "sentiment": "score",
    "next_response_mean": "duration",
    "engagement_rate": "percent",
    "roi": "percent",
    "cac": "money",
}
"""Every metric the store computes, with its unit."""
REPORT_ONLY = frozenset({"next_response_mean", "engagement_rate", "roi", "cac"})
"""Metrics computed for reports (`workstation.reports`), too costly or too slow-moving for the
panel's refresh: their KPIs need `panel = false`."""
UNITS = ("duration", "percent", "score", "count", "money")
CADENCES = ("daily", "weekly", "monthly", "quarterly")
_OPERATORS: dict[str, Callable[[float, float], bool]] = {
    "<=": operator.le, ">=": operator.ge, "<": operator.lt, ">": operator.gt,
}
_SHOWN = {"<=": "≤", ">=": "≥"}
_TARGET = re.compile(r"\s*(<=|>=|<|>)\s*(\S.*?)\s*")
_REQUIRED = ("name", "formula", "owner", "cadence", "source", "baseline", "target", "deadline",
             "goal")
_KPI_KEYS = {*_REQUIRED, "metric", "unit", "panel"}


class KpiConfigError(tomllines.TomlProblems):
    """kpis.toml cannot be used; `problems` lists each as `FILE:LINE: reason`."""


@dataclass(frozen=True, slots=True)
class Goal:
    """A threshold a KPI's value must stay on the right side of, e.g. `< 2h`."""

    op: str
    """One of <, <=, >, >=."""
    value: float
    """In the KPI's unit: seconds, percent (0-100), a score or a count."""
    text: str
    """As written in kpis.toml, for display."""

    @property
    def shown(self) -> str:
        """The target for display, with ≤ and ≥: "≥ 95%"."""
        match = _TARGET.fullmatch(self.text)
        rest = match.group(2) if match else self.text
        return f"{_SHOWN.get(self.op, self.op)} {rest}"

    def met(self, value: float | None) -> bool | None:
        """Whether `value` reaches the target; None when there is no value yet."""
        if value is None:
            return None
        return _OPERATORS[self.op](value, self.value)


@dataclass(frozen=True, slots=True)
class KpiDef:
    """One indicator as the team defined it."""

    key: str
    """Its table name in kpis.toml (`[kpi.KEY]`)."""
    name: str
    formula: str
    """The formula in words, for people who read the panel or a report."""
    owner: str
    cadence: str
    """daily, weekly, monthly or quarterly: how often it is reviewed."""
    source: str
    """Where the data comes from."""
    unit: str
    baseline: float
    baseline_text: str
    target: Goal
    deadline: date
    goal: str
    """The SMART target in one sentence."""
    metric: str | None = None
    """The computed metric behind it; None when the data lives outside the store."""
    panel: bool = True
    """Shown on the KPI panel (when it has a metric)."""


@dataclass(frozen=True, slots=True)
class KpiBook:
    """kpis.toml, validated: the panel's settings and the KPIs in file order."""

    path: Path
    kpis: tuple[KpiDef, ...]
    days: int = 14
    """The window of the panel and its sparklines."""
    zone: ZoneInfo = ZoneInfo("UTC")
    """Days start at midnight in this time zone."""
    refresh: timedelta = timedelta(seconds=5)
    """How often the panel recomputes."""

    def panel(self) -> tuple[KpiDef, ...]:
        """The KPIs the panel shows: computed ones not switched off with `panel = false`."""
        return tuple(k for k in self.kpis if k.metric is not None and k.panel)


def default_path() -> Path:
    """The KPI file in force: `$WORKSTATION_KPIS`, else the shipped one."""
    return Path(os.environ.get("WORKSTATION_KPIS") or paths.shipped("kpis.toml"))


def parse_value(unit: str, text: str) -> float | None:
    """A value written in kpis.toml ("2h", "95%", "4.5", "250000") in `unit`; None if invalid."""
    text = text.strip().replace("_", "")
    if unit == "duration":
        span = duration(text)
        return None if span is None else span.total_seconds()
    if unit == "percent":
        text = text.removesuffix("%").strip()
    try:
        return float(text)
    except ValueError:
        return None


def load(path: Path | None = None) -> KpiBook:
    """Load and validate a KPI file (the one in force by default).

    Raises:
        KpiConfigError: the file is unreadable, not TOML, or breaks the schema.
    """
    return tomllines.load(path or default_path(), KpiConfigError, _Reader())


class _Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[tuple[str, ...], str]] = []

    def fail(self, path: tuple[str, ...], message: str) -> None:
        self.problems.append((path, message))

    def table(self, path: tuple[str, ...], value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(path, f"{'.'.join(path)} must be a table")
            return {}
        for key in value:
            if key not in allowed:
                self.fail((*path, key), f"unknown key {'.'.join((*path, key))!r}")
        return value

    def text(self, path: tuple[str, ...], value: Any) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(path, f"{'.'.join(path)} must be a non-empty text")
            return ""
        return value.strip()

    def book(self, path: Path, data: dict[str, Any]) -> KpiBook:
        data = self.table((), data, {"panel", "kpi"})
        panel = self.table(("panel",), data.get("panel", {}), {"days", "timezone", "refresh"})
        days = panel.get("days", 14)
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 92:
            self.fail(("panel", "days"), "panel.days must be a whole number from 1 to 92")
            days = 14
        zone = ZoneInfo("UTC")
        try:
            zone = ZoneInfo(str(panel.get("timezone", "UTC")))
        except (ZoneInfoNotFoundError, ValueError):
            self.fail(("panel", "timezone"), f"unknown time zone {panel.get('timezone')!r}")
        refresh = duration(panel.get("refresh", "5s")) if isinstance(
            panel.get("refresh", "5s"), str) else None
        if refresh is None or refresh < timedelta(seconds=1):
            self.fail(("panel", "refresh"), 'panel.refresh must be a duration of at least "1s"')
            refresh = timedelta(seconds=5)
        kpis = data.get("kpi", {})
        if not isinstance(kpis, dict):
            self.fail(("kpi",), "kpi must hold tables: [kpi.NAME]")
            kpis = {}
        elif not kpis:
            self.fail(("kpi",), "no KPI is defined: add at least one [kpi.NAME] table")
        defs = [d for key, spec in kpis.items() if (d := self.kpi(key, spec)) is not None]
        return KpiBook(path, tuple(defs), days, zone, refresh)

    def kpi(self, key: str, spec: Any) -> KpiDef | None:
        where = ("kpi", key)
        before = len(self.problems)
        spec = self.table(where, spec, _KPI_KEYS)
        for name in _REQUIRED:
            if name not in spec:
                self.fail(where, f"kpi.{key} needs `{name}`")
        texts = {n: self.text((*where, n), spec[n])
                 for n in ("name", "formula", "owner", "source", "goal") if n in spec}
        metric = spec.get("metric")
        unit = spec.get("unit")
        if metric is not None and metric not in METRICS:
            self.fail((*where, "metric"), f"kpi.{key}.metric: unknown metric {metric!r} "
                                          f"(expected one of {', '.join(METRICS)})")
        elif metric is not None and unit is not None and unit != METRICS[metric]:
            self.fail((*where, "unit"), f"kpi.{key}.unit: {metric} is measured in "
                                        f"{METRICS[metric]}, not {unit!r}")
        if metric in METRICS:
            unit = METRICS[metric]
        elif metric is None and unit not in UNITS:
            self.fail((*where, "unit"), f"kpi.{key} has no metric, so it needs a `unit`: "
                                        f"one of {', '.join(UNITS)}")
        cadence = spec.get("cadence")
        if "cadence" in spec and cadence not in CADENCES:
            self.fail((*where, "cadence"), f"kpi.{key}.cadence must be one of "
                                           f"{', '.join(CADENCES)}")
        deadline = spec.get("deadline")
        if "deadline" in spec and (not isinstance(deadline, date)
                                   or hasattr(deadline, "hour")):
            self.fail((*where, "deadline"), f"kpi.{key}.deadline must be a date: 2027-03-31")
        panel = spec.get("panel", True)
        if not isinstance(panel, bool):
            self.fail((*where, "panel"), f"kpi.{key}.panel must be true or false")
        elif panel and metric in REPORT_ONLY:
            self.fail((*where, "metric"), f"kpi.{key}.metric: {metric} is computed for "
                                          f"reports only: add `panel = false`")
        baseline = target = None
        if unit in UNITS:
            baseline = self.value((*where, "baseline"), unit, spec.get("baseline"))
            target = self.goal((*where, "target"), unit, spec.get("target"))
        if len(self.problems) > before or baseline is None or target is None:
            return None
        return KpiDef(key=key, unit=str(unit), baseline=baseline,
                      baseline_text=str(spec["baseline"]).strip(), target=target,
                      deadline=deadline, cadence=str(cadence), metric=metric, panel=panel,
                      **texts)

    def value(self, path: tuple[str, ...], unit: str, raw: Any) -> float | None:
        if raw is None:
            return None
        text = str(raw) if isinstance(raw, int | float) and not isinstance(raw, bool) else raw
        parsed = parse_value(unit, text) if isinstance(text, str) else None
        if parsed is None:
            self.fail(path, f"{'.'.join(path)}: {raw!r} is not a {unit} value "
                            f"({_EXAMPLES[unit]})")
        return parsed

    def goal(self, path: tuple[str, ...], unit: str, raw: Any) -> Goal | None:
        if raw is None:
            return None
        match = _TARGET.fullmatch(raw) if isinstance(raw, str) else None
        if match is None:
            self.fail(path, f"{'.'.join(path)} must be a comparison such as "
                            f"\"< 2h\" or \">= 95%\"")
            return None
        value = self.value(path, unit, match.group(2))
        return None if value is None else Goal(match.group(1), value, raw.strip())


_EXAMPLES = {"duration": 'e.g. "2h", "45m", "1h30m"', "percent": 'e.g. "95%"',
             "score": 'e.g. "4.5" or "0.1"', "count": 'e.g. "250000"',
             "money": 'e.g. "40" or "12.50"'}


def format_value(unit: str, value: float | None, *, signed: bool = False) -> str:
    """A KPI value as people read it: "1h 02m", "93.9%", "71,653", "+0.15"; "–" for none.

    Args:
        unit: duration (seconds), percent, score, count or money.
        value: the value, None when there was nothing to measure.
        signed: show a score's sign (sentiment).
    """
    if value is None:
        return "–"
    if unit == "duration":
        return format_duration(value)
    if unit == "percent":
        return f"{value:.1f}%"
    if unit == "count":
        return f"{round(value):,}"
    if unit == "money":
        return f"{value:,.2f}"
    return f"{value:+.2f}" if signed else f"{value:.2f}"


def format_duration(seconds: float) -> str:
    """A duration to the minute ("19m", "1h 02m", "2d 03h"), to the second under a minute."""
    total = round(seconds)
    if total < 60:
        return f"{total}s"
    minutes = round(seconds / 60)
    if minutes < 60:
        return f"{minutes}m"
    if minutes < 24 * 60:
        return f"{minutes // 60}h {minutes % 60:02d}m"
    hours = round(seconds / 3600)
    return f"{hours // 24}d {hours % 24:02d}h"
