"""Turning a message into a rule through the service layer and `workstation rules add`."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.thread_factory import add_thread
from workstation import audit
from workstation.cli import main
from workstation.clock import FrozenClock
from workstation.permissions import PermissionDenied
from workstation.rules import LiveRules
from workstation.services import rules as service
from workstation.services.rules import RuleDraft, RuleRefused

WAVE = RuleDraft(name="free-giveaway", keywords=("free giveaway",), tags=("spam-wave",),
                 hide=True)



def test_an_agent_is_refused_audited_and_the_file_unchanged(
        team: Engine, rules_file: Path, clock: FrozenClock) -> None:
    conv = add_thread(team, texts=("FREE GIVEAWAY check my channel",))
    old = rules_file.read_bytes()
    with pytest.raises(PermissionDenied, match="edit rules needs the supervisor role"):
        service.add_rule(team, "julie", WAVE, conversation_id=conv, clock=clock)
    assert rules_file.read_bytes() == old
    (denied,) = audit.list_events(team, action="permission.denied")
    assert denied.actor == "julie" and denied.conversation_id == conv
    assert denied.details["action"] == "edit_rules" and denied.details["needs"] == "supervisor"
    assert audit.list_events(team, action="rules.*") == []


def test_a_supervisor_adds_the_rule_audited_in_the_same_change(
        team: Engine, rules_file: Path, clock: FrozenClock) -> None:
    conv = add_thread(team, texts=("FREE GIVEAWAY check my channel",))
    live = LiveRules(rules_file)
    added = service.add_rule(team, "helene", WAVE, conversation_id=conv, clock=clock)
    assert added.name == "free-giveaway" and rules_file.read_text().endswith(added.text)
    assert f"# Added by helene on {clock().strftime('%Y-%m-%d %H:%M')}" in added.text
    assert f"from conversation #{conv}" in added.text
    (event,) = audit.list_events(team, action="rules.rule_added")
    assert event.actor == "helene" and event.conversation_id == conv
    assert event.target_kind == "rules" and event.target_id == "free-giveaway"
    assert event.details == {"name": "free-giveaway", "toml": added.text,
                             "path": str(rules_file), "conversation_id": conv}
    assert live.current().rules[-1].name == "free-giveaway"


def test_when_the_audit_fails_the_old_file_is_put_back(
        team: Engine, rules_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    old = rules_file.read_bytes()

    def broken(*args: object, **kwargs: object) -> None:
        raise RuntimeError("disk full")
    monkeypatch.setattr(audit, "record", broken)
    with pytest.raises(RuntimeError):
        service.add_rule(team, "helene", WAVE)
    assert rules_file.read_bytes() == old


def test_an_unknown_conversation_is_refused(team: Engine, rules_file: Path) -> None:
    with pytest.raises(RuleRefused, match="no conversation #999"):
        service.add_rule(team, "helene", WAVE, conversation_id=999)


def test_the_preview_counts_what_the_rule_would_catch_and_what_stops_it(
        team: Engine, rules_file: Path) -> None:
    hits = [add_thread(team, texts=(f"Free giveaway number {i}, check my channel",))
            for i in range(3)]
    add_thread(team, kind="dm", texts=("free giveaway in a DM",))
    add_thread(team, texts=("where is my order?", "free stuff, no giveaway here"))
    # Stored as the spam filter left it: spam, no request; the `spam` rule stops first.
    spam = add_thread(team, texts=("FREE GIVEAWAY follow me",))
    from sqlalchemy import update

    from workstation import db
    from workstation.models import Message
    with db.write(team) as conn:
        conn.execute(update(Message.__table__).where(  # type: ignore[attr-defined]
            Message.__table__.c.conversation_id == spam).values(  # type: ignore[attr-defined]
            categories=" spam ", intents=" "))
    context = service.editor_context(team)
    assert len(context.sample) == 7
    found = service.preview_rule(context, RuleDraft(
        name="wave", keywords=("free giveaway",), kind=("comment",), tags=("spam",)))
    assert (found.scanned, found.matched, found.fired) == (7, 4, 3)
    assert found.stopped_by == (("spam", 1),)
    assert {m.conversation_id for m in found.examples} == {*hits, spam}
    assert found.examples[0].conversation_id == spam  # newest first


def test_the_draft_suggests_the_message_s_phrase_and_a_free_name(
        team: Engine, rules_file: Path) -> None:
    for _ in range(5):
        add_thread(team, texts=("check my order please",))
    context = service.editor_context(team)
    draft = service.draft_from_message(context, "Sales lead?? FREE GIVEAWAY, check my order")
    assert draft.keywords == ("free giveaway",) and draft.name == "free-giveaway"
    assert draft.tags == ("free-giveaway",) and not draft.problems()
    assert service.draft_from_message(context, "sales lead").name == "sales-lead-2"


# -- the command line -------------------------------------------------------------------------

def _cli(store_url: str, *args: str) -> int:
    return main(["--db", store_url, "rules", "add", *args])


def test_dry_run_prints_the_toml_and_the_preview_and_writes_nothing(
        team: Engine, store_url: str, rules_file: Path,
        capsys: pytest.CaptureFixture[str]) -> None:
    conv = add_thread(team, texts=("free giveaway, check my channel",))
    old = rules_file.read_bytes()
    code = _cli(store_url, "--name", "wave", "--keyword", "free giveaway", "--do", "tag=spam",
                "--do", "hide", "--from-conversation", str(conv), "--dry-run", "--as", "julie")
    out = capsys.readouterr().out
    assert code == 0 and rules_file.read_bytes() == old
    assert "[[rules]]" in out and 'name = "wave"' in out and "hide = true" in out
    assert f"from conversation #{conv}" in out
    assert "preview: matches 1 of the last 1 customer messages; would run on 1" in out


def test_add_exit_codes(team: Engine, store_url: str, rules_file: Path,
                        capsys: pytest.CaptureFixture[str]) -> None:
    old = rules_file.read_bytes()
    assert _cli(store_url, "--name", "w", "--keyword", "x", "--do", "bogus") == 2
    assert _cli(store_url, "--name", "sales-lead", "--keyword", "x", "--do", "tag=a",
                "--agent", "helene") == 2
    assert _cli(store_url, "--name", "w", "--keyword", "x", "--do", "reply=nope",
                "--agent", "helene") == 2
    assert _cli(store_url, "--name", "w", "--keyword", "x", "--do", "tag=a",
                "--agent", "julie") == 1
    err = capsys.readouterr().err
    assert "unknown action" in err and "two rules are named 'sales-lead'" in err
    assert "unknown template 'nope'" in err and "needs the supervisor role" in err
    assert all(line.startswith("workstation: ") for line in err.splitlines())
    assert rules_file.read_bytes() == old
    with pytest.raises(SystemExit) as usage:
        _cli(store_url, "--keyword", "x")  # no --name
    assert usage.value.code == 2
    assert _cli(store_url, "--name", "w", "--keyword", "x, y", "--do", "tag=a",
                "--agent", "helene") == 0
    assert "rule 'w' added" in capsys.readouterr().out
    assert LiveRules(rules_file).current().rules[-1].name == "w"
