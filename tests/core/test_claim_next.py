"""`claim_next` and the `agents` / `claim-next` commands."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.thread_factory import NOW, add_agents, add_thread
from workstation import audit, db
from workstation.cli import main
from workstation.clock import FrozenClock
from workstation.permissions import PermissionDenied
from workstation.services import conversations as cs
from workstation.services.claim_next import claim_next
from workstation.services.views import SHIPPED


def test_claim_next_takes_the_most_urgent_conversation_nobody_holds(
    team: Engine, clock: FrozenClock,
) -> None:
    later = add_thread(team, sla_due_at=NOW + timedelta(hours=3))
    urgent = add_thread(team, sla_due_at=NOW + timedelta(minutes=5))
    held = add_thread(team, sla_due_at=NOW - timedelta(minutes=5))
    cs.claim(team, held, actor="tom", clock=clock)
    first = claim_next(team, actor="julie", clock=clock)
    second = claim_next(team, actor="claire", clock=clock)
    assert first is not None and second is not None
    assert (first.conversation_id, second.conversation_id) == (urgent, later)
    assert claim_next(team, actor="julie", clock=clock) is None
    claimed = audit.list_events(team, action="conversation.claimed")
    assert [(e.actor, e.conversation_id, e.details.get("via")) for e in claimed] == [
        ("tom", held, None), ("julie", urgent, "claim-next"), ("claire", later, "claim-next")]


def test_claim_next_skips_resolved_and_takes_expired_claims(
    team: Engine, clock: FrozenClock,
) -> None:
    done, expired = add_thread(team), add_thread(team)
    cs.resolve(team, [done], "answered", actor="julie", clock=clock)
    cs.claim(team, expired, actor="tom", clock=clock)
    clock.advance(seconds=cs.LEASE.total_seconds() + 1)
    claim = claim_next(team, actor="julie", clock=clock)
    assert claim is not None and claim.conversation_id == expired


def test_claim_next_follows_a_view(team: Engine, clock: FrozenClock) -> None:
    add_thread(team, kind="comment")
    dm = add_thread(team, kind="dm")
    dms = next(v for v in SHIPPED if v.key == "dms")
    claim = claim_next(team, actor="julie", view=dms, clock=clock)
    assert claim is not None and claim.conversation_id == dm
    assert claim_next(team, actor="julie", view=dms, clock=clock) is None


def test_claim_next_needs_a_member_of_the_team(team: Engine, clock: FrozenClock) -> None:
    add_thread(team)
    with pytest.raises(PermissionDenied, match="not on the team"):
        claim_next(team, actor="ghost", clock=clock)


def test_agents_and_claim_next_from_the_command_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = db.open_store(url)
    conv = add_thread(engine)
    assert main(["--db", url, "--agent", "sam", "agents", "add", "julie", "--role", "agent",
                 "--lang", "fr,en", "--capacity", "5"]) == 0
    assert "added julie (agent, fr,en, capacity 5)" in capsys.readouterr().out
    assert main(["--db", url, "--agent", "julie", "agents", "add", "eve", "--role",
                 "admin"]) == 1
    assert "manage agents needs the admin role; 'julie' is agent" in capsys.readouterr().err
    assert main(["--db", url, "--agent", "sam", "agents", "set-role", "julie", "senior"]) == 0
    assert main(["--db", url, "agents", "list", "--json"]) == 0
    listed = [json.loads(line) for line in capsys.readouterr().out.splitlines()[-2:]]
    assert [(a["name"], a["role"], a["languages"]) for a in listed] == [
        ("julie", "senior", ["fr", "en"]), ("sam", "admin", ["en"])]
    assert main(["--db", url, "--agent", "julie", "claim-next", "--json"]) == 0
    out = capsys.readouterr().out
    assert json.loads(out)["conversation_id"] == conv
    assert main(["--db", url, "--agent", "sam", "claim-next"]) == 1
    assert main(["--db", url, "--agent", "sam", "claim-next", "--view", "nope"]) == 2
    assert main(["--db", url, "--agent", "ghost", "claim-next"]) == 1
    assert "`workstation agents add ghost --role agent`" in capsys.readouterr().err
    assert main(["--db", url, "--agent", "sam", "agents", "disable", "julie"]) == 0
    assert main(["--db", url, "--agent", "sam", "agents", "add", "bad name",
                 "--role", "agent"]) == 2
    engine.dispose()


def test_replies_from_the_command_line_answer_to_the_team(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = db.open_store(url)
    add_agents(engine)
    conv = add_thread(engine)
    cs.claim(engine, conv, actor="julie")
    assert main(["--db", url, "--agent", "tom", "reply", str(conv), "--text", "Hello!"]) == 1
    assert "julie holds this conversation" in capsys.readouterr().err
    assert main(["--db", url, "--agent", "ghost", "reply", str(conv), "--text", "Hi!"]) == 1
    assert "'ghost' is not on the team" in capsys.readouterr().err
    assert main(["--db", url, "reply", str(conv), "--text", "Hi!", "--agent", "julie"]) == 0
    queued = audit.list_events(engine, action="reply.queued")
    assert [e.actor for e in queued] == ["julie"]
    engine.dispose()
