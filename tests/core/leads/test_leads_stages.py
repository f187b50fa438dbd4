"""Stages, owner and value through the service layer and the CLI, each audited."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from tests.core.leads.conftest import Chat
from workstation import audit, db
from workstation.cli import main
from workstation.clock import FrozenClock
from workstation.models import Agent
from workstation.services import leads
from workstation.services.lead_review import transcripts


def test_stage_changes_are_audited_and_flag_the_crm(chat: Chat, clock: FrozenClock) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    lead = chat.lead()
    assert lead["crm_state"] == ""
    clock.advance(minutes=5)
    moved = leads.set_stage(chat.engine, lead["id"], "qualified", actor="sam", reason="called",
                            clock=clock)
    assert moved.stage == "qualified" and moved.crm_state == "pending"
    row = chat.lead()
    assert row["updated_at"] == row["stage_changed_at"] == clock()
    leads.set_stage(chat.engine, lead["id"], "lost", actor="sam", clock=clock)
    (event,) = [e for e in audit.list_events(chat.engine, action="lead.stage")
                if e.actor == "sam" and e.details["stage"] == "lost"]
    assert event.details["previous"] == "qualified" and event.target_kind == "lead"
    with pytest.raises(leads.LeadError):
        leads.set_stage(chat.engine, lead["id"], "won", actor="sam")
    with pytest.raises(leads.LeadError):
        leads.set_stage(chat.engine, 999, "hot", actor="sam")


def test_owner_and_value(chat: Chat, clock: FrozenClock) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    lead_id = chat.lead()["id"]
    with db.write(chat.engine) as conn:
        conn.execute(Agent.__table__.insert(), {  # type: ignore[attr-defined]
            "name": "sam", "display_name": "Sam", "role": "agent", "languages": "en",
            "capacity": 20, "active": True, "created_at": clock()})
    assert leads.set_owner(chat.engine, lead_id, "sam", actor="sam", clock=clock).owner == "sam"
    assert leads.set_value(chat.engine, lead_id, 129.5, actor="sam", clock=clock).value == 129.5
    with pytest.raises(leads.LeadError):
        leads.set_owner(chat.engine, lead_id, "nobody", actor="sam")
    with pytest.raises(leads.LeadError):
        leads.set_value(chat.engine, lead_id, -1, actor="sam")
    assert {"lead.owner", "lead.value"} <= set(chat.actions())
    assert [x.id for x in leads.list_leads(chat.engine, stage="qualifying")] == [lead_id]
    assert leads.list_leads(chat.engine, stage="hot") == []


def test_promo_codes_and_utm_campaign_are_noted_on_the_lead(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", campaign="")
    chat.send("I have the code LUMEN10, seen on https://brulerielumen.fr/x?utm_campaign=black"
              "-friday&utm_source=ig - it's for home")
    lead = chat.lead()
    assert lead["promo_codes"] == " LUMEN10 " and lead["campaign"] == "black-friday"
    assert lead["answers"]["use_case"] == "home"
    assert {"lead.promo_code", "lead.campaign"} <= set(chat.actions())


def test_the_panel_follows_the_flow_into_the_dm_thread(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("for home")
    dm = chat.state()["conversation_id"]
    panel = leads.for_conversation(chat.engine, dm)
    assert panel is not None and panel.lead.id == chat.lead()["id"]
    assert (panel.flow, panel.flow_status) == ("sales-qualifier", "active")
    assert panel.next_reminder is not None and panel.reminders_sent == 0
    assert leads.for_conversation(chat.engine, 999) is None


def test_review_lists_the_weeks_transcripts(chat: Chat, clock: FrozenClock) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    chat.send("je veux parler à un humain")
    (item,) = transcripts(chat.engine, since=clock() - timedelta(days=7))
    assert (item.status, item.end_reason) == ("handoff", "asked for a person")
    authors = [line.author for line in item.lines]
    assert authors == ["customer", "bot", "customer", "bot"]
    assert transcripts(chat.engine, since=clock() + timedelta(days=1)) == []


def test_cli_list_show_stage_review_check(chat: Chat, store_url: str,
                                          capsys: pytest.CaptureFixture[str]) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one")
    lead_id = chat.lead()["id"]
    assert main(["--db", store_url, "leads", "--json"]) == 0
    (line,) = capsys.readouterr().out.splitlines()
    assert json.loads(line)["stage"] == "qualifying"
    assert main(["--db", store_url, "--agent", "sam", "leads", "stage", str(lead_id), "hot"]) == 0
    assert capsys.readouterr().out == f"lead #{lead_id}: hot\n"
    assert main(["--db", store_url, "leads", "list", "--stage", "hot", "--csv"]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert rows[0].startswith("id,conversation_id,stage") and len(rows) == 2
    assert main(["--db", store_url, "leads", "show", str(lead_id), "--json"]) == 0
    shown = json.loads(capsys.readouterr().out)
    assert shown["flow"]["id"] == "sales-qualifier" and shown["crm"]["state"] == "pending"
    # sam acted first on this store, so sam is its admin; the review is a supervisor's.
    assert main(["--db", store_url, "--agent", "sam", "leads", "review", "--since",
                 "2026-11-01"]) == 0
    assert "sales-qualifier" in capsys.readouterr().out
    assert main(["--db", store_url, "--agent", "sam", "leads", "stage", "999", "hot"]) == 2
    assert capsys.readouterr().err == "workstation: error: no lead #999\n"


def test_moving_leads_and_reviewing_the_bot_follow_the_roles(chat: Chat, store_url: str,
                                                             clock: FrozenClock) -> None:
    from workstation.permissions import PermissionDenied
    from workstation.services import agents

    chat.comment("How much is the Moulin M2? I'd like to order one")
    lead_id = chat.lead()["id"]
    agents.identify(chat.engine, "claire")  # the first on the store: its admin
    agents.add(chat.engine, "julie", role="agent", actor="claire")
    assert leads.set_stage(chat.engine, lead_id, "hot", actor="julie", clock=clock).stage == "hot"
    with pytest.raises(PermissionDenied, match="supervisor"):
        transcripts(chat.engine, since=clock() - timedelta(days=7), actor="julie")
    with pytest.raises(PermissionDenied, match="not on the team"):
        leads.set_value(chat.engine, lead_id, 10.0, actor="mallory", clock=clock)
    assert len(transcripts(chat.engine, since=clock() - timedelta(days=7), actor="claire")) == 1
    assert chat.actions().count("permission.denied") == 2
    assert chat.lead()["value"] == 0.0


def test_cli_check_reports_file_and_line(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "flows.toml"
    bad.write_text('version = 1\n[bot]\nmax_questions = "many"\n', encoding="utf-8")
    assert main(["leads", "check", str(bad)]) == 2
    assert capsys.readouterr().err.startswith(f"{bad}:3: bot.max_questions")
    assert main(["leads", "check"]) == 0

