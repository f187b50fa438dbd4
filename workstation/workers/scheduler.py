"""The leader's timetable: APScheduler 3 running the jobs in threads, in this process only.

The job store is in memory on purpose. APScheduler's job stores "must never be shared between
schedulers" and carry no locking, so the lease decides which process schedules anything, and
each leader builds its timetable afresh from `jobs.JOBS`. Options follow from the jobs being
idempotent but not free: `max_instances=1` (a long send run is never doubled), `coalesce`
(runs missed while the machine slept collapse into one), and a bounded misfire grace.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from datetime import UTC, datetime

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.jobstores.memory import MemoryJobStore
from apscheduler.schedulers.background import BackgroundScheduler

from workstation.text import inert

from .jobs import Context, Job

MISFIRE_GRACE = 30
"""Seconds a run may start late before it is skipped for the next one."""


def run_job(job: Job, ctx: Context) -> bool:
    """Run one job once, logging what it did or why it failed; whether it succeeded."""
    if not ctx.guard():
        return True
    try:
        summary = job.run(ctx)
    except Exception as exc:  # one job's failure must not stop the others
        first = (str(exc).strip() or type(exc).__name__).splitlines()[0]
        ctx.log(f"{job.name}: failed: {inert(first, limit=300)}")
        logging.getLogger("workstation.workers").debug("%s failed", job.name, exc_info=True)
        return False
    if summary:
        ctx.log(f"{job.name}: {summary}")
    return True


def build(jobs: Sequence[Job], ctx: Context) -> BackgroundScheduler:
    """A scheduler, not yet started, that runs `jobs` at their cadence from now on."""
    # A skipped overlapping run is routine for the sender; APScheduler warns of each one.
    logging.getLogger("apscheduler").setLevel(logging.ERROR)
    scheduler = BackgroundScheduler(
        jobstores={"default": MemoryJobStore()},
        executors={"default": ThreadPoolExecutor(max(len(jobs), 1))},
        job_defaults={"coalesce": True, "max_instances": 1,
                      "misfire_grace_time": MISFIRE_GRACE},
        timezone=UTC,
    )
    start = datetime.now(UTC)
    for job in jobs:
        scheduler.add_job(run_job, "interval", seconds=job.every, args=(job, ctx), id=job.name,
                          name=job.name, replace_existing=True, next_run_time=start)
    return scheduler
