"""The permission matrix, enforced by the service functions and audited when it refuses."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.thread_factory import add_thread
from workstation import audit, db, permissions
from workstation.clock import FrozenClock
from workstation.permissions import PermissionDenied
from workstation.services import agents
from workstation.services import conversations as cs
from workstation.services import replies
from workstation.services.audit_trail import TrailFilter, read_trail


def holder_of(engine: Engine, conv: int, clock: FrozenClock) -> str:
    with db.read(engine) as conn:
        return cs.holder(conn, conv, agent="", now=clock()).holder


def denials(engine: Engine) -> list[tuple[str, str, str]]:
    return [(e.actor, e.details["action"], e.details["needs"])
            for e in audit.list_events(engine, action="permission.denied")]


def test_every_role_includes_the_rights_of_the_roles_below() -> None:
    ranks = [permissions.RANK[role.value] for role in permissions.MATRIX.values()]
    assert set(ranks) == {1, 2, 3, 4}
    assert permissions.MATRIX["reply"].value == "agent"
    assert permissions.MATRIX["take_over"].value == "senior"
    assert permissions.MATRIX["unban"].value == "supervisor"
    assert permissions.MATRIX["manage_agents"].value == "admin"


def test_agents_work_conversations_but_cannot_ban_delete_or_unban(
    team: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(team)
    assert cs.tag(team, [conv], "vip", actor="julie", clock=clock) == 1
    assert cs.escalate(team, [conv], "senior", "angry", actor="julie", clock=clock) == 1
    assert cs.hide(team, [conv], actor="julie", clock=clock) == 1
    with pytest.raises(PermissionDenied, match="ban needs the senior role; 'julie' is agent"):
        cs.ban(team, [conv], actor="julie", clock=clock)
    with pytest.raises(PermissionDenied, match="delete needs the senior role"):
        cs.delete(team, [conv], actor="tom", clock=clock)
    with pytest.raises(PermissionDenied, match="unban needs the supervisor role"):
        cs.unban(team, [conv], actor="claire", clock=clock)
    assert cs.ban(team, [conv], actor="claire", clock=clock) == 1
    assert cs.unban(team, [conv], actor="helene", clock=clock) == 1
    assert denials(team) == [("julie", "ban", "senior"), ("tom", "delete", "senior"),
                             ("claire", "unban", "supervisor")]


def test_a_refused_action_changes_nothing_but_is_on_record(
    team: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(team)
    with pytest.raises(PermissionDenied):
        cs.ban(team, [conv], actor="julie", clock=clock)
    trail = audit.list_events(team)
    assert [e.action for e in trail] == ["permission.denied"]
    assert trail[0].details == {"action": "ban", "needs": "senior", "role": "agent"}


def test_only_seniors_take_over_a_claim(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    cs.claim(team, conv, actor="julie", clock=clock)
    with pytest.raises(PermissionDenied, match="take over needs the senior role"):
        cs.claim(team, conv, actor="tom", clock=clock, take_over=True)
    assert holder_of(team, conv, clock) == "julie"
    assert cs.claim(team, conv, actor="claire", clock=clock, take_over=True).mine
    assert holder_of(team, conv, clock) == "claire"


def test_an_agent_may_take_an_expired_claim_without_taking_over(
    team: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(team)
    cs.claim(team, conv, actor="julie", clock=clock)
    clock.advance(seconds=cs.LEASE.total_seconds() + 1)
    assert cs.claim(team, conv, actor="tom", clock=clock, take_over=True).mine


def test_nobody_sends_into_a_conversation_someone_else_holds(
    team: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(team)
    cs.claim(team, conv, actor="julie", clock=clock)
    draft = replies.compose(team, conv, None, text="On it!", agent="tom", clock=clock)
    with pytest.raises(cs.ClaimHeld, match="julie holds this conversation"):
        replies.send_reply(team, draft, clock=clock)
    cs.claim(team, conv, actor="claire", clock=clock, take_over=True)
    mine = replies.compose(team, conv, None, text="On it!", agent="claire", clock=clock)
    assert replies.send_reply(team, mine, clock=clock).conversation_id == conv


def test_strangers_and_disabled_agents_are_refused(team: Engine, clock: FrozenClock) -> None:
    conv = add_thread(team)
    with pytest.raises(PermissionDenied, match="`workstation agents add ghost --role agent`"):
        cs.resolve(team, [conv], "answered", actor="ghost", clock=clock)
    with pytest.raises(PermissionDenied, match="manage agents needs the admin role"):
        agents.disable(team, "tom", actor="helene", clock=clock)


def test_a_store_without_a_team_refuses_nothing(engine: Engine, clock: FrozenClock) -> None:
    conv = add_thread(engine)
    assert cs.resolve(engine, [conv], "answered", actor="anyone", clock=clock) == 1


def test_below_supervisor_the_trail_shows_only_your_own_events(
    team: Engine, clock: FrozenClock,
) -> None:
    conv = add_thread(team)
    cs.tag(team, [conv], "a", actor="julie", clock=clock)
    cs.tag(team, [conv], "b", actor="tom", clock=clock)
    assert {e.actor for e in read_trail(team, TrailFilter(), viewer="julie").events} == {"julie"}
    assert read_trail(team, TrailFilter(actor="tom"), viewer="julie").events == ()
    assert {e.actor for e in read_trail(team, TrailFilter(), viewer="helene").events} == {
        "julie", "tom"}


def test_the_first_person_on_an_empty_store_becomes_its_admin(
    engine: Engine, clock: FrozenClock,
) -> None:
    assert agents.identify(engine, "sam", clock=clock) == "sam"
    assert [(a.name, a.role) for a in agents.list_team(engine)] == [("sam", "admin")]
    with pytest.raises(PermissionDenied, match="'eve' is not on the team"):
        agents.identify(engine, "eve", clock=clock)
    agents.add(engine, "eve", role="agent", languages="fr,en", capacity=5, actor="sam",
               clock=clock)
    assert agents.identify(engine, "eve", clock=clock) == "eve"
    assert [e.action for e in audit.list_events(engine)] == ["agent.bootstrapped",
                                                            "agent.added"]


def test_admins_manage_the_team_and_keep_one_admin(engine: Engine, clock: FrozenClock) -> None:
    agents.identify(engine, "sam", clock=clock)
    agents.add(engine, "eve", role="agent", actor="sam", clock=clock)
    with pytest.raises(PermissionDenied, match="manage agents needs the admin role"):
        agents.add(engine, "mal", role="admin", actor="eve", clock=clock)
    with pytest.raises(agents.AgentError, match="already on the team"):
        agents.add(engine, "eve", role="agent", actor="sam", clock=clock)
    with pytest.raises(agents.AgentError, match="ISO 639-1"):
        agents.add(engine, "zed", role="agent", languages="french", actor="sam", clock=clock)
    with pytest.raises(agents.AgentError, match="last active admin"):
        agents.set_role(engine, "sam", "agent", actor="sam", clock=clock)
    assert agents.set_role(engine, "eve", "supervisor", actor="sam", clock=clock)
    assert agents.disable(engine, "eve", actor="sam", clock=clock)
    with pytest.raises(PermissionDenied, match="'eve' is disabled"):
        agents.identify(engine, "eve", clock=clock)
    team = {a.name: a for a in agents.list_team(engine)}
    assert (team["eve"].role, team["eve"].active) == ("supervisor", False)


def test_the_program_acting_on_its_own_is_not_held_to_the_matrix(
    team: Engine, clock: FrozenClock,
) -> None:
    # The SLA sweeper escalates on a team store: a name that is not on the team would be
    # refused, the same name as a SystemActor is the policy at work and audited as system.
    conv = add_thread(team)
    with pytest.raises(PermissionDenied, match="not on the team"):
        cs.escalate(team, [conv], "senior", "overdue", actor="sla-sweeper", clock=clock)
    sweeper = audit.SystemActor("sla-sweeper")
    assert cs.escalate(team, [conv], "senior", "overdue", actor=sweeper, clock=clock) == 1
    [event] = audit.list_events(team, action="conversation.escalated")
    assert (event.actor, event.actor_kind) == ("sla-sweeper", "system")
    assert denials(team) == [("sla-sweeper", "escalate", "agent")]
