"""The rate limiter shares what a platform said through the store: a second client (another
process) honours a block without calling, and the store never holds the token."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, inspect, select, text

from tests.sandbox_control import TOKEN, Control, Make
from workstation import db
from workstation.clock import FrozenClock
from workstation.connectors.base import RateLimited
from workstation.connectors.config import Secret
from workstation.connectors.ratelimit import Budget, Limiter, meta_budget
from workstation.models import RateLimit

_T = RateLimit.__table__  # type: ignore[attr-defined]


def rows(engine: Engine) -> dict[str, RateLimit]:
    with db.read(engine) as conn:
        return {row.key: row for row in conn.execute(select(_T))}


@pytest.mark.parametrize("platform", ["meta", "x"])
def test_a_throttle_is_stored_and_honoured_by_a_second_client(
    engine: Engine, make: Make, control: Control, platform: str
) -> None:
    first = make(platform, engine)
    control.faults("rate=every:1,reset=30")
    with pytest.raises(RateLimited):
        list(first.poll(first.streams()[0], ""))
    stored = rows(engine)
    fingerprint = Secret(TOKEN).fingerprint()
    [key] = stored
    assert key.startswith(f"{platform}:{fingerprint}")
    blocked = stored[key].blocked_until
    assert blocked is not None
    now = datetime.now(UTC)
    assert now + timedelta(seconds=20) < blocked.replace(tzinfo=UTC) < now + timedelta(seconds=40)

    control.faults("")
    second = make(platform, engine)  # as another process would: nothing in memory
    before = control.state()["requests"]
    with pytest.raises(RateLimited) as caught:
        list(second.poll(second.streams()[0], ""))
    assert caught.value.code == "blocked" and caught.value.retry_after > 20
    assert control.state()["requests"] == before  # it did not call the platform


def test_x_budgets_are_kept_per_endpoint(engine: Engine, make: Make) -> None:
    x = make("x", engine)
    list(x.poll("x:mentions", ""))
    stored = rows(engine)
    endpoints = sorted(key.split(":", 2)[2] for key in stored)
    assert endpoints == ["GET users/:id/mentions", "GET users/me"]
    row = stored[next(k for k in stored if k.endswith("mentions"))]
    assert row.limit == 100_000 and row.remaining == 100_000 - 1 and row.reset_at is not None


def test_the_store_never_holds_the_token(engine: Engine, make: Make, control: Control) -> None:
    for platform in ("meta", "x"):
        connector = make(platform, engine)
        for stream in connector.streams():
            list(connector.poll(stream, ""))
    control.faults("rate=every:1")
    with pytest.raises(RateLimited):
        list(make("meta", engine).poll("instagram:dm", ""))
    assert rows(engine)
    with db.read(engine) as conn:
        for table in inspect(engine).get_table_names():
            for row in conn.execute(text(f'SELECT * FROM "{table}"')):
                assert TOKEN not in repr(tuple(row)), table


def test_an_exhausted_budget_waits_for_its_reset_and_a_low_one_spaces_calls() -> None:
    clock = FrozenClock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    sleeps: list[float] = []
    limiter = Limiter(None, "x:abc", clock=clock, sleep=sleeps.append)
    reset = clock() + timedelta(seconds=90)
    limiter.observe("GET dm_events", Budget(remaining=0, limit=300, reset_at=reset))
    with pytest.raises(RateLimited) as caught:
        limiter.check("GET dm_events")
    assert caught.value.retry_after == 90
    limiter.check("GET users/me")  # another endpoint, another budget
    limiter.observe("GET dm_events", Budget(remaining=3, limit=300, reset_at=reset))
    limiter.check("GET dm_events")
    assert sleeps == [2.0]  # 90 s / 3 calls left, capped at 2 s
    clock.advance(seconds=91)
    limiter.observe("GET dm_events", Budget(remaining=0, limit=300, reset_at=reset))
    limiter.check("GET dm_events")  # the window has reset


def test_a_meta_budget_past_80_percent_used_spaces_calls_in_every_process(
    engine: Engine,
) -> None:
    clock = FrozenClock(datetime(2026, 11, 26, 12, 0, tzinfo=UTC))
    here: list[float] = []
    there: list[float] = []
    calm = Limiter(None, "meta:def", clock=clock, sleep=here.append)
    calm.observe("", Budget(remaining=40, limit=100))  # 60 % used: calls go at once
    calm.check()
    assert here == []
    limiter = Limiter(engine, "meta:abc", clock=clock, sleep=here.append)
    limiter.observe("", Budget(remaining=10, limit=100))  # 90 % used
    other = Limiter(engine, "meta:abc", clock=clock, sleep=there.append)  # another process
    limiter.check()
    other.check()
    assert here == there == [1.0]  # half of the pace: halfway from 80 % to 100 %
    limiter.observe("", Budget(remaining=0, limit=100))
    limiter.check()
    assert here[-1] == 2.0  # Meta throttles at 100 %: the longest pause, not a refusal
    limiter.block("", 30)  # a throttle: refused while it lasts, not paced once it is over
    with pytest.raises(RateLimited):
        limiter.check()
    clock.advance(seconds=31)
    limiter.check()
    limiter.observe("", Budget(remaining=5, limit=100))
    clock.advance(minutes=3)  # no usage reported since: Meta sends none once it is low
    limiter.check()
    assert len(here) == 2


def test_meta_usage_headers_become_a_percentage_budget() -> None:
    now = datetime(2026, 11, 26, 12, 0, tzinfo=UTC)
    headers = {
        "x-app-usage": '{"call_count": 12, "total_cputime": 3, "total_time": 5}',
        "x-business-use-case-usage": '{"104": [{"type": "pages", "call_count": 81, '
                                     '"total_cputime": 20, "total_time": 30, '
                                     '"estimated_time_to_regain_access": 4}]}',
    }
    budget = meta_budget(headers, now)
    assert budget == Budget(remaining=19, limit=100, reset_at=None,
                            blocked_until=now + timedelta(minutes=4))
    assert meta_budget({}, now) is None
    assert meta_budget({"x-app-usage": "not json"}, now) is None
