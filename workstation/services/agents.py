"""The team: who the agents are, their roles, languages and capacity; and who is acting now.

Managing agents is the admin's right (`manage_agents`). `identify` turns the login a person
runs the workstation under (`--agent NAME`, else the system user) into a team member: on a
store with no agent at all, the first person is registered as its admin (audited as
`agent.bootstrapped`), so a fresh store needs no set-up step; on a team store an unknown or
disabled login is refused with the command that fixes it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Connection, Engine, func, select, update

from workstation import audit, db, permissions
from workstation.clock import Clock, utcnow
from workstation.models import ActorKind, Agent, Conversation, Role, Status

from .reply_context import NotFound

_A = Agent.__table__.c  # type: ignore[attr-defined]
_AGENTS = Agent.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]

LOGIN = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_.-]{0,63}")
"""What a login looks like: the characters of a Unix user name, at most 64."""
LANG = re.compile(r"[a-z]{2}")


class AgentError(ValueError):
    """The change cannot be made as asked (a bad login, role or language; a duplicate)."""


@dataclass(frozen=True, slots=True)
class AgentInfo:
    """A member of the team, as `workstation agents list` shows them."""

    name: str
    role: str
    languages: tuple[str, ...]
    capacity: int
    active: bool
    open_assigned: int
    """Open conversations assigned to them now."""

    def to_json(self) -> dict[str, object]:
        """JSON shape for `workstation agents list --json`."""
        return {"name": self.name, "role": self.role, "languages": list(self.languages),
                "capacity": self.capacity, "active": self.active,
                "open_assigned": self.open_assigned}


def _role(role: str) -> str:
    if role not in permissions.RANK:
        raise AgentError(f"unknown role {role!r}: one of {', '.join(permissions.RANK)}")
    return role


def _languages(languages: str) -> str:
    codes = [c.strip().lower() for c in languages.split(",") if c.strip()]
    bad = [c for c in codes if not LANG.fullmatch(c)]
    if bad or not codes:
        raise AgentError(f"languages are ISO 639-1 codes separated by commas, e.g. fr,en; "
                         f"got {languages!r}")
    return ",".join(dict.fromkeys(codes))


def add(engine: Engine, name: str, *, role: str, languages: str = "en", capacity: int = 20,
        actor: str, clock: Clock = utcnow) -> AgentInfo:
    """Add an agent to the team.

    Raises:
        AgentError: bad login, role, languages or capacity, or the login exists already.
        PermissionDenied: `actor` is not an admin.
    """
    if not LOGIN.fullmatch(name):
        raise AgentError(f"{name!r} is not a login: letters, digits, '.', '_', '-' (64 at most)")
    role, langs = _role(role), _languages(languages)
    if capacity < 0:
        raise AgentError("capacity is a number of conversations, 0 or more")
    permissions.require(engine, actor, "manage_agents", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        if conn.execute(select(_A.id).where(_A.name == name)).first() is not None:
            raise AgentError(f"{name!r} is already on the team (see `workstation agents list`)")
        conn.execute(_AGENTS.insert().values(
            name=name, display_name=name, role=role, languages=langs, capacity=capacity,
            active=True, created_at=now))
        audit.record(conn, "agent.added", actor=actor, actor_kind=ActorKind.AGENT,
                     target_kind="agent", target_id=name, at=now,
                     details={"role": role, "languages": langs, "capacity": capacity})
    return AgentInfo(name, role, tuple(langs.split(",")), capacity, True, 0)


def set_role(engine: Engine, name: str, role: str, *, actor: str, clock: Clock = utcnow) -> bool:
    """Change an agent's role; False when it already was that role.

    Raises:
        AgentError: unknown role, or the change would leave the team without an active admin.
        NotFound: no agent has this login.
        PermissionDenied: `actor` is not an admin.
    """
    role = _role(role)
    permissions.require(engine, actor, "manage_agents", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        row = conn.execute(select(_A.role, _A.active).where(_A.name == name)).one_or_none()
        if row is None:
            raise NotFound(f"no agent named {name!r}")
        if row.role == role:
            return False
        if row.role == Role.ADMIN.value and row.active:
            _keep_an_admin(conn, name)
        conn.execute(update(_AGENTS).where(_A.name == name).values(role=role))
        audit.record(conn, "agent.role_changed", actor=actor, actor_kind=ActorKind.AGENT,
                     target_kind="agent", target_id=name, at=now,
                     details={"role": role, "previous": row.role})
    return True


def disable(engine: Engine, name: str, *, actor: str, clock: Clock = utcnow,
            enable: bool = False) -> bool:
    """Disable an agent (they can no longer act; history keeps their name), or enable them
    again with `enable`; False when nothing changed.

    Raises:
        AgentError: disabling the last active admin.
        NotFound: no agent has this login.
        PermissionDenied: `actor` is not an admin.
    """
    permissions.require(engine, actor, "manage_agents", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        row = conn.execute(select(_A.role, _A.active).where(_A.name == name)).one_or_none()
        if row is None:
            raise NotFound(f"no agent named {name!r}")
        if bool(row.active) == enable:
            return False
        if not enable and row.role == Role.ADMIN.value:
            _keep_an_admin(conn, name)
        conn.execute(update(_AGENTS).where(_A.name == name).values(active=enable))
        audit.record(conn, "agent.enabled" if enable else "agent.disabled", actor=actor,
                     actor_kind=ActorKind.AGENT, target_kind="agent", target_id=name, at=now)
    return True


def _keep_an_admin(conn: Connection, leaving: str) -> None:
    others = conn.execute(select(func.count()).where(
        _A.role == Role.ADMIN.value, _A.active, _A.name != leaving)).scalar_one()
    if not others:
        raise AgentError(f"{leaving!r} is the last active admin: make someone else admin first")


def list_team(engine: Engine) -> tuple[AgentInfo, ...]:
    """Every agent, active or not, by login, with their open load."""
    with db.read(engine) as conn:
        loads = dict(conn.execute(
            select(_C.assignee_id, func.count())
            .where(_C.status == Status.OPEN.value, _C.assignee_id.is_not(None))
            .group_by(_C.assignee_id)).all())
        rows = conn.execute(select(_A.id, _A.name, _A.role, _A.languages, _A.capacity,
                                   _A.active).order_by(_A.name)).all()
    return tuple(AgentInfo(r.name, r.role, tuple(r.languages.split(",")), r.capacity,
                           bool(r.active), int(loads.get(r.id, 0))) for r in rows)


def identify(engine: Engine, name: str, *, clock: Clock = utcnow) -> str:
    """The login `name` as a member of the team, registering the first one as admin.

    Raises:
        PermissionDenied: the store has a team and `name` is not an active member of it.
        AgentError: `name` is not a login.
    """
    if not LOGIN.fullmatch(name):
        raise AgentError(f"{name!r} is not a login: letters, digits, '.', '_', '-' (64 at most)")
    with db.read(engine) as conn:
        role = permissions.role_of(conn, name)
        team = role is not None or permissions.has_team(conn)
    if role in permissions.RANK:
        return name
    if team:
        raise permissions.PermissionDenied(name, "act", "agent", role)
    now = clock()
    with db.write(engine) as conn:
        if permissions.has_team(conn):  # someone else bootstrapped it meanwhile
            if permissions.role_of(conn, name) in permissions.RANK:
                return name
            raise permissions.PermissionDenied(name, "act", "agent", None)
        conn.execute(_AGENTS.insert().values(
            name=name, display_name=name, role=Role.ADMIN.value, languages="en", capacity=20,
            active=True, created_at=now))
        audit.record(conn, "agent.bootstrapped", actor=name, actor_kind=ActorKind.AGENT,
                     target_kind="agent", target_id=name, at=now,
                     details={"role": Role.ADMIN.value})
    return name
