"""Who may do what: the permission matrix, checked by the service layer, never by a screen.

Roles are ranked (agent < senior < supervisor < admin) and each action names the lowest role
allowed to do it, so a role has every right of the roles below it. Every service function that
changes state on behalf of a person starts with one line, `permissions.require(engine, actor,
"reply")`: a refusal raises `PermissionDenied`, which says which role the action needs, and is
audited (`permission.denied`) in a transaction of its own, so it stays on record even though the
action itself never starts.

A store with no agent at all is a single-user store: nothing is refused there. The command line
and the TUI register the first person who acts on such a store as its admin (see
`services.agents.identify`), so a team store always has someone who can add the others.
"""

from __future__ import annotations

from sqlalchemy import Connection, Engine, select

from . import audit, db
from .clock import Clock, utcnow
from .models import ActorKind, Agent, Role

RANK: dict[str, int] = {Role.AGENT.value: 1, Role.SENIOR.value: 2, Role.SUPERVISOR.value: 3,
                        Role.ADMIN.value: 4}
"""Roles from the least to the most trusted."""

MATRIX: dict[str, Role] = {
    # Working a conversation.
    "claim": Role.AGENT,
    "reply": Role.AGENT,
    "cancel_reply": Role.AGENT,
    "note": Role.AGENT,
    "tag": Role.AGENT,
    "snooze": Role.AGENT,
    "reopen": Role.AGENT,
    "assign": Role.AGENT,
    "hide": Role.AGENT,
    "unhide": Role.AGENT,
    "escalate": Role.AGENT,
    "resolve": Role.AGENT,
    "edit_lead": Role.AGENT,
    "edit_ugc": Role.AGENT,
    # Heavier moderation and other people's work.
    "ban": Role.SENIOR,
    "delete": Role.SENIOR,
    "take_over": Role.SENIOR,
    # Policy and oversight.
    "unban": Role.SUPERVISOR,
    "edit_rules": Role.SUPERVISOR,
    "edit_templates": Role.SUPERVISOR,
    "read_all_audit": Role.SUPERVISOR,
    "review_bot": Role.SUPERVISOR,
    # The team itself.
    "manage_agents": Role.ADMIN,
}
"""Action → the lowest role allowed to do it (the README's table is this one)."""

_A = Agent.__table__.c  # type: ignore[attr-defined]


class PermissionDenied(Exception):
    """The actor's role does not allow the action (or the actor is not on the team)."""

    def __init__(self, actor: str, action: str, needed: str, role: str | None) -> None:
        if role is None:
            text = (f"{actor!r} is not on the team: an admin adds them with "
                    f"`workstation agents add {actor} --role agent`")
        elif role == "disabled":
            text = f"{actor!r} is disabled: an admin can enable them again"
        else:
            text = f"{action.replace('_', ' ')} needs the {needed} role; {actor!r} is {role}"
        super().__init__(text)
        self.actor, self.action, self.needed, self.role = actor, action, needed, role


def role_of(conn: Connection, actor: str) -> str | None:
    """The actor's role; "disabled" for a disabled agent, None for someone not on the team."""
    row = conn.execute(select(_A.role, _A.active).where(_A.name == actor)).one_or_none()
    if row is None:
        return None
    return row.role if row.active else "disabled"


def has_team(conn: Connection) -> bool:
    """Whether the store has any agent (else it is a single-user store and nothing is refused)."""
    return conn.execute(select(_A.id).limit(1)).first() is not None


def allowed(conn: Connection, actor: str, action: str) -> bool:
    """Whether `actor` may do `action`, read on the caller's connection (nothing audited)."""
    needed = MATRIX[action]
    if not has_team(conn):
        return True
    role = role_of(conn, actor)
    return role in RANK and RANK[role] >= RANK[needed.value]


def require(engine: Engine, actor: str, action: str, *, clock: Clock = utcnow,
            conversation_id: int | None = None) -> None:
    """Refuse (and audit the refusal) unless `actor`'s role allows `action`.

    Args:
        engine: the store.
        actor: the agent's login.
        action: a key of `MATRIX`.
        clock: the time the refusal is recorded at.
        conversation_id: the conversation concerned, kept with the refusal.

    Raises:
        PermissionDenied: the role is too low, the agent is disabled or not on the team.
            Never for an `audit.SystemActor`: the policy, not a person, decided the action.
        KeyError: `action` is not in the matrix (a programming error).
    """
    needed = MATRIX[action]
    if isinstance(actor, audit.SystemActor):
        return
    with db.read(engine) as conn:
        if not has_team(conn):
            return
        role = role_of(conn, actor)
    if role in RANK and RANK[role] >= RANK[needed.value]:
        return
    denied = PermissionDenied(actor, action, needed.value, role)
    with db.write(engine) as conn:
        audit.record(conn, "permission.denied", actor=actor, actor_kind=ActorKind.AGENT,
                     conversation_id=conversation_id, at=clock(),
                     details={"action": action, "needs": needed.value, "role": role or ""})
    raise denied
