"""Reports: periods, sections per report, every format, hostile text, CLI; both engines."""

from __future__ import annotations

import csv
import io
import json
import re
from datetime import date, datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from tests import kpi_factories as kf
from tests import seed
from tests.core.test_kpi import POLICIES
from tests.seed import at
from workstation import cli, db, kpi_config, paths
from workstation.alerts import scan
from workstation.clock import FrozenClock
from workstation.reports import FORMATS, render
from workstation.reports.data import build
from workstation.reports.periods import resolve

NOW = at("2026-11-26T12:00")
PARIS = ZoneInfo("Europe/Paris")
EVIL = '=HYPERLINK("http://x")<script>alert(1)</script>|*_[a](b)\x1b[31m'


@pytest.mark.parametrize(("kind", "start", "end", "label", "first", "stop"), [
    ("week", None, None, "week of 23 Nov 2026 to date", "2026-11-23T00:00+01:00", NOW),
    ("month", None, None, "November 2026 to date", "2026-11-01T00:00+01:00", NOW),
    ("quarter", date(2026, 7, 1), None, "Q3 2026", "2026-07-01T00:00+02:00",
     at("2026-10-01T00:00+02:00")),
    ("month", date(2026, 2, 1), None, "February 2026", "2026-02-01T00:00+01:00",
     at("2026-03-01T00:00+01:00")),
    ("day", date(2026, 11, 2), date(2026, 11, 4), "02 Nov 2026 – 04 Nov 2026",
     "2026-11-02T00:00+01:00", at("2026-11-05T00:00+01:00")),
])
def test_periods(kind: str, start: date | None, end: date | None, label: str, first: str,
                 stop: datetime) -> None:
    period = resolve(kind, NOW, PARIS, start, end)
    assert (period.label, period.start, period.end) == (label, at(first), stop)


def test_to_before_from_is_refused() -> None:
    with pytest.raises(ValueError, match="before"):
        resolve("week", NOW, PARIS, date(2026, 11, 10), date(2026, 11, 1))


@pytest.fixture
def store(engine: Engine) -> Engine:
    with db.write(engine) as conn:
        post = kf.post(conn, campaign=EVIL[:60], likes=10, shares=2, impressions=100,
                       caption=EVIL)
        kf.result(conn, "bf", spend=100.0, revenue=250.0, customers=5, promo_code=EVIL[:60],
                  redemptions=9)
        kf.result(conn, "lea", kind="influencer", spend=50.0, creator_fees=50.0, revenue=60.0,
                  customers=2)
        c = seed.conversation(conn, start=at("2026-11-24T10:00"), reply=at("2026-11-24T10:30"),
                              post_id=post, campaign="bf", message_count=2)
        seed.conversation(conn, start=at("2026-11-25T10:00"), escalated=True,
                          escalation_reason=EVIL, awaiting_since=at("2026-11-25T10:00"),
                          sla_due_at=at("2026-11-25T11:00"), status="open", role="supervisor")
        kf.lead(conn, c, stage="customer", value=30.0, campaign="bf", promo="BF26")
        kf.said(conn, c, at("2026-11-26T11:30"), text="a boycott " + EVIL)
    return engine


def _book() -> kpi_config.KpiBook:
    return kpi_config.load(paths.shipped("kpis.toml"))


def test_weekly_triage_sections(store: Engine) -> None:
    scan(store, clock=FrozenClock(at("2026-11-26T11:59")))
    report = build(store, "week", clock=FrozenClock(NOW), book=_book(), policies=POLICIES)
    assert report.kind == "triage" and report.period == "week of 23 Nov 2026 to date"
    keys = [s.key for s in report.sections]
    assert keys == ["scorecard", "responsiveness", "alerts", "posts", "escalations"]
    sections = {s.key: s for s in report.sections}
    scorecard = {row[0]: row for row in sections["scorecard"].tables[0].rows}
    assert scorecard["First response time"][1:4] == ("30m", "< 2h", "met")
    assert scorecard["Monthly reach"][1] == "outside the store"
    overall = sections["responsiveness"].tables[0].rows[0]
    assert overall[:4] == ("all platforms", 2, 50.0, pytest.approx(1800, abs=0.01))
    assert [row[2] for row in sections["alerts"].tables[0].rows] == ["keyword"]
    assert sections["posts"].tables[0].rows[0][4:8] == (10, 2, 2, 100)  # likes, comments...
    waiting = sections["escalations"].tables[0].rows
    assert len(waiting) == 1 and waiting[0][3] == EVIL and waiting[0][5] == "overdue"


def test_monthly_and_quarterly_sections(store: Engine) -> None:
    month = build(store, "month", clock=FrozenClock(NOW), book=_book(), policies=POLICIES)
    assert [s.key for s in month.sections] == [
        "scorecard", "responsiveness", "posts", "conversion", "campaigns", "promo",
        "by-campaign", "by-agent"]
    scorecard = {row[0]: row for row in month.sections[0].tables[0].rows}
    # All campaigns: spend 150, fees 50, revenue 310, customers 5 + 2 (imported).
    assert scorecard["Campaign ROI"][1:4] == ("73.3%", "≥ 150%", "missed")
    assert scorecard["Customer acquisition cost"][1:4] == ("28.57", "≤ 40", "met")
    assert scorecard["Next response time"][1] == "–"
    money = {row[0]: row for row in month.sections[4].tables[0].rows}
    assert money["bf"][2] == 100.0 and money["bf"][6] == pytest.approx(20.0)  # CAC
    assert money["bf"][9] == pytest.approx(1.5)  # ROI
    quarter = build(store, "quarter", clock=FrozenClock(NOW), book=_book(), policies=POLICIES)
    kinds = {row[0]: row for row in quarter.sections[3].tables[0].rows}
    assert kinds["influencer"][8] == pytest.approx((60 - 100) / 50)
    cohorts = quarter.sections[2].tables[0].rows
    assert cohorts == (("Nov 2026", 1, 30.0, 30.0),)


def test_every_format_keeps_hostile_text_inert(store: Engine) -> None:
    report = build(store, "month", clock=FrozenClock(NOW), book=_book(), policies=POLICIES)
    outputs = {fmt: render(report, fmt) for fmt in FORMATS}
    html = outputs["html"]
    assert "<script>" not in html and "&lt;script&gt;" in html
    assert not re.search(r"""(src|href)=["']?https?:""", html)  # nothing fetched
    assert "<svg" in html and "<script" not in html.replace("&lt;script", "")
    assert html.startswith("<!DOCTYPE html>") and "@media print" in html
    assert "\x1b" not in outputs["table"] and "\x1b" not in outputs["md"]
    assert "\\<script\\>" in outputs["md"] and "\\|" in outputs["md"]
    cells = [c for row in csv.reader(io.StringIO(outputs["csv"])) for c in row]
    risky = [c for c in cells if c.startswith(("=", "+", "-", "@", "\t", "\r"))]
    assert risky and all(float(c) < 0 for c in risky)  # negative numbers stay numbers
    assert any(c.startswith("'=HYPERLINK") for c in cells)
    data = json.loads(outputs["json"])
    assert data["kind"] == "performance" and data["sections"][0]["key"] == "scorecard"


def test_cli(store_url: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    engine = db.open_store(store_url)
    with db.write(engine) as conn:
        seed.conversation(conn, start=at("2026-10-05T10:00"), reply=at("2026-10-05T10:10"))
    engine.dispose()
    out = tmp_path / "r.html"
    assert cli.main(["--db", store_url, "report", "--period", "month", "--from", "2026-10-01",
                     "--format", "html", "--output", str(out)]) == 0
    assert "October 2026" in out.read_text(encoding="utf-8")
    assert cli.main(["--db", store_url, "report", "--period", "week", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["kind"] == "triage"
    assert cli.main(["--db", store_url, "report", "--to", "2026-10-01"]) == 2
    assert cli.main(["--db", store_url, "report", "--from", "2026-10-05", "--to",
                     "2026-10-01"]) == 2
    assert "before" in capsys.readouterr().err


@pytest.mark.parametrize(("value", "written"), [
    ("=1+1", "'=1+1"), ("+33 6 12", "'+33 6 12"), ("-2+3", "'-2+3"), ("@SUM(A1)", "'@SUM(A1)"),
    ("\tx", "' x"), ("\rx", "'\ufffdx"), ("\x1b[2Jx", "\ufffd[2Jx"), ("plain", "plain"),
    (-0.5, -0.5), (None, ""),
])
def test_csv_cells_are_defused(value: object, written: object) -> None:
    from workstation.reports.render_csv import cell

    assert cell(value) == written  # type: ignore[arg-type]
