"""The SQL of `workstation.kpi` against a plain Python reading of every row, on a demo store.

The reference reads each conversation and its first message, and times first responses with
`Calendar.open_time` itself: slow, obvious, and what the SQL must agree with on both engines.
"""

from __future__ import annotations

from collections import Counter
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, func, select

from tests.seed import at
from workstation import db, kpi, rules
from workstation.clock import FrozenClock
from workstation.demo.build import build_demo
from workstation.models import Conversation, Message

NOW = at("2026-11-26T15:00")
PARIS = ZoneInfo("Europe/Paris")


def _interpolated(values: list[float], percent: int) -> float:
    ordered = sorted(values)
    position = (len(ordered) - 1) * percent / 100
    low = int(position)
    high = min(low + 1, len(ordered) - 1)
    return ordered[low] + (position - low) * (ordered[high] - ordered[low])


def test_sql_agrees_with_a_row_by_row_reading(engine: Engine) -> None:
    build_demo(engine, size=3000, seed=3, clock=FrozenClock(NOW))
    policies = rules.load().sla
    report = kpi.compute(engine, now=NOW, days=14, zone=PARIS, policies=policies,
                         spread_scopes=("", "instagram"))
    c, m = Conversation.__table__.c, Message.__table__.c  # type: ignore[attr-defined]
    first = select(m.conversation_id, func.min(m.created_at).label("st")).group_by(
        m.conversation_id).subquery()
    with db.read(engine) as conn:
        rows = conn.execute(
            select(c, first.c.st).join(first, first.c.conversation_id == c.id)
            .where(c.created_at >= report.start, c.created_at < NOW)
        ).mappings().all()
    assert len(rows) > 100
    frts: dict[str, list[float]] = {"": [], "instagram": []}
    sla = Counter()
    volume = Counter()
    for row in rows:
        volume[row["created_at"].astimezone(PARIS).date()] += 1
        if row["moderation"] not in kpi.NEEDS_REPLY:
            continue
        st, fr, due = row["st"], row["first_response_at"], row["first_response_due"]
        if fr is not None:
            policy = policies.get(row["sla_policy"])
            if policy is not None and policy.pause_outside_hours and policy.calendar:
                seconds = policy.calendar.open_time(st, fr).total_seconds()
            else:
                seconds = (fr - st).total_seconds()
            for scope in frts:
                if scope in ("", row["platform"]):
                    frts[scope].append(max(seconds, 0.0))
        if due is not None:
            if fr is not None and fr <= due:
                sla["hit"] += 1
            elif fr is not None or due <= NOW:
                sla["missed"] += 1
    figures = report.scopes[""]
    assert figures.tally.conversations == len(rows)
    assert (figures.tally.sla_hit, figures.tally.sla_missed) == (sla["hit"], sla["missed"])
    assert figures.tally.responded == len(frts[""])
    for scope, values in frts.items():
        f = report.scopes[scope]
        assert f.metric("first_response_mean") == pytest.approx(sum(values) / len(values),
                                                                abs=0.01)
        assert f.first_response.median == pytest.approx(_interpolated(values, 50), abs=0.01)
        assert f.first_response.p90 == pytest.approx(_interpolated(values, 90), abs=0.01)
    assert report.series("volume") == tuple(float(volume[d]) for d in report.days)
    assert figures.metric("volume") == len(rows)
    assert report.start == datetime(2026, 11, 13, tzinfo=PARIS).astimezone(UTC)
    assert report.end - report.start < timedelta(days=14)
