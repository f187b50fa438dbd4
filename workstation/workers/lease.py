"""Leadership of the workers: one lease row per store, held by one process at a time.

Every process that can run the workers (`workstation sync`, a TUI) competes for the row
`worker_lease.scheduler`. Taking or extending it is one write transaction that locks the row
(BEGIN IMMEDIATE on SQLite, FOR UPDATE on PostgreSQL), so two processes can never both read
it as free. The leader extends it every few seconds; a standby takes it once it has expired,
that is within `TTL` plus one standby period of the leader's death.

A leader also keeps a deadline on its own monotonic clock, counted from *before* its last
successful renewal and shorter than the lease: past it, `Leadership.valid()` is false and the
jobs stop, even while a renewal is stuck on a locked store, before any standby can take the
lease (expiry is read on the standby's clock: hosts sharing a PostgreSQL store keep their
clocks in sync, as NTP does). That is what rules out two leaders at once.
"""

from __future__ import annotations

import os
import secrets
import socket
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, WorkerLease

NAME = "scheduler"
TTL = timedelta(seconds=15)
"""How long a lease lasts without renewal."""
RENEW_EVERY = 5.0
"""Seconds between a leader's renewals (three chances before the lease runs out)."""
STANDBY_EVERY = 5.0
"""Seconds between a standby's attempts to take the lease."""
MARGIN = timedelta(seconds=2)
"""A leader stops this long before its lease could expire in the store (a fifth of a short
lease)."""

_TABLE = WorkerLease.__table__  # type: ignore[attr-defined]
_L = _TABLE.c


def holder_id() -> str:
    """Who this process is, in the lease and the audit trail: host, pid and a random tag (a
    pid reused after a restart is still another holder)."""
    return f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"


@dataclass(frozen=True, slots=True)
class LeaseView:
    """The lease row as it stands."""

    name: str
    holder: str
    acquired_at: datetime
    expires_at: datetime

    def held(self, now: datetime) -> bool:
        """Whether someone holds it at `now`."""
        return bool(self.holder) and self.expires_at > now


def current(engine: Engine, *, name: str = NAME) -> LeaseView | None:
    """The lease row, None before anyone ever took it."""
    with db.read(engine) as conn:
        row = conn.execute(select(_TABLE).where(_L.name == name)).one_or_none()
    return None if row is None else LeaseView(row.name, row.holder, row.acquired_at,
                                              row.expires_at)


def acquire(engine: Engine, holder: str, *, ttl: timedelta = TTL, clock: Clock = utcnow,
            name: str = NAME, renewing: bool = False) -> bool:
    """Take the lease if it is free or expired, or extend it if `holder` has it.

    Returns whether `holder` leads now. Taking it is audited (`worker.leader`, event
    `acquired`, with the previous holder); so is finding it gone when `renewing` (`lost`).
    """
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, name)
        if row is None:
            db.insert_ignore(conn, _TABLE, [{"name": name, "holder": "", "acquired_at": now,
                                             "expires_at": now}])
            row = _lock(conn, name)  # another process may have inserted it first
        mine = row.holder == holder
        if not mine and row.holder and row.expires_at > now:
            if renewing:
                _audit(conn, "lost", holder, now, leader=row.holder)
            return False
        values: dict[str, Any] = {"expires_at": now + ttl}
        if not mine or row.expires_at <= now:
            values.update(holder=holder, acquired_at=now)
            _audit(conn, "acquired", holder, now, previous=row.holder,
                   previous_expired_at=row.expires_at.isoformat() if row.holder else None)
        conn.execute(update(_TABLE).where(_L.name == name).values(**values))
    return True


def release(engine: Engine, holder: str, *, clock: Clock = utcnow, name: str = NAME) -> bool:
    """Give the lease up at once (a clean stop), if `holder` has it; whether it did."""
    now = clock()
    with db.write(engine) as conn:
        row = _lock(conn, name)
        if row is None or row.holder != holder:
            return False
        conn.execute(update(_TABLE).where(_L.name == name).values(holder="", expires_at=now))
        _audit(conn, "released", holder, now)
    return True


def _lock(conn: Connection, name: str) -> Any:
    return conn.execute(select(_TABLE).where(_L.name == name).with_for_update()).one_or_none()


def _audit(conn: Connection, event: str, holder: str, now: datetime, **details: Any) -> None:
    audit.record(conn, "worker.leader", actor="workers", actor_kind=ActorKind.SYSTEM,
                 target_kind="worker_lease", target_id=NAME, at=now,
                 details={"event": event, "holder": holder, **details})


class Leadership:
    """One process's side of the lease: try to lead, know whether it still may, let go.

    Args:
        engine: the store.
        holder: this process's id; `holder_id()` by default.
        ttl: the lease's length.
        clock: wall time, written in the store.
        monotonic: the local clock of the deadline (injected by tests).
    """

    def __init__(self, engine: Engine, holder: str | None = None, *, ttl: timedelta = TTL,
                 clock: Clock = utcnow, monotonic: Callable[[], float] = time.monotonic,
                 name: str = NAME) -> None:
        self.engine = engine
        self.holder = holder or holder_id()
        self.ttl = ttl
        self.clock = clock
        self.monotonic = monotonic
        self.name = name
        self._deadline = float("-inf")

    def try_lead(self) -> bool:
        """Take or renew the lease; whether this process leads now.

        A renewal that fails in any way ends the leadership at once: the jobs stop before the
        next one starts, and the next call takes the lease back if nobody else did.

        Raises:
            Exception: what the store raised (the leadership has ended).
        """
        started = self.monotonic()
        renewing = self.valid()
        try:
            led = acquire(self.engine, self.holder, ttl=self.ttl, clock=self.clock,
                          name=self.name, renewing=renewing)
        except BaseException:
            self._deadline = float("-inf")
            raise
        margin = min(MARGIN, self.ttl / 5)
        self._deadline = started + (self.ttl - margin).total_seconds() if led else float("-inf")
        return led

    def valid(self) -> bool:
        """Whether jobs may run now: the lease was renewed recently enough."""
        return self.monotonic() < self._deadline

    def release(self) -> None:
        """Stop leading and free the lease for a standby (a clean stop)."""
        self._deadline = float("-inf")
        try:
            release(self.engine, self.holder, clock=self.clock, name=self.name)
        except Exception:
            pass  # the store is gone: the lease expires on its own
