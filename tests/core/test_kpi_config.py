"""kpis.toml: the shipped scorecard loads, and every mistake is reported with its line."""

from __future__ import annotations

import tomllib
from datetime import date
from pathlib import Path

import pytest

from workstation import kpi_config, paths
from workstation.kpi_config import KpiConfigError, format_duration, format_value, parse_value

ROOT = Path(__file__).resolve().parents[2]


def test_the_shipped_file_defines_the_briefs_examples() -> None:
    book = kpi_config.load(paths.shipped("kpis.toml"))
    by_key = {k.key: k for k in book.kpis}
    assert book.days == 14 and str(book.zone) == "Europe/Paris"
    assert by_key["lead_conversion"].metric == "lead_conversion"
    reach = by_key["monthly_reach"]
    assert reach.metric is None and reach.unit == "count" and reach.cadence == "monthly"
    mean = by_key["mean_response_time"]
    assert mean.metric == "first_response_mean"
    assert (mean.target.op, mean.target.value) == ("<", 7200)
    for k in book.kpis:  # every KPI is SMART: owner, cadence, source, baseline, target, date
        assert k.owner and k.formula and k.source and k.goal and k.baseline_text
        assert isinstance(k.deadline, date) and k.cadence in kpi_config.CADENCES
    panel = [k.metric for k in book.panel()]
    assert panel == ["first_response_mean", "response_rate", "sla_hit_rate", "escalation_rate",
                     "lead_conversion", "csat", "volume", "sentiment"]


def test_the_wheel_ships_the_file() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())
    include = project["tool"]["hatch"]["build"]["targets"]["wheel"]["force-include"]
    assert include["kpis.toml"] == "workstation/_shipped/kpis.toml"
    assert (ROOT / "kpis.toml").is_file()


def test_the_env_var_points_at_another_file(tmp_path: Path,
                                             monkeypatch: pytest.MonkeyPatch) -> None:
    own = tmp_path / "mine.toml"
    own.write_text(GOOD)
    monkeypatch.setenv("WORKSTATION_KPIS", str(own))
    book = kpi_config.load()
    assert [k.key for k in book.kpis] == ["frt"] and book.days == 7


GOOD = """\
[panel]
days = 7

[kpi.frt]
name = "FRT"
metric = "first_response_mean"
formula = "mean"
owner = "Lea"
cadence = "weekly"
source = "store"
baseline = "3h"
target = "<= 1h30m"
deadline = 2027-01-31
goal = "Under 90 minutes by January."
"""


def _problems(tmp_path: Path, text: str) -> list[str]:
    path = tmp_path / "kpis.toml"
    path.write_text(text)
    with pytest.raises(KpiConfigError) as caught:
        kpi_config.load(path)
    return caught.value.problems


def test_mistakes_are_reported_with_their_line(tmp_path: Path) -> None:
    bad = (GOOD.replace('metric = "first_response_mean"', 'metric = "first_response"')
           .replace('cadence = "weekly"', 'cadence = "hourly"\ncolour = "red"')
           .replace("days = 7", 'days = 0\ntimezone = "Mars/Olympus"'))
    problems = _problems(tmp_path, bad)
    path = tmp_path / "kpis.toml"
    assert f"{path}:2: panel.days must be a whole number from 1 to 92" in problems
    assert any(p.startswith(f"{path}:3: ") and "Mars/Olympus" in p for p in problems)
    assert any(p.startswith(f"{path}:7: ") and "unknown metric 'first_response'" in p
               for p in problems)
    assert any(p.startswith(f"{path}:10: ") and "cadence" in p for p in problems)
    assert any(p.startswith(f"{path}:11: ") and "unknown key 'kpi.frt.colour'" in p
               for p in problems)
    target = _problems(tmp_path, GOOD.replace('target = "<= 1h30m"', 'target = "about 1h"'))
    assert len(target) == 1 and target[0].startswith(f"{path}:12: ") and "comparison" in target[0]
    baseline = _problems(tmp_path, GOOD.replace('baseline = "3h"', 'baseline = "soon"'))
    assert baseline[0].startswith(f"{path}:11: ") and "not a duration value" in baseline[0]


def test_missing_fields_and_units(tmp_path: Path) -> None:
    text = GOOD.replace('metric = "first_response_mean"\n', "").replace(
        "deadline = 2027-01-31\n", "")
    problems = _problems(tmp_path, text)
    assert any("kpi.frt needs `deadline`" in p for p in problems)
    assert any("no metric, so it needs a `unit`" in p for p in problems)
    assert _problems(tmp_path, "[panel]\n")[0].endswith(
        "no KPI is defined: add at least one [kpi.NAME] table")
    assert _problems(tmp_path, "[kpi\n")[0].startswith(f"{tmp_path / 'kpis.toml'}:1: ")


def test_targets_and_values() -> None:
    assert parse_value("duration", "1h30m") == 5400
    assert parse_value("percent", "95%") == 95.0
    assert parse_value("count", "250_000") == 250000
    assert parse_value("score", "high") is None
    goal = kpi_config.Goal(">=", 95.0, ">= 95%")
    assert goal.met(95.0) is True and goal.met(94.9) is False and goal.met(None) is None
    assert kpi_config.Goal("<", 7200, "< 2h").met(7200) is False
    assert goal.shown == "≥ 95%" and kpi_config.Goal("<", 7200, "< 2h").shown == "< 2h"


def test_values_are_formatted_for_people() -> None:
    assert [format_duration(s) for s in (42, 1140, 3720, 93600, 200000)] == [
        "42s", "19m", "1h 02m", "1d 02h", "2d 08h"]
    assert format_value("percent", 93.94) == "93.9%"
    assert format_value("count", 71653) == "71,653"
    assert format_value("score", 0.153, signed=True) == "+0.15"
    assert format_value("duration", None) == "–"


def test_report_only_metrics_stay_off_the_panel(tmp_path: Path) -> None:
    shipped = kpi_config.load(paths.shipped("kpis.toml"))
    keys = {k.key: k for k in shipped.kpis}
    assert keys["roi"].metric == "roi" and not keys["roi"].panel
    assert keys["cac"].unit == "money" and keys["cac"].target.met(35.0)
    assert "roi" not in {k.key for k in shipped.panel()}
    path = tmp_path / "kpis.toml"
    path.write_text(
        '[kpi.nrt]\nname = "Next"\nmetric = "next_response_mean"\nformula = "f"\n'
        'owner = "o"\ncadence = "weekly"\nsource = "s"\nbaseline = "4h"\ntarget = "< 3h"\n'
        'deadline = 2027-03-31\ngoal = "g"\n', encoding="utf-8")
    with pytest.raises(KpiConfigError) as caught:
        kpi_config.load(path)
    assert caught.value.problems == [
        f"{path}:3: kpi.nrt.metric: next_response_mean is computed for reports only: "
        "add `panel = false`"]
    assert format_value("money", 1234.5) == "1,234.50"
