"""The leader lease: one holder at a time, renewals, expiry, takeover, release, no split brain.

Two "processes" are two holders on one store, with an injected wall clock (the store's
expiry) and an injected monotonic clock (the leader's own deadline).
"""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine
from sqlalchemy.exc import OperationalError

from workstation import audit
from workstation.clock import FrozenClock
from workstation.workers import lease
from workstation.workers.lease import Leadership


class Ticks:
    """A monotonic clock that moves with the frozen wall clock."""

    def __init__(self, clock: FrozenClock) -> None:
        self.clock = clock
        self.start = clock()

    def __call__(self) -> float:
        return (self.clock() - self.start).total_seconds()


def leader_events(engine: Engine) -> list[tuple[str, str]]:
    return [(e.details["event"], e.details["holder"])
            for e in audit.list_events(engine, action="worker.leader")]


def test_one_holder_at_a_time_until_the_lease_expires(engine: Engine, clock: FrozenClock) -> None:
    assert lease.acquire(engine, "a", clock=clock)
    assert not lease.acquire(engine, "b", clock=clock)
    clock.advance(seconds=10)
    assert lease.acquire(engine, "a", clock=clock, renewing=True)  # renewal: 15 s from now
    clock.advance(seconds=10)
    assert not lease.acquire(engine, "b", clock=clock)
    clock.advance(seconds=6)
    assert lease.acquire(engine, "b", clock=clock)  # a stopped renewing: b takes over
    assert not lease.acquire(engine, "a", clock=clock, renewing=True)
    held = lease.current(engine)
    assert held is not None and held.holder == "b" and held.held(clock())
    assert leader_events(engine) == [("acquired", "a"), ("acquired", "b"), ("lost", "a")]
    takeover = audit.list_events(engine, action="worker.leader")[1]
    assert takeover.details["previous"] == "a"


def test_a_released_lease_is_free_at_once(engine: Engine, clock: FrozenClock) -> None:
    assert lease.acquire(engine, "a", clock=clock)
    assert not lease.release(engine, "b", clock=clock)
    assert lease.release(engine, "a", clock=clock)
    assert lease.acquire(engine, "b", clock=clock)
    assert [e for e, _ in leader_events(engine)] == ["acquired", "released", "acquired"]


def test_renewals_are_not_audited(engine: Engine, clock: FrozenClock) -> None:
    for _ in range(5):
        assert lease.acquire(engine, "a", clock=clock, renewing=True)
        clock.advance(seconds=5)
    assert leader_events(engine) == [("acquired", "a")]


def test_a_leader_stops_before_a_standby_can_take_over(engine: Engine,
                                                       clock: FrozenClock) -> None:
    ticks = Ticks(clock)
    a = Leadership(engine, "a", clock=clock, monotonic=ticks)
    b = Leadership(engine, "b", clock=clock, monotonic=ticks)
    assert a.try_lead() and a.valid()
    assert not b.try_lead() and not b.valid()
    # a's renewals stop (stuck store, paused process): its deadline passes first...
    clock.advance(seconds=14)
    assert not a.valid()
    assert not b.try_lead()
    # ...and only after the lease expired in the store may b lead.
    clock.advance(seconds=1.5)
    assert b.try_lead() and b.valid()
    assert not a.valid()
    assert not a.try_lead()


def test_a_failed_renewal_stops_the_jobs_at_once(engine: Engine, clock: FrozenClock) -> None:
    ticks = Ticks(clock)
    a = Leadership(engine, "a", clock=clock, monotonic=ticks)
    b = Leadership(engine, "b", clock=clock, monotonic=ticks)
    assert a.try_lead()
    lease.release(engine, "a", clock=clock)  # as if a's lease had gone to someone else
    assert b.try_lead()
    assert a.valid()  # a does not know yet...
    assert not a.try_lead()
    assert not a.valid()  # ...and stops as soon as it tries to renew


def test_a_store_error_ends_the_leadership(engine: Engine, clock: FrozenClock,
                                           tmp_path: Path) -> None:
    ticks = Ticks(clock)
    a = Leadership(engine, "a", clock=clock, monotonic=ticks)
    assert a.try_lead()
    a.engine = _broken_engine(tmp_path)
    with pytest.raises(OperationalError):
        a.try_lead()
    assert not a.valid()


def test_the_standby_takes_over_within_the_lease_and_one_attempt(engine: Engine,
                                                                 clock: FrozenClock) -> None:
    """Leader dies right after a renewal; a standby trying every 5 s leads within 20 s."""
    assert lease.acquire(engine, "a", clock=clock)
    died = clock()
    while not lease.acquire(engine, "b", clock=clock):
        clock.advance(seconds=lease.STANDBY_EVERY)
    assert clock() - died <= lease.TTL + timedelta(seconds=lease.STANDBY_EVERY)


def _broken_engine(tmp_path: Path) -> Engine:
    return create_engine(f"sqlite:///{tmp_path}/missing/dir/store.db")
