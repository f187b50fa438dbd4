"""Reminders re-engage a quiet lead: at most N, never after a reply or a stop word."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from sqlalchemy import Engine

from tests.core.leads.conftest import Chat
from workstation import audit, paths
from workstation.clock import FrozenClock
from workstation.workers.reminders import run_due


def nudges(chat: Chat) -> list[dict]:
    return [o for o in chat.outbox() if o["idempotency_key"].startswith("lead-reminder:")]


@pytest.fixture
def tiktok(engine: Engine, clock: FrozenClock) -> Chat:
    """A commenter on TikTok: no messaging window and no one-private-reply rule there, so
    nothing but the reminders' own limit stops them."""
    return Chat(engine, clock, platform="tiktok")


def test_a_quiet_lead_is_reminded_at_most_twice(tiktok: Chat) -> None:
    chat = tiktok
    chat.comment("How much is the Moulin M2? I'd like to order one")
    (pending,) = [r for r in chat.reminders() if r["state"] == "pending"]
    assert pending["due_at"] == chat.clock() + timedelta(hours=20)
    for _ in range(4):
        chat.clock.advance(hours=21)
        run_due(chat.engine, clock=chat.clock)
    sent = nudges(chat)
    assert len(sent) == 2 and {o["author_kind"] for o in sent} == {"bot"}
    assert {o["template_id"] for o in sent} == {"lead-reminder"}
    assert all(o["text"] and "‹" not in o["text"] for o in sent)  # every slot was filled
    assert not [r for r in chat.reminders() if r["state"] == "pending"]


def test_a_commenter_who_never_wrote_privately_gets_no_second_dm(chat: Chat) -> None:
    """The bot's first question was the Instagram comment's one private reply: a reminder
    cannot reach the customer until they write privately, so none is queued."""
    chat.comment("How much is the Moulin M2? I'd like to order one")
    asked = chat.outbox()
    assert [o["channel"] for o in asked] == ["dm"]
    chat.clock.advance(hours=21)
    run_due(chat.engine, clock=chat.clock)
    assert nudges(chat) == [] and chat.outbox() == asked
    [due] = [e for e in audit.list_events(chat.engine, action="reminder.due")]
    assert due.details["sent"] is False


def test_a_reply_cancels_the_reminder(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    first = chat.reminders()[0]
    chat.send("for home")
    states = {r["id"]: r["state"] for r in chat.reminders()}
    assert states[first["id"]] == "cancelled"
    assert list(states.values()).count("pending") == 1  # after the next question
    assert "reminder.cancelled" in chat.actions()


def test_a_stop_word_cancels_everything_for_good(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("arrête")
    assert not [r for r in chat.reminders() if r["state"] == "pending"]
    chat.clock.advance(days=3)
    run_due(chat.engine, clock=chat.clock)
    assert nudges(chat) == [] and chat.lead()["opted_out_at"] is not None
    assert {"lead.opted_out", "lead.flow_ended"} <= set(chat.actions())


def test_unsubscribe_in_english(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("Unsubscribe please")
    assert chat.state()["status"] == "stopped"


def test_the_limit_comes_from_flows_toml(tiktok: Chat, tmp_path: Path,
                                         monkeypatch: pytest.MonkeyPatch) -> None:
    chat = tiktok
    source = paths.shipped("flows.toml").read_text(encoding="utf-8")
    custom = tmp_path / "flows.toml"
    custom.write_text(source.replace("max = 2 ", "max = 1 "), encoding="utf-8")
    monkeypatch.setenv("WORKSTATION_FLOWS", str(custom))
    chat.comment("How much is the Moulin M2? I'd like to order one")
    for _ in range(3):
        chat.clock.advance(hours=21)
        run_due(chat.engine, clock=chat.clock)
    assert len(nudges(chat)) == 1


def test_a_reminder_due_after_a_reply_does_not_go_out(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("for home")
    chat.send("blue")  # unclear: asked again, a reminder waits
    chat.send("I'd like to talk to a real person")
    chat.clock.advance(days=2)
    run_due(chat.engine, clock=chat.clock)
    assert nudges(chat) == []


def test_a_hot_lead_is_reminded_in_its_dm_thread_until_it_replies(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    for text in ("for home", "next week", "2", "lea@example.com"):
        chat.send(text)
    assert chat.lead()["stage"] == "hot" and chat.state()["status"] == "done"
    (pending,) = [r for r in chat.reminders() if r["state"] == "pending"]
    assert pending["conversation_id"] == chat.state()["conversation_id"]
    chat.send("thanks, I'll fill it in tonight")
    assert not [r for r in chat.reminders() if r["state"] == "pending"]
    chat.clock.advance(days=2)
    run_due(chat.engine, clock=chat.clock)
    assert nudges(chat) == []
