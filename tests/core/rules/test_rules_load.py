"""Loading rules.toml: the shipped file is valid; every mistake is reported with its line."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.rules import RulesError, load
from workstation.rules.load import duration


def test_the_shipped_rules_load_and_express_the_brief() -> None:
    rules = load()
    names = [r.name for r in rules.rules]
    assert {"sales-lead", "threat", "spam", "safety-and-legal-first", "vip-unhappy"} <= set(names)
    lead = next(r for r in rules.rules if r.name == "sales-lead")
    assert lead.when.kind == frozenset({"comment"}) and lead.when.words
    assert {a.do for a in lead.actions} >= {"tag", "qualifier", "remind"}
    assert rules.vip_followers == 50_000
    assert rules.sla["lead"].target.first.total_seconds() <= 3600
    assert 4 * 3600 <= rules.sla["support"].target.first.total_seconds() <= 12 * 3600


def problems(write_rules, extra: str) -> list[str]:
    with pytest.raises(RulesError) as info:
        load(write_rules(extra))
    return info.value.problems


def test_unknown_keys_wrong_types_and_unknown_names_give_file_line_reason(write_rules) -> None:
    path = write_rules("""
[[rules]]
name = "bad"
when = { intnt = "purchase", vip = "yes" }
do = { priority = "whenever", route = "boss" }
""")
    with pytest.raises(RulesError) as info:
        load(path)
    found = info.value.problems
    text = path.read_text().splitlines()
    line = next(i for i, l in enumerate(text, start=1) if l.startswith("when ="))
    assert f"{path}:{line}: unknown key 'rules[1].when.intnt'" in found
    assert f"{path}:{line}: rules[1].when.vip must be true or false" in found
    assert any("unknown priority 'whenever'" in p for p in found)
    assert any("unknown role 'boss'" in p for p in found)


def test_unknown_intent_template_and_bad_regex_are_refused(write_rules) -> None:
    path = write_rules("""
[[rules]]
name = "r"
when = { intent = "teleport", regex = "(unclosed" }
do = { reply = "no-such-template" }
""")
    with pytest.raises(RulesError) as info:
        load(path, template_ids={"thanks"})
    found = "\n".join(info.value.problems)
    assert "unknown intent 'teleport'" in found
    assert "bad regex '(unclosed'" in found
    assert "unknown template 'no-such-template'" in found


def test_a_toml_syntax_error_names_its_line(write_rules) -> None:
    path = write_rules("\n[[rules]]\nname = \n")
    with pytest.raises(RulesError) as info:
        load(path)
    (problem,) = info.value.problems
    lines = path.read_text().splitlines()
    assert problem.startswith(f"{path}:{len(lines)}: ")


def test_missing_taxonomy_and_moderation_policy_are_reported(write_rules) -> None:
    from tests.core.rules.conftest import BASE

    path = write_rules(base=BASE.replace('hate = "delete"\n', ""))
    with pytest.raises(RulesError, match="no verdict for 'hate'"):
        load(path)


def test_durations_calendars_and_sla_references_are_checked(write_rules) -> None:
    found = problems(write_rules, """
[calendars.shop]
timezone = "Mars/Olympus"
[sla.weird]
first = "soon"
calendar = "nowhere"
""")
    text = "\n".join(found)
    assert "unknown time zone 'Mars/Olympus'" in text
    assert "sla.weird.first must be a duration" in text
    assert "unknown calendar 'nowhere'" in text


def test_short_wildcards_and_multiword_fuzzy_terms_are_refused(write_rules) -> None:
    found = "\n".join(problems(write_rules, """
[[rules]]
name = "r"
when = { keywords = ["ab*"], fuzzy = ["two words"] }
do = { tag = "x" }
"""))
    assert "a * ending needs at least 3 letters" in found
    assert "must be one word" in found


@pytest.mark.parametrize(("text", "minutes"), [("15m", 15), ("4h", 240), ("1h30m", 90),
                                               ("2d", 2880)])
def test_durations(text: str, minutes: int) -> None:
    assert duration(text).total_seconds() == minutes * 60


@pytest.mark.parametrize("text", ["", "soon", "15", "m15", "1.5h"])
def test_not_durations(text: str) -> None:
    assert duration(text) is None


def test_unreadable_file_is_one_problem(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match="cannot read"):
        load(tmp_path / "absent.toml")
