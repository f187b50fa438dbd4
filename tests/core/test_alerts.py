"""Reputation alerts driven by a frozen clock: surges, spikes, influencers, keywords, both engines."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select

from tests import kpi_factories as kf
from tests import seed
from tests.seed import at
from workstation import db, paths, rules
from workstation.alerts import recent, scan
from workstation.alerts.config import AlertConfig, AlertConfigError, load, parse
from workstation.clock import FrozenClock
from workstation.models import AuditEvent

NOW = at("2026-11-26T12:00")


def config(**overrides: object) -> AlertConfig:
    table = {"window": "1h", "baseline": "1d", "sensitivity": 3.0, "cooldown": "2h",
             "min_messages": 5, "min_negative": 3, "negative_below": -0.3,
             "influencer_followers": 100_000, "keywords": ["boycott", "food poisoning"],
             **overrides}
    problems: list[object] = []
    result = parse(table, lambda path, reason: problems.append((path, reason)))
    assert problems == []
    return result


@pytest.fixture
def quiet_day(engine: Engine) -> Engine:
    """Two calm messages in each hour of the day before the last hour (the baseline)."""
    with db.write(engine) as conn:
        for hour in range(2, 26):
            when = NOW - timedelta(hours=hour, minutes=-20)
            c = seed.conversation(conn, start=when)
            kf.said(conn, c, when + timedelta(minutes=5), sentiment=0.3)
    return engine


def _storm(engine: Engine) -> list[int]:
    """Ten messages in the last hour, six of them angry, one from an influencer."""
    ids = []
    with db.write(engine) as conn:
        star = kf.contact(conn, "star", 250_000)
        for n in range(10):
            when = NOW - timedelta(minutes=55 - 5 * n)
            c = seed.conversation(conn, start=when - timedelta(minutes=1))
            kf.said(conn, c, when, sentiment=-0.6 if n % 5 < 3 else 0.2,
                    contact_id=star if n == 4 else None,
                    text="Boycott! [b]x[/b] (.*)+" if n == 7 else "meh")
            ids.append(c)
    return ids


def test_a_storm_raises_each_kind_once(quiet_day: Engine) -> None:
    engine = quiet_day
    assert scan(engine, clock=FrozenClock(NOW), config=config()) == []
    storm = _storm(engine)
    raised = scan(engine, clock=FrozenClock(NOW), config=config())
    alerts = {(a.kind, a.scope): a for a in recent(engine)}
    assert len(raised) == len(alerts) == 6
    assert set(alerts) == {("volume_surge", ""), ("volume_surge", "instagram"),
                           ("sentiment_spike", ""), ("sentiment_spike", "instagram"),
                           ("influencer", "instagram"), ("keyword", "boycott")}
    surge = alerts[("volume_surge", "")]
    # Baseline 2 an hour, spread max(0, √2, 1): threshold 2 + 3·√2 ≈ 6.24 < 10 (+ 10 first
    # messages of the storm's threads in the window: 20 messages).
    assert surge.details["messages"] == 20
    assert surge.details["threshold"] == pytest.approx(2 + 3 * 2 ** 0.5, abs=0.01)
    assert surge.conversation_ids[0] == storm[-1] and set(surge.conversation_ids) == set(storm)
    spike = alerts[("sentiment_spike", "")]
    assert spike.details["negative_share"] == pytest.approx(6 / 20)
    assert sorted(spike.conversation_ids) == sorted(storm[n] for n in range(10) if n % 5 < 3)
    assert alerts[("influencer", "instagram")].conversation_ids == (storm[4],)
    assert alerts[("influencer", "instagram")].details["followers"] == 250_000
    assert alerts[("keyword", "boycott")].conversation_ids == (storm[7],)
    with db.read(engine) as conn:
        audited = conn.execute(select(AuditEvent.target_id).where(  # type: ignore[call-overload]
            AuditEvent.action == "alert.raised")).scalars().all()
    assert sorted(int(i) for i in audited) == sorted(raised)


def test_scanning_again_raises_nothing_new_until_something_happens(quiet_day: Engine) -> None:
    engine = quiet_day
    clock = FrozenClock(NOW)
    _storm(engine)
    first = scan(engine, clock=clock, config=config())
    assert scan(engine, clock=clock, config=config()) == []
    clock.advance(minutes=30)
    with db.write(engine) as conn:
        c = seed.conversation(conn, start=clock() - timedelta(minutes=2))
        kf.said(conn, c, clock() - timedelta(minutes=1), text="Food poisoning after your box")
    later = scan(engine, clock=clock, config=config())
    kinds = [a.kind for a in recent(engine, after_id=max(first))]
    assert len(later) == 1 and kinds == ["keyword"]  # spikes and surges are cooling down
    clock.advance(hours=3)
    assert scan(engine, clock=clock, config=config()) == []  # the storm is over


def test_config_mistakes_are_reported_with_their_line(tmp_path: Path) -> None:
    source = paths.shipped("rules.toml").read_text(encoding="utf-8")
    broken = source.replace('window = "1h"', 'window = "soon"').replace(
        "sensitivity = 3.0", "sensitivity = 99").replace('keywords = ["boycott"',
                                                       'keywordz = ["boycott"')
    path = tmp_path / "rules.toml"
    path.write_text(broken, encoding="utf-8")
    lines = broken.splitlines()
    section = lines.index("[alerts]")
    line = {key: next(n for n, text in enumerate(lines, 1)
                      if n > section and text.startswith(key))
            for key in ("window =", "sensitivity =", "keywordz =")}
    expected = [
        f"{path}:{line['keywordz =']}: unknown key 'alerts.keywordz'",
        f"{path}:{line['window =']}: alerts.window must be a duration of at least \"1m\"",
        f"{path}:{line['sensitivity =']}: alerts.sensitivity must be a number from 0.5 to 20.0",
    ]
    with pytest.raises(AlertConfigError) as caught:
        load(path)
    assert caught.value.problems == expected
    with pytest.raises(rules.RulesError) as checked:  # `workstation rules check` sees them
        rules.load(path)
    assert set(expected) <= set(checked.value.problems)


def test_the_shipped_section_loads() -> None:
    shipped = load()
    assert shipped.window == timedelta(hours=1) and "boycott" in shipped.keywords
    assert shipped.webhook is None
