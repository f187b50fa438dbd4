"""A whole qualifier conversation driven through ingest, in English and in French."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest

from tests.core.leads.conftest import Chat
from workstation import paths
from workstation.clock import iso
from workstation.models import QualifierState


def test_english_flow_asks_each_question_and_closes_with_a_prefilled_form(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    greeting = chat.bot()[0]
    assert greeting.startswith(("Hi Léa", "Hello Léa")) and "for home" in greeting
    state = chat.state()
    assert (state["status"], state["lang"], state["tone"]) == ("active", "en", "warm")
    assert chat.lead()["stage"] == "qualifying"

    chat.send("It's for home")
    chat.send("la semaine prochaine is fine, next week")
    chat.send("two bags")
    chat.send("you can mail me at lea.martin@example.com")
    said = chat.bot()
    assert len(said) == 5
    assert "When would you like it" in said[1] and "How many" in said[2]
    assert "e-mail or phone" in said[3]
    assert "https://brulerielumen.fr/devis?" in said[4] and "LUMEN10" in said[4]
    assert "conversation=1" in said[4] and "campaign=noel-2026" in said[4]
    lead = chat.lead()
    assert lead["answers"] == {"use_case": "home", "timing": {"date": "2026-11-30",
                                                               "urgent": False},
                               "quantity": 2, "contact": {"email": "lea.martin@example.com"}}
    assert lead["stage"] == "hot" and lead["crm_state"] == "pending"  # within hot_within
    state = chat.state()
    assert (state["status"], state["asked"], state["conversation_id"]) == ("done", 4, 2)
    assert state["origin_conversation_id"] == 1
    bot_rows = [o for o in chat.outbox() if o["author_kind"] == "bot"]
    assert len(bot_rows) == 5 and {o["channel"] for o in bot_rows} == {"dm"}
    events = chat.actions()
    assert events.count("lead.answer") == 4 and "lead.flow_moved" in events
    assert "lead.flow_ended" in events and events.count("reply.queued") == 5


def test_ingest_asks_for_the_flow_and_the_workers_greet(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", workers=False)
    assert chat.state()["status"] == "pending" and chat.bot() == []
    assert chat.lead()["stage"] == "new" and "lead.flow_requested" in chat.actions()
    chat.send("hello? anyone?", workers=False)  # before the greeting: nothing to answer yet
    assert chat.state()["asked"] == 0 and chat.bot() == []
    assert chat.greet() == "started 1 flows"
    assert chat.state()["status"] == "active" and len(chat.bot()) == 1
    assert chat.lead()["stage"] == "qualifying" and chat.greet() == ""


def test_a_stop_word_before_the_greeting_stops_the_flow_for_good(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", workers=False)
    chat.send("stop", workers=False)
    assert chat.greet() == ""  # nothing left to start
    assert chat.state()["status"] == "stopped" and chat.bot() == []
    assert chat.lead()["opted_out_at"] is not None


def test_a_flow_the_workers_did_not_start_in_time_never_starts(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", workers=False)
    chat.clock.advance(days=3)  # flows.toml: start_within 2 days
    chat.greet()
    state = chat.state()
    assert (state["status"], state["end_reason"]) == ("stopped", "requested too long ago")
    assert chat.bot() == [] and "lead.flow_ended" in chat.actions()


def test_french_flow_reads_french_answers(chat: Chat) -> None:
    chat.comment("C'est combien le Sidamo ? Je veux commander", caption="Nouveau café ☕")
    assert chat.state()["lang"] == "fr" and chat.state()["tone"] == "playful"
    assert chat.bot()[0].startswith(("Coucou Léa", "Hello Léa"))
    chat.send("c'est pour offrir")
    chat.send("pour le 15/12")
    chat.send("deux cents grammes, enfin deux paquets")
    assert chat.lead()["answers"]["quantity"] == 200  # read as written: the first number
    assert chat.state()["status"] == "sales"
    said = chat.bot()
    assert "équipe commerciale" in said[-1]


def test_french_flow_to_the_end(chat: Chat) -> None:
    chat.comment("Bonjour, c'est combien le moulin ? je veux commander")
    chat.send("pour la maison")
    chat.send("dans deux semaines")
    chat.send("trois")
    chat.send("mon numéro : 06 12 34 56 78")
    lead = chat.lead()
    assert lead["answers"]["contact"] == {"phone": "+33612345678"}
    assert lead["answers"]["timing"]["date"] == "2026-12-07"
    assert chat.state()["status"] == "done"
    assert "formulaire de devis" in chat.bot()[-1] and "lang=fr" in chat.bot()[-1]


def test_an_unclear_answer_is_asked_again_once(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("hmm not sure what you mean by that")
    assert "Sorry, I didn't quite get that" in chat.bot()[-1]
    chat.send("a gift for my dad")
    assert "When would you like it" in chat.bot()[-1]
    state = chat.state()
    assert (state["off_script"], state["retries"], state["step"]) == (1, 0, 1)
    assert "lead.unclear" in chat.actions()


def test_off_script_twice_hands_over(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("do you ship to Canada")
    chat.send("and what about Belgium")
    assert chat.state()["status"] == "handoff"
    assert chat.state()["end_reason"] == "answered off-script twice"
    assert any(p in chat.bot()[-1] for p in ("I'll connect you with a person right away",
                                             "passing you to a member of the team"))
    conversation = chat.conversation(chat.state()["conversation_id"])
    assert "bot-handoff" in conversation["tags"] and conversation["priority"] >= 2
    chat.send("hello?")
    assert len(chat.bot()) == 3  # greeting, retry, handoff: the bot is silent now


def test_asking_for_a_real_person_in_french_hands_over(chat: Chat) -> None:
    chat.comment("C'est combien le Sidamo ? Je veux commander")
    chat.send("je voudrais parler à une vraie personne svp")
    assert chat.state()["status"] == "handoff"
    assert chat.state()["end_reason"] == "asked for a person"
    assert any(p in chat.bot()[-1] for p in ("mets en relation avec une personne",
                                             "passe la main"))
    assert "lead.handoff" in chat.actions()


def test_an_angry_customer_gets_a_person(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("STOP ASKING ME QUESTIONS, THIS IS RIDICULOUS, WORST SERVICE EVER")
    assert chat.state()["status"] == "handoff"
    assert chat.state()["end_reason"] == "angry customer"


def test_an_urgent_answer_goes_to_sales_at_once(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("for home")
    chat.send("tomorrow please, it's urgent")
    state = chat.state()
    assert state["status"] == "sales" and state["end_reason"].startswith("urgent")
    conversation = chat.conversation(state["conversation_id"])
    assert conversation["role"] == "senior" and conversation["escalated"]
    assert conversation["priority"] == 3 and "sales" in conversation["tags"]
    assert chat.lead()["stage"] == "hot"
    assert {"lead.routed", "conversation.escalated"} <= set(chat.actions())


def test_an_enterprise_choice_goes_to_sales(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("2")
    assert chat.state()["status"] == "sales"
    assert chat.lead()["answers"]["use_case"] == "business"


def test_a_flow_starts_once_per_conversation_and_never_after_a_stop(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("stop")
    assert chat.state()["status"] == "stopped" and chat.lead()["opted_out_at"] is not None
    chat.send("how much does it cost to order the grinder", kind="comment", parent="u-1-1")
    assert len(chat.rows(QualifierState)) == 1 and len(chat.bot()) == 1


def test_history_starts_no_flow(chat: Chat) -> None:
    old = iso(chat.clock() - timedelta(days=3))  # a file of last week's comments
    chat.send("How much is the Moulin M2? I'd like to order one", kind="comment",
              created_at=old, post={"id": "p1", "caption": "x", "campaign": ""})
    assert chat.rows(QualifierState) == [] and chat.bot() == []
    assert chat.lead()["stage"] == "new"


def test_a_comment_too_old_to_answer_in_private_starts_no_flow(
        chat: Chat, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    source = paths.shipped("flows.toml").read_text(encoding="utf-8")
    custom = tmp_path / "flows.toml"
    custom.write_text(source.replace('start_within = "2d"', 'start_within = "30d"'),
                      encoding="utf-8")
    monkeypatch.setenv("WORKSTATION_FLOWS", str(custom))
    old = iso(chat.clock() - timedelta(days=10))  # past Meta's 7 days for a private reply
    chat.send("How much is the Moulin M2? I'd like to order one", kind="comment",
              created_at=old, post={"id": "p1", "caption": "x", "campaign": ""})
    state = chat.state()
    assert (state["status"], state["end_reason"]) == (
        "stopped", "a guardrail refused the first message")
    assert chat.bot() == [] and chat.lead()["stage"] == "new"
    assert "reply.blocked" in chat.actions() and "lead.handoff" not in chat.actions()
