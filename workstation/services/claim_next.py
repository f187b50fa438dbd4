"""Claim the next conversation of a view that nobody holds: what a script (or a bot worker)
calls in a loop, many at once, without two of them ever getting the same conversation.

The pick and the claim are one write transaction. On SQLite that transaction starts with
`BEGIN IMMEDIATE`, so claimers take turns and each sees the claims committed before it. On
PostgreSQL claimers run side by side: `FOR UPDATE SKIP LOCKED` makes each skip the row
another one is claiming, instead of waiting for it and then finding it taken.
"""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine, and_, or_, select, update

from workstation import audit, core_tables, db, permissions
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, Conversation, Status

from .claims import LEASE, Claim, agent_id
from .view_rows import _sort_keys as sort_keys
from .view_rows import view_condition
from .views import SHIPPED, ViewDef

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_CONVERSATION = Conversation.__table__  # type: ignore[attr-defined]
_VIEW = core_tables.conversation
"""The view's conditions are written on the Core clause (`view_rows`): the pick selects from
it too, or the table would be in the FROM clause twice."""
DEFAULT_VIEW = next(v for v in SHIPPED if v.key == "all")
"""Every open conversation, the reply due soonest first."""


def claim_next(
    engine: Engine, *, actor: str, view: ViewDef = DEFAULT_VIEW, clock: Clock = utcnow,
    lease: timedelta = LEASE,
) -> Claim | None:
    """Claim the first open conversation of `view` (in its order) that nobody holds.

    Args:
        engine: the store.
        actor: the agent's login.
        view: which conversations, in which order; every open one, by SLA, by default.
        clock: the current time.
        lease: how long the claim lasts without renewal (resolving releases it).

    Returns:
        The claim, or None when every open conversation of the view is held or there is none.

    Raises:
        PermissionDenied: `actor` may not claim.
        NotFound: `actor` is not an agent of the store.
    """
    permissions.require(engine, actor, "claim", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        me = agent_id(conn, actor)
        v = _VIEW.c
        free = or_(v.claimed_by.is_(None), v.claim_expires_at.is_(None),
                   v.claim_expires_at <= now)
        query = (select(v.id).select_from(_VIEW)
                 .where(and_(view_condition(view, actor, now), v.status == Status.OPEN.value,
                             free))
                 .order_by(*(e.desc() if d else e.asc() for e, d, _n in sort_keys(view.sort)))
                 .limit(1))
        if not db.is_sqlite(conn):
            query = query.with_for_update(skip_locked=True, of=_VIEW)
        found = conn.execute(query).scalar()
        if found is None:
            return None
        expires = now + lease
        conn.execute(update(_CONVERSATION).where(_C.id == found).values(
            claimed_by=me, claim_expires_at=expires, updated_at=now, version=_C.version + 1))
        audit.record(conn, "conversation.claimed", actor=actor, actor_kind=ActorKind.AGENT,
                     conversation_id=found, at=now, details={"via": "claim-next",
                                                             "view": view.key})
    return Claim(int(found), actor, expires, True)
