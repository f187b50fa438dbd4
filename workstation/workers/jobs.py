"""The jobs the leader runs, with their cadence, and what each needs to run.

Every job is a plain function of the store, the clock and a few collaborators (in the modules
of this package), safe to run twice or to be cut short; here each is bound to a `Context`
that the scheduler, `workstation sync --once` and the tests share. A job returns one line
saying what it did ('' when it found nothing to do), which `workstation sync` logs.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import cached_property

from sqlalchemy import Engine

from workstation.clock import Clock, utcnow
from workstation.connectors.base import Connector
from workstation.services.conversations import wake_due

from .outgoing import by_platform
from .policy import Policy
from .syncer import PollState

LOG = logging.getLogger("workstation.workers")


@dataclass
class Context:
    """What the jobs share while this process leads."""

    engine: Engine
    clock: Clock = utcnow
    connectors: Sequence[Connector] = ()
    guard: Callable[[], bool] = lambda: True
    """False once the jobs must stop (leadership lost, or the process stopping)."""
    log: Callable[[str], None] = LOG.info
    policy: Policy = field(default_factory=Policy)
    poll_state: PollState = field(default_factory=PollState)

    @cached_property
    def platforms(self) -> dict[str, Connector]:
        """Platform → the connector that serves it."""
        return by_platform(self.connectors)


@dataclass(frozen=True, slots=True)
class Job:
    name: str
    every: float
    """Seconds between two runs."""
    run: Callable[[Context], str]
    about: str


def poll(ctx: Context) -> str:
    from .syncer import poll_connectors

    return poll_connectors(ctx.engine, ctx.connectors, pipeline=ctx.policy.pipeline,
                           clock=ctx.clock, guard=ctx.guard, state=ctx.poll_state,
                           log=ctx.log).summary()


def flows(ctx: Context) -> str:
    from workstation.leads.runner import start_requested

    started = start_requested(ctx.engine, auto_assign=frozenset(ctx.policy.rules().auto_assign),
                              clock=ctx.clock)
    return f"started {started} flows" if started else ""


def send(ctx: Context) -> str:
    from .sender import send_outbox

    return send_outbox(ctx.engine, ctx.platforms, clock=ctx.clock, guard=ctx.guard,
                       log=ctx.log).summary()


def sla(ctx: Context) -> str:
    from .sweeper import sweep_sla

    return sweep_sla(ctx.engine, ctx.policy.rules(), clock=ctx.clock, guard=ctx.guard).summary()


def reminders(ctx: Context) -> str:
    from .reminders import run_due

    return run_due(ctx.engine, clock=ctx.clock, guard=ctx.guard, log=ctx.log).summary()


def wake(ctx: Context) -> str:
    woken = wake_due(ctx.engine, clock=ctx.clock)
    return f"woke {woken}" if woken else ""


def snapshots(ctx: Context) -> str:
    from workstation.kpi_config import load

    from .snapshots import snapshot_kpis

    rows = snapshot_kpis(ctx.engine, load(), ctx.policy.rules().sla, clock=ctx.clock)
    return f"{rows} KPI values" if rows else ""


def crm(ctx: Context) -> str:
    """Push due leads to the CRM, when the CRM package is installed (`workstation/crm/`)."""
    try:
        from workstation.crm import push_due  # type: ignore[import-not-found, unused-ignore]
    except ModuleNotFoundError as exc:
        if exc.name == "workstation.crm":
            return ""
        raise
    result = push_due(ctx.engine, clock=ctx.clock)
    return str(result) if result else ""


def alerts(ctx: Context) -> str:
    from workstation.alerts import scan

    raised = scan(ctx.engine, clock=ctx.clock)
    return f"{len(raised)} alerts" if raised else ""


JOBS: tuple[Job, ...] = (
    Job("poll", 1, poll, "new messages from every configured connector, through ingest"),
    Job("flows", 1, flows, "start the qualifier flows ingest asked for: greeting, first question"),
    Job("send", 1, send, "compose the bot's drafts, reconcile, send the outbox"),
    Job("sla", 30, sla, "warn before an SLA breach, escalate on breach"),
    Job("reminders", 30, reminders, "act on due reminders"),
    Job("wake", 60, wake, "reopen snoozed conversations whose time has come"),
    Job("snapshots", 900, snapshots, "KPI values per day and week into kpi_snapshot"),
    Job("crm", 30, crm, "push leads to the CRM"),
    Job("alerts", 60, alerts, "reputation alerts: spikes, surges, influencers, keywords"),
)


def select(names: str | None) -> tuple[Job, ...]:
    """The jobs named in a comma-separated list (all of them for None or '').

    Raises:
        ValueError: a name is not a job's.
    """
    if not names:
        return JOBS
    wanted = [n.strip() for n in names.split(",") if n.strip()]
    known = {job.name: job for job in JOBS}
    unknown = [n for n in wanted if n not in known]
    if unknown:
        raise ValueError(f"unknown job {unknown[0]!r}: one of {', '.join(known)}")
    return tuple(known[n] for n in dict.fromkeys(wanted))
