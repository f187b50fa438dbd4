"""`workstation rules check` knows the qualifier flows of flows.toml: a rule may start one by
id, and an id that is neither a flow nor a template is refused with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation import paths
from workstation.cli import main

RULE = '''
[[rules]]
name = "b2b-lead"
when = {{ kind = "comment", intent = "purchase" }}
do = {{ tag = "b2b", qualifier = "{flow}" }}
'''


@pytest.fixture
def files(tmp_path: Path) -> tuple[Path, Path]:
    """A rules file to finish, and a flows file whose only flow is `b2b-qualifier`."""
    flows = tmp_path / "flows.toml"
    flows.write_text(paths.shipped("flows.toml").read_text(encoding="utf-8").replace(
        "flows.sales-qualifier", "flows.b2b-qualifier"), encoding="utf-8")
    return tmp_path / "rules.toml", flows


def write(rules: Path, flow: str) -> int:
    """The shipped rules with a rule naming `flow`; the line of its qualifier."""
    shipped = paths.shipped("rules.toml").read_text(encoding="utf-8").replace(
        'qualifier = "sales-qualifier"', 'dm = "sales-qualifier"')
    rules.write_text(shipped + RULE.format(flow=flow), encoding="utf-8")
    return len(shipped.splitlines()) + 5


def test_a_rule_may_start_a_flow_by_its_id(files: tuple[Path, Path],
                                           capsys: pytest.CaptureFixture[str]) -> None:
    rules, flows = files
    write(rules, "b2b-qualifier")
    assert main(["rules", "check", str(rules), "--flows", str(flows)]) == 0
    assert capsys.readouterr().out.startswith(f"{rules}: ok")


def test_an_unknown_flow_is_refused_with_its_line(files: tuple[Path, Path],
                                                  capsys: pytest.CaptureFixture[str]) -> None:
    rules, flows = files
    line = write(rules, "b2b-qualifer")
    assert main(["rules", "check", str(rules), "--flows", str(flows)]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"{rules}:{line}: ")
    assert "unknown qualifier flow 'b2b-qualifer'" in err and "(b2b-qualifier)" in err


def test_a_template_id_still_sends_the_template(files: tuple[Path, Path]) -> None:
    rules, flows = files
    write(rules, "ugc-rights-dm")
    assert main(["rules", "check", str(rules), "--flows", str(flows)]) == 0


def test_a_broken_flows_file_is_reported(files: tuple[Path, Path],
                                         capsys: pytest.CaptureFixture[str]) -> None:
    rules, flows = files
    write(rules, "b2b-qualifier")
    flows.write_text('version = 1\n[bot]\nmax_questions = "many"\n', encoding="utf-8")
    assert main(["rules", "check", str(rules), "--flows", str(flows)]) == 2
    assert capsys.readouterr().err.startswith(f"{flows}:3: bot.max_questions")


def test_the_shipped_rules_and_flows_agree(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["rules", "check"]) == 0
