"""The KPI panel's read model: each KPI against its target, per scope, with its trend."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests import seed
from tests.core.test_kpi import NOW, POLICIES
from tests.seed import at
from workstation import db, kpi_config, paths
from workstation.clock import FrozenClock
from workstation.services.kpi_panel import KpiPanel, scope_label


@pytest.fixture
def panel(engine: Engine) -> KpiPanel:
    with db.write(engine) as conn:
        seed.conversation(conn, start=at("2026-11-26T09:00"), reply=at("2026-11-26T09:30"),
                          due=at("2026-11-26T10:00"), csat=5, sentiment=0.4)
        seed.conversation(conn, start=at("2026-11-26T09:10"), reply=at("2026-11-26T13:10"),
                          due=at("2026-11-26T10:10"), escalated=True, sentiment=-0.2)
        seed.conversation(conn, platform="x", start=at("2026-11-25T09:00"),
                          reply=at("2026-11-25T09:05"), due=at("2026-11-25T09:15"))
    book = kpi_config.load(paths.shipped("kpis.toml"))
    return KpiPanel(engine, clock=FrozenClock(NOW), book=book, policies=POLICIES)


def test_lines_show_each_panel_kpi_against_its_target(panel: KpiPanel) -> None:
    view = panel.view()
    lines = {line.key: line for line in view.lines[""]}
    assert list(lines) == ["first_response_time", "response_rate", "sla_hit_rate",
                           "escalation_rate", "lead_conversion", "csat", "volume", "sentiment"]
    frt = lines["first_response_time"]  # 30m, 4h, 5m: mean 1h 32m, target < 2h
    assert (frt.shown, frt.target, frt.status) == ("1h 32m", "< 2h", "met")
    assert frt.detail == "median 30m · p90 3h 18m"  # 30m + 0.8 × (4h − 30m)
    assert (lines["sla_hit_rate"].shown, lines["sla_hit_rate"].status) == ("66.7%", "missed")
    assert lines["sla_hit_rate"].detail == "2 hit · 1 missed"
    assert (lines["escalation_rate"].shown, lines["escalation_rate"].status) == ("33.3%", "missed")
    assert (lines["lead_conversion"].shown, lines["lead_conversion"].status) == ("0.0%", "missed")
    assert lines["csat"].detail == "5.0/5 · 1 answers"
    assert lines["sentiment"].shown == "+0.07"
    assert lines["volume"].trend[-2:] == (1, 2) and len(lines["volume"].trend) == 14
    assert view.zone == "Europe/Paris" and view.problems == ()


def test_rows_give_every_platform_and_a_scope_narrows_the_lines(panel: KpiPanel) -> None:
    view = panel.view("x")
    assert [row.label for row in view.rows] == ["All platforms", "Instagram", "X"]
    assert view.columns == ("FRT", "Resp", "SLA", "Esc", "Lead", "CSAT", "Vol", "Sent")
    x_row = view.rows[2]
    assert [c.shown for c in x_row.cells][:3] == ["5m", "100.0%", "100.0%"]
    assert view.lines["x"][0].detail == "median 5m · p90 5m"
    assert view.lines["instagram"][0].detail == "2 answered"  # its median is not computed
    assert view.lines["x"][6].trend[-2:] == (1, 0)
    assert scope_label("tiktok") == "TikTok" and scope_label("") == "All platforms"


def test_a_broken_kpi_file_is_reported_not_raised(engine: Engine, tmp_path: Path,
                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    bad = tmp_path / "kpis.toml"
    bad.write_text("[panel]\ndays = 'many'\n")
    monkeypatch.setenv("WORKSTATION_KPIS", str(bad))
    view = KpiPanel(engine, clock=FrozenClock(NOW), policies=POLICIES).view()
    assert view.lines == {"": ()} and view.problems
    assert view.problems[0].startswith(f"{bad}:2: ")


def test_rules_in_force_are_used_when_no_policies_are_given(engine: Engine) -> None:
    view = KpiPanel(engine, clock=FrozenClock(NOW)).view()
    assert view.problems == () and view.lines[""][0].shown == "–"
    assert view.lines[""][6].shown == "0"


def test_the_kpi_and_audit_services_import_no_ui() -> None:
    code = (
        "import sys, workstation.kpi, workstation.kpi_config, workstation.sqltime, "
        "workstation.services.kpi_panel, workstation.services.audit_trail; "
        "print(sorted(m for m in ('textual', 'rich', 'screens') if m in sys.modules))"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                            check=True)
    assert result.stdout.strip() == "[]"
