"""Claims: one agent works a conversation at a time, and everyone sees who.

A claim is a lease on the conversation (`claimed_by`, `claim_expires_at`). The conversation
screen takes it when it opens a thread nobody holds, renews it while it stays open and
releases it on leaving; a screen that dies simply lets the lease run out. Anyone can read
who holds a live claim (the queue's "viewing" column reads the same two columns). Taking over
someone else's live claim is explicit and audited. Renewing is a heartbeat: it is not audited
and does not bump the conversation's version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Connection, Engine, select, update

from workstation import audit, db, permissions
from workstation.clock import Clock, utcnow
from workstation.models import Agent, Conversation

from .reply_context import NotFound

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]

LEASE = timedelta(seconds=90)
"""How long a claim lasts without renewal; the screen renews it every `LEASE / 3`."""


class ClaimHeld(Exception):
    """Another agent holds a live claim on the conversation."""

    def __init__(self, holder: str, expires_at: datetime) -> None:
        super().__init__(f"{holder} holds this conversation")
        self.holder = holder
        self.expires_at = expires_at


@dataclass(frozen=True, slots=True)
class Claim:
    """Who holds a conversation, as of `now`."""

    conversation_id: int
    holder: str
    """The holder's login; empty when nobody holds a live claim."""
    expires_at: datetime | None
    mine: bool
    """Whether the agent who asked holds it."""


def agent_id(conn: Connection, name: str) -> int:
    """The id of the agent with login `name`.

    Raises:
        NotFound: no agent has this login.
    """
    found = conn.execute(select(_A.id).where(_A.name == name)).scalar_one_or_none()
    if found is None:
        raise NotFound(f"no agent named {name!r}")
    return int(found)


def holder(conn: Connection, conversation_id: int, *, agent: str, now: datetime) -> Claim:
    """Who holds `conversation_id` now, read on the caller's connection.

    Raises:
        NotFound: there is no such conversation.
    """
    row = conn.execute(
        select(_C.claim_expires_at, _A.name)
        .select_from(_CONVERSATION)
        .outerjoin(Agent.__table__, _A.id == _C.claimed_by)  # type: ignore[attr-defined]
        .where(_C.id == conversation_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"no conversation #{conversation_id}")
    if row.name is None or row.claim_expires_at is None or row.claim_expires_at <= now:
        return Claim(conversation_id, "", None, False)
    return Claim(conversation_id, row.name, row.claim_expires_at, row.name == agent)


def claim(
    engine: Engine,
    conversation_id: int,
    *,
    actor: str,
    clock: Clock = utcnow,
    take_over: bool = False,
    lease: timedelta = LEASE,
) -> Claim:
    """Take (or keep) the claim on a conversation for `lease`.

    Args:
        engine: the store.
        conversation_id: the conversation.
        actor: the agent's login.
        clock: the current time.
        take_over: take it even if another agent holds a live claim.
        lease: how long the claim lasts without renewal.

    Returns:
        The claim, now held by `actor`.

    Raises:
        ClaimHeld: another agent holds it and `take_over` is false.
        NotFound: no such conversation or agent.
        PermissionDenied: `actor` may not claim, or may not take over (seniors and above).
    """
    permissions.require(engine, actor, "claim", clock=clock, conversation_id=conversation_id)
    now = clock()
    if take_over:
        with db.read(engine) as conn:
            held = holder(conn, conversation_id, agent=actor, now=now)
        if held.holder and not held.mine:
            permissions.require(engine, actor, "take_over", clock=clock,
                                conversation_id=conversation_id)
    with db.write(engine) as conn:
        me = agent_id(conn, actor)
        row = conn.execute(
            select(_C.id).where(_C.id == conversation_id).with_for_update()
        ).one_or_none()
        if row is None:
            raise NotFound(f"no conversation #{conversation_id}")
        current = holder(conn, conversation_id, agent=actor, now=now)
        if current.holder and not current.mine and not take_over:
            assert current.expires_at is not None
            raise ClaimHeld(current.holder, current.expires_at)
        expires = now + lease
        values = {"claimed_by": me, "claim_expires_at": expires}
        if not current.mine:
            values.update(updated_at=now, version=_C.version + 1)
        conn.execute(update(_CONVERSATION).where(_C.id == conversation_id).values(**values))
        if current.holder and not current.mine:
            audit.record(conn, "conversation.taken_over", actor=actor,
                         conversation_id=conversation_id, at=now,
                         details={"from": current.holder})
        elif not current.mine:
            audit.record(conn, "conversation.claimed", actor=actor,
                         conversation_id=conversation_id, at=now)
    return Claim(conversation_id, actor, expires, True)


def renew(
    engine: Engine, conversation_id: int, *, actor: str, clock: Clock = utcnow,
    lease: timedelta = LEASE,
) -> bool:
    """Extend `actor`'s claim; False when they no longer hold it (taken over or expired).

    An expired claim nobody else took is taken again, quietly: the screen was only slow.
    """
    now = clock()
    with db.write(engine) as conn:
        current = holder(conn, conversation_id, agent=actor, now=now)
        if current.holder and not current.mine:
            return False
        me = agent_id(conn, actor)
        conn.execute(update(_CONVERSATION).where(_C.id == conversation_id)
                     .values(claimed_by=me, claim_expires_at=now + lease))
    return True


def release(engine: Engine, conversation_id: int, *, actor: str, clock: Clock = utcnow) -> bool:
    """Give up `actor`'s claim; False if they did not hold it (nothing changes then)."""
    now = clock()
    with db.write(engine) as conn:
        current = holder(conn, conversation_id, agent=actor, now=now)
        if not current.mine:
            return False
        conn.execute(update(_CONVERSATION).where(_C.id == conversation_id).values(
            claimed_by=None, claim_expires_at=None, updated_at=now, version=_C.version + 1))
        audit.record(conn, "conversation.released", actor=actor,
                     conversation_id=conversation_id, at=now)
    return True
