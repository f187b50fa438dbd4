"""flows.toml: the shipped file loads, every mistake is reported as FILE:LINE: reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation import paths
from workstation.leads import config


def test_shipped_flows_load_in_french_and_english() -> None:
    book = config.load(paths.shipped("flows.toml"))
    run = book.flows["sales-qualifier"]
    assert 2 <= len(run.questions) <= 4
    for lang in config.LANGS:
        assert lang in run.closing and lang in run.sales
        for question in run.questions:
            assert lang in question.ask and lang in question.retry
        for tone in config.TONES:
            assert (tone, lang) in run.greeting
    assert book.form_url.startswith("https://") and book.reminder_max == 2


def broken(tmp_path: Path, old: str, new: str) -> Path:
    source = paths.shipped("flows.toml").read_text(encoding="utf-8")
    assert old in source
    path = tmp_path / "flows.toml"
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return path


def line_of(path: Path, needle: str) -> int:
    return next(i for i, line in enumerate(path.read_text().splitlines(), 1) if needle in line)


@pytest.mark.parametrize(("old", "new", "needle", "reason"), [
    ('base_url = "https://brulerielumen.fr/devis"', 'base_url = "http://brulerielumen.fr/devis"',
     "base_url", "form.base_url must be an https:// address"),
    ("max_questions = 5", "max_questions = -1", "max_questions = -1", "whole number"),
    ('expect = "quantity"', 'expect = "colour"', 'expect = "colour"', "expect must be one of"),
    ('role = "senior"', 'role = "sales"', 'role = "sales"', "sales.role must be one of"),
    ('delay = "20h"', 'delay = "soon"', "delay =", "must be a duration"),
    ("Hi {first_name|there}, thanks", "Hi {0.__class__}, thanks", "warm.en",
     "attribute access"),
    ("Hi {first_name|there}, thanks", "Hi {order_no}, thanks", "warm.en", "unknown slot"),
])
def test_mistakes_name_file_and_line(tmp_path: Path, old: str, new: str, needle: str,
                                     reason: str) -> None:
    path = broken(tmp_path, old, new)
    with pytest.raises(config.FlowsError) as caught:
        config.load(path)
    problem = caught.value.problems[0]
    assert problem.startswith(f"{path}:{line_of(path, needle)}: ") and reason in problem


def test_a_syntax_error_names_its_line(tmp_path: Path) -> None:
    path = broken(tmp_path, "version = 1", "version = = 1")
    with pytest.raises(config.FlowsError) as caught:
        config.load(path)
    assert caught.value.problems[0].startswith(f"{path}:{line_of(path, 'version =')}:")


def test_a_broken_edit_keeps_the_last_good_flows(tmp_path: Path) -> None:
    path = tmp_path / "flows.toml"
    path.write_text(paths.shipped("flows.toml").read_text(encoding="utf-8"), encoding="utf-8")
    good = config.current(path)
    assert "sales-qualifier" in good.flows
    path.write_text("version = [", encoding="utf-8")
    import os

    os.utime(path, ns=(1, 1))
    assert config.current(path) is good
    assert config.problems(path)[0].startswith(f"{path}:1:")


def test_a_wheel_carries_flows_toml_beside_the_rules() -> None:
    import tomllib

    pyproject = Path(__file__).resolve().parents[3] / "pyproject.toml"
    included = tomllib.loads(pyproject.read_text(encoding="utf-8"))["tool"]["hatch"]["build"][
        "targets"]["wheel"]["force-include"]
    assert included["flows.toml"] == "workstation/_shipped/flows.toml"
    assert paths.shipped("flows.toml").name == "flows.toml"
