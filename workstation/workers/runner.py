"""Leader or standby: the loop that holds the lease and runs the scheduler only while it does.

`Workers.run()` is the whole life of a worker process: try to lead every `STANDBY_EVERY`
seconds; once leading, start the scheduler and renew every `RENEW_EVERY` seconds; on a failed
renewal stop the scheduler at once (running jobs see their guard turn false and stop between
two items); on stop, let the running jobs finish their item, release the lease so a standby
takes over at its next attempt, and close the connectors. `workstation sync` runs it in the
foreground; the TUI runs it in a thread (`start_in_process`).
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Sequence
from dataclasses import replace
from datetime import timedelta

from apscheduler.schedulers.background import BackgroundScheduler
from sqlalchemy import Engine

from workstation.clock import Clock, iso, utcnow
from workstation.connectors.base import Connector
from workstation.text import inert

from . import lease, scheduler
from .jobs import JOBS, LOG, Context, Job


class Workers:
    """The workers of one process.

    Args:
        engine: the store.
        jobs: the jobs to run; all of them by default.
        connectors: the configured connectors (closed when the workers stop if `own`).
        clock: the current time.
        holder: this process's id in the lease.
        log: where the one-line notes go.
        renew_every, standby_every, ttl: the lease's timing (tests shorten them).
        own: close the connectors on stop.
    """

    def __init__(self, engine: Engine, *, jobs: Sequence[Job] = JOBS,
                 connectors: Sequence[Connector] = (), clock: Clock = utcnow,
                 holder: str | None = None, log: Callable[[str], None] = LOG.info,
                 renew_every: float = lease.RENEW_EVERY,
                 standby_every: float = lease.STANDBY_EVERY, ttl: timedelta = lease.TTL,
                 own: bool = False) -> None:
        self.jobs = tuple(jobs)
        self.connectors = tuple(connectors)
        self.leadership = lease.Leadership(engine, holder, ttl=ttl, clock=clock)
        self.renew_every = renew_every
        self.standby_every = standby_every
        self.log = log
        self.own = own
        self.stopping = threading.Event()
        self.context = Context(engine, clock, self.connectors, self.may_work, log)
        self._scheduler: BackgroundScheduler | None = None
        self._thread: threading.Thread | None = None
        self._waiting = False
        self._term = 0
        """Bumped whenever the scheduler starts or stops: a job of an earlier term (still
        finishing its item after a lost lease) never resumes when the lease comes back."""

    @property
    def holder(self) -> str:
        return self.leadership.holder

    @property
    def is_leader(self) -> bool:
        """Whether this process runs the jobs now."""
        return self._scheduler is not None and self.may_work()

    def may_work(self) -> bool:
        """The jobs' guard: leading, and not stopping."""
        return not self.stopping.is_set() and self.leadership.valid()

    def run(self) -> None:
        """Lead or stand by until `stop()` (or a signal handler sets `stopping`)."""
        try:
            while not self.stopping.is_set():
                leading = self._tick()
                self.stopping.wait(self.renew_every if leading else self.standby_every)
        finally:
            self._halt(wait=True)
            self.leadership.release()
            self._close()

    def start(self) -> Workers:
        """Run in a background thread (the TUI's way); returns self."""
        self._thread = threading.Thread(target=self.run, name="workstation-workers",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self, timeout: float | None = 30.0) -> None:
        """Stop the jobs, release the lease and wait for the thread (if `start` made one)."""
        self.stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def run_once(self) -> bool | None:
        """Run each job once, in order, while holding the lease (`sync --once`).

        Returns whether every job succeeded; None when another process leads.
        """
        if not self.leadership.try_lead():
            return None
        done = threading.Event()
        keeper = threading.Thread(target=self._keep, args=(done,), daemon=True)
        keeper.start()
        try:
            return all([scheduler.run_job(job, self.context) for job in self.jobs])
        finally:
            done.set()
            keeper.join()
            self.leadership.release()
            self._close()

    def _keep(self, done: threading.Event) -> None:
        while not done.wait(self.renew_every):
            self._try_lead()

    def _try_lead(self) -> bool:
        try:
            return self.leadership.try_lead()
        except Exception as exc:  # the store is unreachable: we cannot lead now
            self.log(f"lease: {inert(str(exc).splitlines()[0] if str(exc) else '?', limit=200)}")
            return False

    def _tick(self) -> bool:
        leading = self._try_lead()
        if leading and self._scheduler is None:
            self.log(f"leading as {self.holder}: {', '.join(j.name for j in self.jobs)}")
            self._waiting = False
            self._term += 1
            term = self._term
            context = replace(self.context, guard=lambda: self.may_work() and self._term == term)
            self._scheduler = scheduler.build(self.jobs, context)
            self._scheduler.start()
        elif not leading and self._scheduler is not None:
            self.log("lost the lease: jobs stopped, standing by")
            self._halt(wait=False)
        elif not leading and not self._waiting:
            self._waiting = True
            held = lease.current(self.context.engine)
            who = f"{held.holder} leads until {iso(held.expires_at)}" if held else "no lease"
            self.log(f"standing by: {inert(who)}")
        return leading

    def _halt(self, *, wait: bool) -> None:
        self._term += 1
        if self._scheduler is not None:
            self._scheduler.shutdown(wait=wait)
            self._scheduler = None

    def _close(self) -> None:
        if self.own:
            for connector in self.connectors:
                try:
                    connector.close()
                except Exception:  # closing must not hide why we stopped
                    pass


def configured_connectors(engine: Engine) -> list[Connector]:
    """The connectors the environment configures (none until the connectors are installed).

    Raises:
        Exception: what the connectors' configuration raises (a secrets file readable by
            others, a bad URL): the workers refuse to start on it.
    """
    try:
        from workstation.connectors import configured  # type: ignore[attr-defined, unused-ignore]
    except ImportError:
        return []
    return list(configured(engine))


def start_in_process(engine: Engine, *, clock: Clock = utcnow,
                     connectors: Sequence[Connector] | None = None,
                     log: Callable[[str], None] = LOG.info) -> Workers:
    """Start the workers in a background thread of this process (the TUI's).

    They stand by while another process (`workstation sync`, another TUI) leads, and take
    over when it goes. Call `.stop()` on the result when the process exits (it may take a few
    seconds: a job finishes its current item); `.is_leader` says whether they run here now.
    """
    own = connectors is None
    found = configured_connectors(engine) if connectors is None else list(connectors)
    return Workers(engine, connectors=found, clock=clock, log=log, own=own).start()
