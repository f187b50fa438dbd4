"""The KPI panel's read model: each KPI of kpis.toml for one scope, against its target.

A screen (or any other front end) asks `KpiPanel.view(scope)` from a worker thread every few
seconds and draws what it gets: frozen values, already formatted, with the per-day trend and
one compact row per platform. The panel keeps the rules and KPI definitions between calls
(loading rules.toml takes a second) and reloads rules.toml when it changes.
"""

from __future__ import annotations

import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy.engine import Engine

from workstation import kpi
from workstation.alerts.views import AlertView, recent
from workstation.clock import Clock, utcnow
from workstation.kpi_config import KpiBook, KpiConfigError, KpiDef, format_value
from workstation.kpi_config import load as load_book
from workstation.rules import LiveRules, RulesError
from workstation.sla import SlaPolicy

ALERTS = 20
"""Reputation alerts the panel lists."""
SHORT = {
    "first_response_mean": "FRT", "first_response_median": "FRT med",
    "first_response_p90": "FRT p90",
    "response_rate": "Resp", "sla_hit_rate": "SLA", "escalation_rate": "Esc",
    "resolution_time_mean": "Res", "resolution_time_median": "Res med", "lead_conversion": "Lead",
    "lead_to_customer": "Cust", "csat": "CSAT", "csat_mean": "CSAT/5", "volume": "Vol",
    "sentiment": "Sent",
}
"""Column headings of the per-platform table."""
_NAMES = {"x": "X", "tiktok": "TikTok", "linkedin": "LinkedIn", "youtube": "YouTube"}


@dataclass(frozen=True, slots=True)
class PanelLine:
    """One KPI of the selected scope."""

    key: str
    name: str
    value: float | None
    shown: str
    """The value formatted ("1h 02m", "93.9%", "–" when there is nothing to measure)."""
    target: str
    """As written in kpis.toml, with ≤ and ≥ ("< 2h", "≥ 95%")."""
    status: str
    """met, missed, or none (no value yet)."""
    detail: str
    """A short companion figure: median and p90, counts behind a rate."""
    trend: tuple[float | None, ...]
    """The value per day of the window, oldest first."""
    owner: str


@dataclass(frozen=True, slots=True)
class PanelCell:
    shown: str
    status: str


@dataclass(frozen=True, slots=True)
class PanelRow:
    """One scope in the per-platform table."""

    scope: str
    """"" for all platforms, else the platform."""
    label: str
    cells: tuple[PanelCell, ...]


@dataclass(frozen=True, slots=True)
class KpiPanelView:
    """Everything the panel draws: every scope's lines, and the per-platform table."""

    scope: str
    """The scope whose median and p90 were computed (the one on screen)."""
    start: datetime
    end: datetime
    days: tuple[date, ...]
    zone: str
    lines: Mapping[str, tuple[PanelLine, ...]]
    """Per scope ("" for all platforms), one line per panel KPI in kpis.toml order."""
    columns: tuple[str, ...]
    """Headings of the table's value columns, one per panel KPI."""
    rows: tuple[PanelRow, ...]
    elapsed: float
    """Seconds the computation took."""
    problems: tuple[str, ...] = ()
    """What is wrong with kpis.toml or rules.toml (the panel still shows what it can)."""
    alerts: tuple[AlertView, ...] = ()
    """The newest reputation alerts, newest first."""


def scope_label(scope: str) -> str:
    """How a scope is named on screen: "All platforms", "Instagram", "TikTok"."""
    return "All platforms" if not scope else _NAMES.get(scope, scope.capitalize())


class KpiPanel:
    """Computes the panel's views; call `view` from a worker thread, never the event loop."""

    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock = utcnow,
        book: KpiBook | None = None,
        policies: Mapping[str, SlaPolicy] | None = None,
    ) -> None:
        """Args:
        engine: the store.
        clock: gives the end of the window.
        book: the KPI definitions; kpis.toml in force when None.
        policies: SLA policies; those of rules.toml in force (reloaded on change) when None.
        """
        self.engine = engine
        self.clock = clock
        self._book = book
        self._policies = policies
        self._rules: LiveRules | None = None

    def view(self, scope: str = "") -> KpiPanelView:
        """The panel, with medians and p90s for `scope` ("" for all platforms, or a platform)."""
        problems: list[str] = []
        book = self._load_book(problems)
        policies = self._load_policies(problems)
        started = time.perf_counter()
        report = kpi.compute(
            self.engine, now=self.clock(), days=book.days, zone=book.zone, policies=policies,
            spreads=("first_response",), spread_scopes=(scope,),
        )
        elapsed = time.perf_counter() - started
        alerts = tuple(recent(self.engine, limit=ALERTS))
        defs = book.panel()
        lines = {
            s: tuple(_line(d, f, report.series(d.metric or "", s)) for d in defs)
            for s, f in report.scopes.items()
        }
        rows = tuple(
            PanelRow(s, scope_label(s), tuple(_cell(d, f) for d in defs))
            for s, f in report.scopes.items()
        )
        return KpiPanelView(
            scope=scope, start=report.start, end=report.end, days=report.days,
            zone=str(book.zone), lines=lines, columns=tuple(SHORT[d.metric or ""] for d in defs),
            rows=rows, elapsed=elapsed, problems=tuple(problems), alerts=alerts,
        )

    @property
    def refresh(self) -> float:
        """Seconds between two views, as kpis.toml asks (5 before it is read)."""
        return self._book.refresh.total_seconds() if self._book is not None else 5.0

    def _load_book(self, problems: list[str]) -> KpiBook:
        if self._book is None:
            try:
                self._book = load_book()
            except KpiConfigError as exc:
                problems.extend(exc.problems)
                return _fallback()
        return self._book

    def _load_policies(self, problems: list[str]) -> Mapping[str, SlaPolicy]:
        if self._policies is not None:
            return self._policies
        try:
            if self._rules is None:
                self._rules = LiveRules()
            rules = self._rules.current()
            problems.extend(self._rules.problems)
            return rules.sla
        except RulesError as exc:  # no good rules at all: time first responses round the clock
            problems.extend(exc.problems)
            return {}


def _line(d: KpiDef, figures: kpi.Figures, trend: tuple[float | None, ...]) -> PanelLine:
    value = figures.metric(d.metric or "")
    return PanelLine(
        key=d.key, name=d.name, value=value, shown=_shown(d, value), target=d.target.shown,
        status=_status(d, value), detail=_detail(d.metric or "", figures), trend=trend,
        owner=d.owner,
    )


def _cell(d: KpiDef, figures: kpi.Figures) -> PanelCell:
    value = figures.metric(d.metric or "")
    return PanelCell(_shown(d, value), _status(d, value))


def _shown(d: KpiDef, value: float | None) -> str:
    return format_value(d.unit, value, signed=d.metric == "sentiment")


def _status(d: KpiDef, value: float | None) -> str:
    met = d.target.met(value)
    return "none" if met is None else "met" if met else "missed"


def _detail(metric: str, f: kpi.Figures) -> str:
    t = f.tally
    if metric.startswith("first_response"):
        if f.first_response.median is None:
            return f"{t.responded:,} answered" if t.responded else ""
        return (f"median {format_value('duration', f.first_response.median)}"
                f" · p90 {format_value('duration', f.first_response.p90)}")
    if metric == "response_rate":
        return f"{t.responded:,} of {t.needs_reply:,}"
    if metric == "sla_hit_rate":
        return f"{t.sla_hit:,} hit · {t.sla_missed:,} missed"
    if metric == "escalation_rate":
        return f"{t.escalated:,} escalated"
    if metric == "lead_conversion":
        return f"{t.leads:,} leads"
    if metric in ("csat", "csat_mean"):
        mean = f.metric("csat_mean")
        return f"{mean:.1f}/5 · {t.csat_answers:,} answers" if mean is not None else "no answers"
    if metric == "volume":
        return "conversations"
    return ""


def _fallback() -> KpiBook:
    """The panel without kpis.toml: nothing to show but the problems."""
    from pathlib import Path

    return KpiBook(Path("kpis.toml"), ())
