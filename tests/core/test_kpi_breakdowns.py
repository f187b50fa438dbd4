"""Next responses, breakdowns and top posts on a small store, worked out by hand, both engines."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests import kpi_factories as kf
from tests import seed
from tests.core.test_kpi import OFFICE, POLICIES
from tests.seed import at
from workstation import db
from workstation.kpi_breakdowns import breakdown, next_response, top_posts

START, END = at("2026-11-20T00:00"), at("2026-11-27T00:00")


def test_next_responses_are_timed_from_the_first_unanswered_message(engine: Engine) -> None:
    with db.write(engine) as conn:
        c = seed.conversation(conn, start=at("2026-11-25T10:00"), reply=at("2026-11-25T10:30"),
                              exchange_count=3)
        seed.message(conn, c, at("2026-11-25T11:00"))  # opens a turn...
        seed.message(conn, c, at("2026-11-25T11:10"))  # ...still the same turn
        seed.message(conn, c, at("2026-11-25T11:20"), direction="out")  # 20 min
        seed.message(conn, c, at("2026-11-25T11:25"), direction="out")  # not an answer
        seed.message(conn, c, at("2026-11-25T12:00"))
        seed.message(conn, c, at("2026-11-25T13:00"), direction="out")  # 60 min
        seed.message(conn, c, at("2026-11-25T14:00"))  # unanswered: not counted
        once = seed.conversation(conn, start=at("2026-11-25T10:00"),
                                 reply=at("2026-11-25T10:05"), exchange_count=1)
        seed.message(conn, once, at("2026-11-25T10:06"), direction="out")  # no second turn
        old = seed.conversation(conn, start=at("2026-11-01T10:00"), reply=at("2026-11-01T10:05"),
                                exchange_count=2)
        seed.message(conn, old, at("2026-11-21T10:00"))
        seed.message(conn, old, at("2026-11-21T10:10"), direction="out")  # outside the cohort
    result = next_response(engine, START, END)
    assert result.count == 2
    assert result.mean == pytest.approx(2400, abs=0.01)
    assert result.spread.median == pytest.approx(2400, abs=0.01)
    assert result.spread.p90 == pytest.approx(1200 + 0.9 * 2400, abs=0.01)


def test_next_responses_count_open_hours_under_a_pausing_policy(engine: Engine) -> None:
    friday, monday = at("2026-11-20T17:00+01:00"), at("2026-11-23T10:00+01:00")
    with db.write(engine) as conn:
        c = seed.conversation(conn, start=at("2026-11-20T09:00+01:00"),
                              reply=at("2026-11-20T09:10+01:00"), sla_policy="support",
                              exchange_count=2)
        seed.message(conn, c, friday)
        seed.message(conn, c, monday, direction="out")
    paused = next_response(engine, START, END, POLICIES)
    assert paused.mean == pytest.approx(OFFICE.open_time(friday, monday).total_seconds(),
                                        abs=0.01)
    assert paused.mean == pytest.approx(2 * 3600, abs=0.01)
    assert next_response(engine, START, END).mean == pytest.approx(65 * 3600, abs=0.01)


def test_breakdown_per_campaign_and_agent(engine: Engine) -> None:
    with db.write(engine) as conn:
        julie = seed.agent(conn, "julie")
        a = seed.conversation(conn, start=at("2026-11-25T10:00"), reply=at("2026-11-25T10:30"),
                              campaign="bf", sentiment=0.5, assignee_id=julie)
        seed.conversation(conn, start=at("2026-11-25T11:00"), campaign="bf", sentiment=-0.3,
                          escalated=True, assignee_id=julie)
        seed.conversation(conn, start=at("2026-11-25T12:00"), reply=at("2026-11-25T12:10"),
                          sentiment=0.2)
        seed.conversation(conn, start=at("2026-11-25T13:00"), campaign="bf",
                          moderation="hide")
        kf.lead(conn, a)
        kf.lead(conn, a)  # two leads, one conversation with a lead
    by_campaign = {g.key: g for g in breakdown(engine, START, END, "campaign")}
    bf = by_campaign["bf"]
    assert (bf.conversations, bf.needs_reply, bf.responded, bf.escalated, bf.leads) == (
        3, 2, 1, 1, 1)
    assert bf.response_rate == pytest.approx(50.0)
    assert bf.first_response_mean == pytest.approx(1800, abs=0.01)
    assert bf.sentiment == pytest.approx(0.2 / 3)
    assert by_campaign[""].conversations == 1
    by_agent = {g.key: g for g in breakdown(engine, START, END, "agent")}
    assert by_agent["julie"].conversations == 2 and by_agent[""].conversations == 2
    with pytest.raises(ValueError):
        breakdown(engine, START, END, "colour")


def test_top_posts_rank_by_likes_comments_and_shares(engine: Engine) -> None:
    with db.write(engine) as conn:
        big = kf.post(conn, campaign="bf", likes=100, shares=10, impressions=2000,
                      caption="big")
        small = kf.post(conn, campaign="noel", likes=50, shares=5, impressions=0,
                        caption="small")
        quiet = kf.post(conn, campaign="noel", likes=999, caption="no comment in period")
        for n in range(3):
            seed.conversation(conn, start=at(f"2026-11-2{n + 1}T10:00"), post_id=small,
                              message_count=2)
        seed.conversation(conn, start=at("2026-11-22T10:00"), post_id=big, message_count=1)
        seed.conversation(conn, start=at("2026-11-01T10:00"), post_id=quiet,
                          message_count=40)  # before the period
    posts = top_posts(engine, START, END)
    assert [p.post_id for p in posts] == [big, small]
    assert posts[0].comments == 1 and posts[0].engagement == 111
    assert posts[0].engagement_rate == pytest.approx(111 / 2000 * 100)
    assert posts[1].comments == 6 and posts[1].engagement_rate is None
