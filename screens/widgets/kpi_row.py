"""KpiRow: one KPI on one line: name, value, against-target mark, target, trend, detail."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.widgets import Sparkline, Static

from workstation.services.kpi_panel import PanelLine
from workstation.text import inert

MARKS = {"met": "✓", "missed": "✗", "none": "·"}
"""The target mark: a symbol as well as a colour, for 16-colour and colour-blind eyes."""
MAX_TREND = 28
"""The sparkline is one column per day, up to this many."""


class KpiRow(Horizontal):
    """A panel line; `show` draws a `PanelLine`. Every text is drawn as `Content`, no markup."""

    DEFAULT_CSS = """
    KpiRow {
        height: 1;
        width: 1fr;
        & > .name { width: 19; text-style: bold; }
        & > .value { width: 7; text-align: right; }
        & > .mark { width: 2; text-align: right; }
        & > .target { width: 8; padding-left: 1; color: $text-muted; }
        & > Sparkline { width: 14; margin: 0 1; }
        & > .detail { width: 1fr; color: $text-muted; }
        &.-met > .mark, &.-met > .value { color: $text-success; }
        &.-missed > .mark, &.-missed > .value { color: $text-error; }
    }
    """

    def __init__(self, key: str) -> None:
        super().__init__(id=f"kpi-{key}")
        self.key = key
        """The KPI's key in kpis.toml."""
        self.line: PanelLine | None = None

    def compose(self) -> ComposeResult:
        yield Static(classes="name", markup=False)
        yield Static(classes="value", markup=False)
        yield Static(classes="mark", markup=False)
        yield Static(classes="target", markup=False)
        yield Sparkline([])
        yield Static(classes="detail", markup=False)

    def show(self, line: PanelLine) -> None:
        """Draw `line` (its texts come from kpis.toml: shown as plain text)."""
        self.line = line
        self.query_one(".name", Static).update(Content(inert(line.name, limit=40)))
        self.query_one(".value", Static).update(Content(line.shown))
        self.query_one(".mark", Static).update(Content(MARKS[line.status]))
        self.query_one(".target", Static).update(Content(inert(line.target, limit=20)))
        self.query_one(".detail", Static).update(Content(inert(line.detail, limit=80)))
        for status in MARKS:
            self.set_class(line.status == status, f"-{status}")
        spark = self.query_one(Sparkline)
        trend = line.trend[-MAX_TREND:]
        known = [v for v in trend if v is not None]
        floor = min(known) if known else 0.0
        spark.data = [floor if v is None else v for v in trend]  # a day without data: lowest
        spark.styles.width = max(len(trend), 1)
        self.tooltip = Content(inert(f"{line.name} · owner: {line.owner}", limit=120))
