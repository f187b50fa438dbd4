"""KPI computations on a small hand-built store, every figure worked out by hand, both engines."""

from __future__ import annotations

from datetime import date, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from tests import seed
from tests.seed import at
from workstation import db, kpi
from workstation.sla import Calendar, SlaPolicy, Target

NOW = at("2026-11-26T12:00:00")
"""A Thursday; the 14-day window (UTC days) starts on Friday 13 November at midnight."""
PARIS = ZoneInfo("Europe/Paris")
OFFICE = Calendar("office", PARIS, {d: ((time(9), time(18)),) for d in range(5)})
POLICIES = {
    "support": SlaPolicy("support", Target(timedelta(hours=4), timedelta(hours=8)), {},
                         OFFICE, True),
    "urgent": SlaPolicy("urgent", Target(timedelta(minutes=30), timedelta(minutes=30))),
}


@pytest.fixture
def store(engine: Engine) -> Engine:
    """Seven conversations in the window on two platforms, two outside it."""
    with db.write(engine) as conn:
        c1 = seed.conversation(conn, start=at("2026-11-25T10:00"), reply=at("2026-11-25T10:30"),
                               due=at("2026-11-25T11:00"), resolved_at=at("2026-11-25T12:00"),
                               csat=5, sentiment=0.5)
        seed.conversation(conn, start=at("2026-11-25T11:00"), reply=at("2026-11-25T13:00"),
                          due=at("2026-11-25T12:00"), csat=2, sentiment=-0.5, escalated=True)
        seed.conversation(conn, start=at("2026-11-26T09:00"), due=at("2026-11-26T10:00"))
        c4 = seed.conversation(conn, start=at("2026-11-26T11:30"), due=at("2026-11-26T13:00"))
        seed.conversation(conn, start=at("2026-11-20T08:00"), moderation="hide",
                          reply=at("2026-11-20T08:05"))
        c6 = seed.conversation(conn, platform="facebook", start=at("2026-11-24T09:00"),
                               reply=at("2026-11-24T09:10"), due=at("2026-11-24T10:00"),
                               resolved_at=at("2026-11-24T10:00"), csat=4, sentiment=0.25)
        # Reached the store five minutes after the customer wrote: timed from the message.
        seed.conversation(conn, platform="facebook", start=at("2026-11-24T14:00"),
                          created=at("2026-11-24T14:05"), reply=at("2026-11-24T15:00"),
                          sentiment=0.25)
        seed.lead(conn, c4, stage="customer")
        seed.lead(conn, c6)
        seed.lead(conn, c6, stage="lost")  # a second lead of one conversation counts once
        old = seed.conversation(conn, start=at("2026-11-01T10:00"), reply=at("2026-11-01T10:01"))
        seed.lead(conn, old)
        seed.conversation(conn, start=at("2026-11-26T12:30"))  # after now
        assert c1
    return engine


def test_every_figure_of_all_platforms(store: Engine) -> None:
    report = kpi.compute(store, now=NOW, days=14)
    assert report.start == at("2026-11-13T00:00")
    assert report.days[0] == date(2026, 11, 13) and report.days[-1] == date(2026, 11, 26)
    figures = report.scopes[""]
    m = figures.metric
    assert figures.tally.conversations == 7
    assert figures.tally.needs_reply == 6
    assert m("response_rate") == pytest.approx(4 / 6 * 100)  # the hidden one needs no reply
    assert m("first_response_mean") == pytest.approx((1800 + 7200 + 600 + 3600) / 4, abs=0.01)
    assert m("first_response_median") == pytest.approx((1800 + 3600) / 2, abs=0.01)
    assert m("first_response_p90") == pytest.approx(3600 + 0.7 * (7200 - 3600), abs=0.01)
    # Hits: c1, c6. Misses: c2 (late), c3 (unanswered past due). c4 not due yet; c7 no due.
    assert (figures.tally.sla_hit, figures.tally.sla_missed) == (2, 2)
    assert m("sla_hit_rate") == pytest.approx(50.0)
    assert m("escalation_rate") == pytest.approx(100 / 7)
    assert m("lead_conversion") == pytest.approx(2 / 7 * 100)
    assert m("lead_to_customer") == pytest.approx(50.0)
    assert m("csat") == pytest.approx(2 / 3 * 100)
    assert m("csat_mean") == pytest.approx(11 / 3)
    assert m("sentiment") == pytest.approx(0.5 / 7)
    assert m("resolution_time_mean") == pytest.approx(5400, abs=0.01)
    assert m("resolution_time_median") == pytest.approx(5400, abs=0.01)
    assert m("volume") == 7


def test_per_platform_and_per_day(store: Engine) -> None:
    report = kpi.compute(store, now=NOW, days=14, spread_scopes=("", "instagram"))
    assert list(report.scopes) == ["", "facebook", "instagram"]
    insta, fb = report.scopes["instagram"], report.scopes["facebook"]
    assert insta.metric("response_rate") == pytest.approx(50.0)
    assert insta.metric("first_response_mean") == pytest.approx(4500, abs=0.01)
    assert insta.metric("first_response_median") == pytest.approx(4500, abs=0.01)
    assert insta.metric("first_response_p90") == pytest.approx(1800 + 0.9 * 5400, abs=0.01)
    assert insta.metric("sla_hit_rate") == pytest.approx(100 / 3)
    assert fb.metric("first_response_mean") == pytest.approx(2100, abs=0.01)
    assert fb.metric("first_response_median") is None  # not asked for
    assert fb.metric("sla_hit_rate") == pytest.approx(100.0)
    assert fb.metric("lead_conversion") == pytest.approx(50.0)
    volume = report.series("volume")
    assert len(volume) == 14
    assert volume[7] == 1 and volume[11:] == (2, 2, 2)  # 20th, then 24th to 26th
    assert sum(v or 0 for v in volume) == 7
    assert report.series("volume", "facebook")[11] == 2
    assert report.series("sentiment", "instagram")[12] == pytest.approx(0.0)
    assert report.series("first_response_mean")[12] == pytest.approx(4500, abs=0.01)
    assert report.series("response_rate")[0] is None  # nothing that day


def test_days_start_at_midnight_in_the_team_time_zone(engine: Engine) -> None:
    with db.write(engine) as conn:  # 00:30 in Paris on the 26th, still the 25th in UTC
        seed.conversation(conn, start=at("2026-11-25T23:30"))
    utc = kpi.compute(engine, now=NOW, days=2)
    paris = kpi.compute(engine, now=NOW, days=2, zone=PARIS)
    assert utc.series("volume") == (1, 0)
    assert paris.series("volume") == (0, 1)
    assert paris.start == at("2026-11-25T00:00+01:00")


def test_business_hours_first_response_across_a_weekend(engine: Engine) -> None:
    friday, monday = at("2026-11-20T17:00+01:00"), at("2026-11-23T10:00+01:00")
    with db.write(engine) as conn:
        seed.conversation(conn, start=friday, reply=monday, sla_policy="support")
        seed.conversation(conn, platform="x", start=friday, reply=monday, sla_policy="urgent")
        seed.conversation(conn, platform="tiktok", start=at("2026-11-24T02:00+01:00"),
                          reply=at("2026-11-24T09:30+01:00"), sla_policy="support")
    report = kpi.compute(engine, now=NOW, days=14, policies=POLICIES,
                         spread_scopes=("instagram", "x", "tiktok"))
    paused = report.scopes["instagram"].metric("first_response_mean")
    assert paused == pytest.approx(2 * 3600, abs=0.01)  # Friday 17-18, Monday 9-10
    assert paused == pytest.approx(OFFICE.open_time(friday, monday).total_seconds(), abs=0.01)
    assert report.scopes["x"].metric("first_response_median") == pytest.approx(65 * 3600, abs=0.01)
    assert report.scopes["tiktok"].metric("first_response_mean") == pytest.approx(1800, abs=0.01)
    without = kpi.compute(engine, now=NOW, days=14)  # no policies: around the clock
    assert without.scopes["instagram"].metric("first_response_mean") == pytest.approx(
        65 * 3600, abs=0.01)


def test_an_empty_store_has_no_figures(engine: Engine) -> None:
    report = kpi.compute(engine, now=NOW, days=14, policies=POLICIES)
    assert list(report.scopes) == [""]
    figures = report.scopes[""]
    assert figures.metric("volume") == 0
    for metric in ("first_response_mean", "first_response_median", "response_rate",
                   "sla_hit_rate", "csat", "sentiment", "lead_conversion"):
        assert figures.metric(metric) is None
    assert report.series("volume") == (0,) * 14


def test_one_answer_gives_a_median_and_p90(engine: Engine) -> None:
    with db.write(engine) as conn:
        seed.conversation(conn, start=at("2026-11-26T08:00"), reply=at("2026-11-26T08:20"))
    figures = kpi.compute(engine, now=NOW).scopes[""]
    assert figures.first_response.median == pytest.approx(1200, abs=0.01)
    assert figures.first_response.p90 == pytest.approx(1200, abs=0.01)


def test_percentiles_interpolate_like_percentile_cont(engine: Engine) -> None:
    minutes = [3, 1, 4, 1, 5, 9, 2, 6, 5, 3, 5]
    with db.write(engine) as conn:
        for n, m in enumerate(minutes):
            start = at("2026-11-25T08:00") + timedelta(minutes=10 * n)
            seed.conversation(conn, start=start, reply=start + timedelta(minutes=m))
    figures = kpi.compute(engine, now=NOW).scopes[""]
    ordered = sorted(v * 60 for v in minutes)  # 11 values: ranks 5 and 9 (0-based)
    assert figures.first_response.median == pytest.approx(ordered[5], abs=0.01)
    assert figures.first_response.p90 == pytest.approx(ordered[9], abs=0.01)
