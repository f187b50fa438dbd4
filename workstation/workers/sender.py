"""The sender job: compose the bot's drafts, then drive the outbox to the platforms.

One run: write the text of the drafts automation queued (`compose_drafts`), turn rows whose
worker died mid-send into `unknown` (`expire_leases`), reconcile every `unknown` row by
reading the thread on the platform (`find_sent`) *before* any new send, then claim due rows
in small batches and send them until the outbox is empty, the time budget is spent or the
leadership is lost. The connector's error class decides each row's fate:

- `RateLimited`: given back, due after `retry_after`, the attempt not counted; the platform
  gets nothing more this run;
- `OutcomeUnknown`, `Malformed` or an unexpected error: `unknown` (posted or not, we cannot
  tell: reconciled next run, never resent blindly);
- `Transient` with an answer (a 5xx): retried later with backoff; without one (connection
  refused: the platform is down, the reply says nothing about it): given back, due in
  `UNREACHABLE_PAUSE`, the attempt not counted, and the platform left alone this run;
- `Rejected`: failed for good, shown to the agent.

A claimed row is sent only while its claim has `SEND_MARGIN` left to run: enough for the
connector's HTTP timeout, so a call still in flight when this process dies or loses the
leadership always ends before the claim expires and a new leader reconciles the row.

Rows of platforms with no connector configured are never claimed: they wait, queued. A DM
whose messaging window closed while it waited fails with the reason, since sending it would
be refused (or worse, count against the page), and so does a second private reply to one
Meta comment (rows queued before the replies service knew Meta accepts one per comment).
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field, fields
from datetime import datetime, timedelta

from sqlalchemy import Engine, select

from workstation import db, platform_rules
from workstation.clock import Clock, utcnow
from workstation.connectors.base import (
    Connector,
    ConnectorError,
    RateLimited,
    Rejected,
    Transient,
)
from workstation.models import AuthorKind, Conversation, Outbox, OutboxState
from workstation.replies import guardrails
from workstation.replies.guardrails import ReplyContext, WindowState
from workstation.services import outbox
from workstation.services.replies import compose_drafts
from workstation.text import inert

from .outgoing import CHANNELS, Target, targets

WORKER = "sender"
BATCH = 20
"""Rows claimed at a time: few enough that a stop leaves little to give back."""
SENDERS = 4
"""Conversations sent to at once (the platform's answers take time); one conversation's
replies go out one after the other, in order."""
BUDGET = 20.0
"""Seconds one run may spend sending before it lets the next run start over."""
SEND_LEASE = timedelta(seconds=30)
"""How long a claimed row is ours; a dead worker's rows are reconciled after it."""
SEND_MARGIN = timedelta(seconds=15)
"""A row is not sent with less than this left on its claim (more than an HTTP timeout)."""
UNREACHABLE_PAUSE = timedelta(seconds=5)

_O = Outbox.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]


def _always() -> bool:
    return True


@dataclass
class SendReport:
    """What a run of the sender did."""

    composed: int = 0
    expired: int = 0
    reconciled: int = 0
    """`unknown` rows found on the platform (now sent)."""
    requeued: int = 0
    """`unknown` rows not found on the platform (queued again)."""
    sent: int = 0
    retrying: int = 0
    failed: int = 0
    unknown: int = 0
    deferred: int = 0

    def summary(self) -> str:
        """'sent 12, retrying 1' (only what happened), '' when nothing did."""
        return ", ".join(f"{f.name} {getattr(self, f.name)}" for f in fields(self)
                         if getattr(self, f.name))


def send_outbox(
    engine: Engine, connectors: Mapping[str, Connector], *, clock: Clock = utcnow,
    guard: Callable[[], bool] = _always, batch: int = BATCH, budget: float = BUDGET,
    rng: random.Random | None = None, log: Callable[[str], None] | None = None,
) -> SendReport:
    """One run of the sender (safe to run twice, or in two processes at once).

    Args:
        engine: the store.
        connectors: platform → connector (`outgoing.by_platform`).
        clock: the current time.
        guard: false once this process may no longer work (lost leadership, stopping).
        batch: rows claimed at a time.
        budget: seconds of sending per run.
        rng: jitter of the retry backoff.
        log: where one-line notes go (a connector error's reason).
    """
    report = SendReport()
    report.composed = compose_drafts(engine, clock=clock)
    report.expired = outbox.expire_leases(engine, clock=clock)
    if not connectors or not guard():
        return report
    reconcile(engine, connectors, report, clock=clock, guard=guard, log=log)
    round_ = _Round(engine, connectors, clock, guard, rng, log, report)
    deadline = time.monotonic() + budget
    with ThreadPoolExecutor(SENDERS, thread_name_prefix="send") as pool:
        while guard() and time.monotonic() < deadline:
            platforms = set(connectors) - round_.waiting()
            if not platforms:
                break
            claimed = outbox.claim(engine, worker=WORKER, limit=batch, clock=clock,
                                   platforms=platforms, lease=SEND_LEASE)
            if not claimed:
                break
            latest = time.monotonic() + (SEND_LEASE - SEND_MARGIN).total_seconds()
            found = targets(engine, [row.id for row in claimed])
            threads: dict[int, list[Target]] = {}
            for row in claimed:
                threads.setdefault(found[row.id].conversation_id, []).append(found[row.id])
            for _ in pool.map(lambda group: round_.send_all(group, latest), threads.values()):
                pass
    return report


@dataclass
class _Round:
    """One run's sending, shared by its threads: what each platform asked, and the counts."""

    engine: Engine
    connectors: Mapping[str, Connector]
    clock: Clock
    guard: Callable[[], bool]
    rng: random.Random | None
    log: Callable[[str], None] | None
    report: SendReport
    blocked: dict[str, datetime] = field(default_factory=dict)
    """Platform → until when it must not be called (it asked us to wait, or is down)."""
    lock: threading.Lock = field(default_factory=threading.Lock)

    def waiting(self) -> set[str]:
        with self.lock:
            return set(self.blocked)

    def send_all(self, thread: list[Target], latest: float) -> None:
        """Send one conversation's claimed rows, in order."""
        for target in thread:
            outcome = self._one(target, latest)
            with self.lock:
                setattr(self.report, outcome, getattr(self.report, outcome) + 1)

    def _one(self, target: Target, latest: float) -> str:
        outbox_id, platform = target.item.outbox_id, target.item.platform
        with self.lock:
            until = self.blocked.get(platform)
        if not self.guard():
            _give_back(self.engine, outbox_id, None, "the worker stopped first", self.clock)
        elif time.monotonic() > latest:
            _give_back(self.engine, outbox_id, None, "its claim ran short", self.clock)
        elif until is not None:
            _give_back(self.engine, outbox_id, until, "waiting for the platform", self.clock)
        else:
            outcome, until = _send_one(self.engine, self.connectors[platform], target,
                                       self.clock, self.rng, self.log)
            if until is not None:
                with self.lock:
                    self.blocked[platform] = until
            return outcome
        return "deferred"


def reconcile(
    engine: Engine, connectors: Mapping[str, Connector], report: SendReport, *,
    clock: Clock = utcnow, guard: Callable[[], bool] = _always,
    log: Callable[[str], None] | None = None, limit: int = 200,
) -> None:
    """Settle `unknown` rows: found on the platform → sent, not found → queued again.

    A row whose platform cannot be read now stays `unknown` until a later run, and so do the
    other rows of that platform (one failed read per platform and run).
    """
    with db.read(engine) as conn:
        ids = list(conn.execute(
            select(_O.id).select_from(Outbox.__table__.join(  # type: ignore[attr-defined]
                Conversation.__table__, _C.id == _O.conversation_id))  # type: ignore[attr-defined]
            .where(_O.state == OutboxState.UNKNOWN.value, _C.platform.in_(sorted(connectors)))
            .order_by(_O.id).limit(limit)).scalars())
    failing: set[str] = set()
    for outbox_id, target in targets(engine, ids).items():
        if not guard():
            return
        if target.item.platform in failing:
            continue
        try:
            found = connectors[target.item.platform].find_sent(target.item)
        except ConnectorError as exc:
            failing.add(target.item.platform)  # its other rows wait for the next run
            _note(log, target, f"still unknown: {exc}")
            continue
        try:
            outbox.resolve_unknown(engine, outbox_id, external_id=found, worker=WORKER,
                                   clock=clock)
        except outbox.OutboxStateError:
            continue  # an agent or another worker settled it meanwhile
        if found is not None:
            report.reconciled += 1
        else:
            report.requeued += 1


def _send_one(engine: Engine, connector: Connector, target: Target, clock: Clock,
              rng: random.Random | None,
              log: Callable[[str], None] | None) -> tuple[str, datetime | None]:
    """Send one claimed row and record the outcome: the report's field to count, and when
    its platform asked us to wait, the time until which it must not be called again."""
    item = target.item
    refusal = _refusal(engine, target, clock)
    if refusal:
        _settle(outbox.mark_failed, engine, item.outbox_id, refusal, clock, retryable=False)
        return "failed", None
    try:
        external_id = connector.send(item)
    except RateLimited as exc:
        wait = max(exc.retry_after, 0.0)
        until = clock() + timedelta(seconds=wait)
        _give_back(engine, item.outbox_id, until, f"rate limited: {exc}", clock)
        _note(log, target, f"rate limited for {wait:.0f}s")
        return "deferred", until
    except Transient as exc:
        if exc.status is None:
            until = clock() + UNREACHABLE_PAUSE
            _give_back(engine, item.outbox_id, until, str(exc), clock)
            _note(log, target, f"platform unreachable: {exc}")
            return "deferred", until
        view = _settle(outbox.mark_failed, engine, item.outbox_id, str(exc), clock, rng=rng)
        _note(log, target, f"will retry: {exc}")
        gave_up = view is not None and view.state == OutboxState.FAILED.value
        return ("failed" if gave_up else "retrying"), None
    except Rejected as exc:
        _settle(outbox.mark_failed, engine, item.outbox_id, str(exc), clock, retryable=False)
        _note(log, target, f"refused: {exc}")
        return "failed", None
    except Exception as exc:  # OutcomeUnknown, Malformed, a connector's bug: posted or not?
        reason = str(exc) or type(exc).__name__
        _settle(outbox.mark_unknown, engine, item.outbox_id, reason, clock)
        _note(log, target, f"outcome unknown: {reason}")
        return "unknown", None
    _settle(outbox.mark_sent, engine, item.outbox_id, external_id, clock)
    return "sent", None


def _refusal(engine: Engine, target: Target, clock: Clock) -> str:
    """Why the row must not be sent at all ('' when it may)."""
    item = target.item
    if item.channel not in CHANNELS:
        return f"unknown channel {item.channel!r}"
    if item.channel != "dm":
        return ""
    if item.kind != "dm" and item.platform in platform_rules.PRIVATE_REPLY_PLATFORMS:
        # A conversation's rows go out in order, one at a time: an earlier row to the same
        # comment has settled by now, so sent or unknown is the comment's one private reply.
        with db.read(engine) as conn:
            taken = platform_rules.private_reply_taken(
                conn, target.conversation_id, item.reply_to, exclude=item.outbox_id,
                states=(OutboxState.SENT.value, OutboxState.UNKNOWN.value))
        if taken is not None:
            name = platform_rules.NAMES.get(item.platform, item.platform)
            return (f"{name} accepts one private reply per comment and reply #{taken} is "
                    "this comment's")
    ctx = ReplyContext(platform=item.platform, channel="dm", kind=item.kind,
                       author_kind=AuthorKind.AGENT.value if item.human_agent else "bot",
                       now=clock(), last_inbound_at=target.last_inbound_at)
    state = guardrails.dm_window_state(ctx, guardrails.load_config_file())
    if state is WindowState.CLOSED:
        return "the platform's messaging window closed before the DM could be sent"
    if state is WindowState.HUMAN_AGENT and not item.human_agent:
        return "past the standard messaging window only a person may answer (human-agent tag)"
    return ""


def _give_back(engine: Engine, outbox_id: int, until: datetime | None, reason: str,
               clock: Clock) -> None:
    _settle(outbox.defer, engine, outbox_id, None, clock, until=until, reason=reason)


def _settle(transition: Callable[..., outbox.OutboxView], engine: Engine, outbox_id: int,
            value: str | None, clock: Clock, **kwargs: object) -> outbox.OutboxView | None:
    """Apply a transition; None when the row changed state meanwhile (an expired lease)."""
    args = (engine, outbox_id) if value is None else (engine, outbox_id, value)
    try:
        return transition(*args, worker=WORKER, clock=clock, **kwargs)
    except outbox.OutboxStateError:
        return None


def _note(log: Callable[[str], None] | None, target: Target, text: str) -> None:
    if log is not None:
        log(f"outbox #{target.item.outbox_id} ({target.item.platform}): {inert(text, limit=200)}")
