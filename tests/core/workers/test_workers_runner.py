"""Leader and standby in one process: the jobs run where the lease is, and move with it."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta

import pytest
from sqlalchemy import Engine

from tests.thread_factory import add_thread
from tests.worker_fakes import FakeConnector, outbox_row, queue_reply
from workstation import audit
from workstation.workers import Context, Job, Workers, jobs, lease, start_in_process
from workstation.workers.scheduler import run_job

# The leader releases the lease when it stops, so the standby takes over at its next look; the
# ttl only has to outlast a renewal delayed by a loaded machine (1 s did not, under load 8).
FAST = {"renew_every": 0.1, "standby_every": 0.1, "ttl": timedelta(seconds=10)}


def eventually(condition: Callable[[], bool], within: float = 20.0) -> bool:
    """Wait for `condition` (a bound on a hung test, not a timing assertion)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.05)
    return condition()


def test_jobs_are_chosen_by_name() -> None:
    assert [j.name for j in jobs.select("send, poll,send")] == ["send", "poll"]
    assert jobs.select(None) == jobs.JOBS
    with pytest.raises(ValueError, match="unknown job 'mail'"):
        jobs.select("send,mail")


def test_a_failing_job_is_logged_in_one_line_and_reported(engine: Engine) -> None:
    notes: list[str] = []

    def broken(ctx: Context) -> str:
        raise RuntimeError("first line\nsecond line \x1b[2J")

    ctx = Context(engine, log=notes.append)
    assert run_job(Job("broken", 1, broken, ""), ctx) is False
    assert run_job(Job("quiet", 1, lambda c: "", ""), ctx) is True
    assert run_job(Job("busy", 1, lambda c: "sent 3", ""), ctx) is True
    assert notes == ["broken: failed: first line", "busy: sent 3"]


def test_run_once_runs_every_job_under_the_lease(engine: Engine) -> None:
    conv = add_thread(engine)
    reply = queue_reply(engine, conv)
    fake = FakeConnector()
    fake.add_events("instagram:comments", 2)
    notes: list[str] = []
    workers = Workers(engine, connectors=[fake], log=notes.append, own=True)
    assert workers.run_once() is True
    assert outbox_row(engine, reply).state == "sent"
    assert any(n.startswith("poll: ingested 2") for n in notes)
    assert fake.closed
    held = lease.current(engine)
    assert held is not None and not held.holder  # released on the way out
    other = Workers(engine, holder="other")
    assert lease.acquire(engine, "someone-else")
    assert other.run_once() is None


def test_the_standby_takes_over_when_the_leader_stops(engine: Engine) -> None:
    conv = add_thread(engine)
    first_jobs = [j for j in jobs.JOBS if j.name == "send"]
    fake = FakeConnector()
    a = Workers(engine, jobs=first_jobs, connectors=[fake], holder="a", **FAST).start()
    assert eventually(lambda: a.is_leader)
    b = Workers(engine, jobs=first_jobs, connectors=[fake], holder="b", **FAST).start()
    try:
        reply = queue_reply(engine, conv, text="while a leads")
        assert eventually(lambda: outbox_row(engine, reply).state == "sent")
        assert not b.is_leader
        a.stop()
        assert eventually(lambda: b.is_leader)
        reply = queue_reply(engine, conv, text="while b leads")
        assert eventually(lambda: outbox_row(engine, reply).state == "sent")
    finally:
        a.stop()
        b.stop()
    assert [p.text for p in fake.posted] == ["while a leads", "while b leads"]
    events = [(e.details["event"], e.details["holder"])
              for e in audit.list_events(engine, action="worker.leader")]
    assert events[:3] == [("acquired", "a"), ("released", "a"), ("acquired", "b")]


def test_in_process_workers_stand_by_while_another_process_leads(engine: Engine) -> None:
    assert lease.acquire(engine, "sync-on-another-host", ttl=timedelta(hours=1))
    handle = start_in_process(engine, connectors=[])
    try:
        time.sleep(0.2)
        assert not handle.is_leader
        assert lease.release(engine, "sync-on-another-host")
        assert eventually(lambda: handle.is_leader, within=30)
    finally:
        handle.stop()
    held = lease.current(engine)
    assert held is not None and not held.holder
