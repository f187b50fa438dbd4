"""Saved views: the shipped ones, and what a user's `[views]` config adds, changes or breaks."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from workstation.services.views import (
    SHIPPED,
    ViewConfigError,
    config_file,
    load_views,
    parse_duration,
    views_from,
)


def test_nine_shipped_views_in_the_order_of_the_keys() -> None:
    assert [v.title for v in SHIPPED] == [
        "Mine", "Unassigned", "Breaching soon", "Leads", "Escalated", "Moderation", "DMs",
        "Comments", "All open"]
    assert all(v.sort == "sla" and v.filter.status for v in SHIPPED)


def test_no_config_file_means_the_shipped_views() -> None:
    assert load_views() == list(SHIPPED)


def test_the_config_file_lives_in_xdg_config_home_unless_overridden(
        private_home: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    assert config_file() == private_home / "config" / "workstation" / "config.toml"
    monkeypatch.setenv("WORKSTATION_CONFIG_FILE", str(tmp_path / "other.toml"))
    assert config_file() == tmp_path / "other.toml"


def test_a_user_adds_reshapes_disables_and_orders_views(private_home: Path) -> None:
    path = private_home / "config" / "workstation" / "config.toml"
    path.parent.mkdir(parents=True)
    path.write_text("""
[views]
order = ["vip", "mine"]

[views.vip]
title = "VIPs"
vip = true
min_priority = "high"
sort = "priority"

[views.mine]
title = "My queue"
assignee = "me"
status = ["open", "snoozed"]

[views.dms]
enabled = false

[views.refunds]
intents = "refund"
breaching_within = "1h30m"
""", encoding="utf-8")
    views = load_views()
    keys = [v.key for v in views]
    assert keys[:2] == ["vip", "mine"]
    assert "dms" not in keys and keys[-1] == "refunds"
    vip = views[0]
    assert (vip.title, vip.sort, vip.filter.vip, vip.filter.min_priority) == (
        "VIPs", "priority", True, 2)
    assert views[1].title == "My queue" and views[1].filter.status == ("open", "snoozed")
    refunds = views[-1]
    assert refunds.title == "Refunds" and refunds.filter.intents == ("refund",)
    assert refunds.filter.breaching_within == timedelta(minutes=90)


@pytest.mark.parametrize(("section", "problem"), [
    ({"mine": {"colour": "red"}}, "views.mine: unknown key 'colour'"),
    ({"mine": {"sort": "random"}}, "views.mine: sort: one of sla, priority, newest, oldest"),
    ({"x": {"status": []}}, "views.x: status: at least one of open, snoozed, resolved"),
    ({"x": {"status": ["closed"]}}, "views.x: status: 'closed' is not one of"),
    ({"x": {"breaching_within": "soon"}}, "views.x: breaching_within: a duration"),
    ({"x": {"vip": "yes"}}, "views.x: vip: true or false"),
    ({"x": {"match": "some"}}, "views.x: match: all or any"),
    ({"Bad Name": {}}, "views.Bad Name: a view's name is a lowercase slug"),
    ({"order": ["nope"]}, "views.order: no view named 'nope'"),
    ({"x": {"title": ""}}, "views.x: title: a non-empty string"),
])
def test_each_mistake_names_the_file_and_the_key(section: dict, problem: str) -> None:
    with pytest.raises(ViewConfigError) as caught:
        views_from(section, source="config.toml")
    assert any(p.startswith(f"config.toml: {problem}") for p in caught.value.problems), (
        caught.value.problems)


def test_every_problem_is_reported_at_once() -> None:
    with pytest.raises(ViewConfigError) as caught:
        views_from({"a": {"sort": "x"}, "b": {"vip": 1}}, source="c.toml")
    assert len(caught.value.problems) == 2


def test_a_file_that_is_not_toml_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text("[views\n", encoding="utf-8")
    with pytest.raises(ViewConfigError) as caught:
        load_views(path)
    assert str(path) in caught.value.problems[0]


def test_disabling_every_view_is_refused() -> None:
    with pytest.raises(ViewConfigError):
        views_from({v.key: {"enabled": False} for v in SHIPPED})


@pytest.mark.parametrize(("text", "minutes"), [("45m", 45), ("4h", 240), ("1d", 1440),
                                               ("1h30m", 90), (" 2 h ", 120)])
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == timedelta(minutes=minutes)


@pytest.mark.parametrize("text", ["", "h", "10", "1w", "-1h", 5])
def test_bad_durations(text: object) -> None:
    with pytest.raises(ValueError):
        parse_duration(text)
