"""UGC rights as a register: origin, credit and usage window on a yes, withdrawal, expiry,
the people's changes (roles, audit) and `workstation ugc list|export`."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from tests.core.leads.conftest import Chat
from workstation import paths
from workstation.cli import main
from workstation.clock import FrozenClock
from workstation.leads import config, ugc
from workstation.models import UgcRightsRequest
from workstation.permissions import PermissionDenied
from workstation.services import ugc_rights
from workstation.services.ugc_rights import UgcError, add_months

PHOTO = {"attachments": [{"type": "image", "url": "https://cdn.example/p.jpg", "id": "att-1"}]}


def right(chat: Chat) -> dict:
    (row,) = chat.rows(UgcRightsRequest)
    return row


def book() -> config.FlowBook:
    return config.load(paths.shipped("flows.toml"))


def test_a_french_yes_is_recorded_with_origin_credit_and_a_years_window(chat: Chat) -> None:
    chat.send("Voilà mon petit café du matin avec vos grains", **PHOTO)
    asked = chat.bot()[-1]
    assert "pendant 1 an" in asked and "@lea.m" in asked
    row = right(chat)
    assert (row["platform"], row["origin_kind"], row["origin_id"]) == ("instagram", "dm", "u-1-1")
    assert row["media"] == [{"type": "image", "id": "att-1", "url": "https://cdn.example/p.jpg"}]
    assert row["creator"] == "@lea.m" and row["credit"] == "" and row["usage_until"] is None
    chat.send("oui avec plaisir !")
    row = right(chat)
    assert row["state"] == "granted" and row["credit"] == "@lea.m"
    assert row["usage_from"] == chat.clock()
    assert row["usage_until"] == datetime(2027, 11, 23, 10, 4, tzinfo=UTC)
    assert "ugc.granted" in chat.actions()


@pytest.mark.parametrize(("answer", "credit"), [
    ("Yes of course! Credit me as Léa M. Photo, thanks", "Léa M. Photo"),
    ("Sure, go ahead, but please tag @lea.shoots instead", "@lea.shoots"),
    ("Oui, sous le nom « Léa Martin Photographie »", "Léa Martin Photographie"),
    ("oui bien sûr, créditez-moi comme Atelier Léa.", "Atelier Léa"),
])
def test_a_yes_may_say_how_to_credit_the_creator(chat: Chat, answer: str, credit: str) -> None:
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send(answer)
    row = right(chat)
    assert (row["state"], row["credit"]) == ("granted", credit)


def test_a_credit_that_names_nothing_keeps_the_handle(chat: Chat) -> None:
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send("Sure, happy to! credit it as you like")
    assert (right(chat)["state"], right(chat)["credit"]) == ("granted", "@lea.m")


def test_a_credit_is_not_read_as_the_answer(chat: Chat) -> None:
    chat.send("ma photo avec votre moulin", **PHOTO)
    chat.send("oui, sous le nom Non Stop Café")  # "non" in the credit is no refusal
    assert (right(chat)["state"], right(chat)["credit"]) == ("granted", "Non Stop Café")


@pytest.mark.parametrize("withdrawal", ["Actually, please remove my photo from your page",
                                        "Finalement je retire mon accord, désolée"])
def test_a_creator_who_takes_it_back_is_revoked_and_a_person_told(chat: Chat,
                                                                  withdrawal: str) -> None:
    chat.send("check out my latte art", **PHOTO)
    chat.send("yes sure")
    chat.send("thanks, love the coffee")  # a message after a yes withdraws nothing
    assert right(chat)["state"] == "granted"
    chat.send(withdrawal)
    row = right(chat)
    assert row["state"] == "revoked" and row["revoked_at"] == chat.clock()
    conversation = chat.conversation(row["conversation_id"])
    assert "ugc-revoked" in conversation["tags"] and "ugc-review" not in conversation["tags"]
    assert "ugc.revoked" in chat.actions()


def test_a_withdrawal_before_any_yes_is_a_no(chat: Chat) -> None:
    chat.send("regardez ma photo", **PHOTO)
    chat.send("j'ai changé d'avis, n'utilisez pas ma photo")
    assert right(chat)["state"] == "refused"


def test_an_x_mention_records_its_address(engine, clock: FrozenClock) -> None:
    chat = Chat(engine, clock, platform="x")
    chat.author["handle"] = "lea_m"
    chat.send("look at my latte art @brulerielumen", kind="mention", id="1850000000000000001")
    row = right(chat)
    assert row["origin_kind"] == "mention" and row["creator"] == "@lea_m"
    assert row["origin_url"] == f"https://x.com/lea_m/status/{row['origin_id']}"


def test_an_address_that_is_not_http_is_dropped(chat: Chat) -> None:
    chat.send("my photo", attachments=[{"type": "image", "url": "javascript:alert(1)"}],
              permalink="https://instagram.com/p/abc\n=1")
    row = right(chat)
    assert row["media"][0]["url"] == "" and row["origin_url"] == ""


def test_expiry_is_shown_not_written(chat: Chat, clock: FrozenClock) -> None:
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send("yes")
    chat.send("ma photo", **PHOTO, kind="mention", thread="other")
    later = FrozenClock(clock() + timedelta(days=400))
    (expired,) = ugc_rights.list_rights(chat.engine, status="expired", clock=later)
    assert expired.status == "expired"
    assert chat.rows(UgcRightsRequest)[0]["state"] == "granted"  # the consent as given
    assert ugc_rights.list_rights(chat.engine, status="granted", clock=later) == []
    (granted,) = ugc_rights.list_rights(chat.engine, status="granted", clock=clock)
    assert granted.id == expired.id
    assert [r.status for r in ugc_rights.list_rights(chat.engine, clock=later)] == [
        "requested", "expired"]


def test_people_grant_refuse_revoke_and_edit_with_their_role(team, clock: FrozenClock) -> None:
    chat = Chat(team, clock)
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send("hmm what would you do with it?")
    row = right(chat)
    assert row["state"] == "requested"
    with pytest.raises(UgcError, match="only a granted right"):
        ugc_rights.revoke(team, row["id"], actor="julie", clock=clock)
    granted = ugc_rights.grant(team, row["id"], actor="julie", months=6, credit="=Léa",
                               clock=clock)
    assert granted.status == "granted" and granted.credit == "=Léa"
    assert granted.usage_until == add_months(clock(), 6)
    with pytest.raises(UgcError, match="not waiting for an answer"):
        ugc_rights.refuse(team, row["id"], actor="julie", clock=clock)
    assert ugc_rights.set_credit(team, row["id"], "Léa M.", actor="tom",
                                 clock=clock).credit == "Léa M."
    with pytest.raises(UgcError, match="end after it starts"):
        ugc_rights.set_window(team, row["id"], until=clock() - timedelta(days=1), actor="tom",
                              clock=clock)
    until = datetime(2027, 1, 31, tzinfo=UTC)
    assert ugc_rights.set_window(team, row["id"], until=until, actor="tom",
                                 clock=clock).usage_until == until
    with pytest.raises(PermissionDenied):
        ugc_rights.revoke(team, row["id"], actor="mallory", clock=clock)
    revoked = ugc_rights.revoke(team, row["id"], actor="claire", reason="asked by phone",
                                clock=clock)
    assert revoked.status == "revoked" and revoked.revoked_at == clock()
    actions = chat.actions()
    for action in ("ugc.unclear", "ugc.granted", "ugc.credit", "ugc.window", "ugc.revoked",
                   "permission.denied"):
        assert action in actions


def test_add_months_keeps_the_day_or_the_months_last() -> None:
    assert add_months(datetime(2026, 1, 31, tzinfo=UTC), 1) == datetime(2026, 2, 28, tzinfo=UTC)
    assert add_months(datetime(2026, 11, 23, tzinfo=UTC), 12) == datetime(2027, 11, 23,
                                                                           tzinfo=UTC)
    assert add_months(datetime(2024, 2, 29, tzinfo=UTC), 24) == datetime(2026, 2, 28,
                                                                          tzinfo=UTC)


def test_usage_period_in_both_languages() -> None:
    assert [ugc.usage_period(m, "en") for m in (1, 6, 12, 24)] == [
        "1 month", "6 months", "1 year", "2 years"]
    assert [ugc.usage_period(m, "fr") for m in (1, 6, 12, 24)] == [
        "1 mois", "6 mois", "1 an", "2 ans"]


@pytest.mark.parametrize(("text", "credit"), [
    ("yes", ""), ("yes! credit is fine", ""), ("yes @", ""), ("oui, crédit : @lea_m.", "@lea_m"),
    ("email me at lea@example.com yes", ""), ("Yes, sign it ", ""),
])
def test_credit_asked_reads_only_names_and_handles(text: str, credit: str) -> None:
    assert ugc.credit_asked(book(), text)[0] == credit


def test_usage_months_is_checked(tmp_path: Path) -> None:
    source = paths.shipped("flows.toml").read_text(encoding="utf-8")
    bad = tmp_path / "flows.toml"
    bad.write_text(source.replace("usage_months = 12", "usage_months = 0"), encoding="utf-8")
    with pytest.raises(config.FlowsError) as caught:
        config.load(bad)
    assert any("ugc.usage_months" in p for p in caught.value.problems)


def test_cli_lists_and_exports_with_inert_cells(chat: Chat, store_url: str, tmp_path: Path,
                                                capsys: pytest.CaptureFixture[str]) -> None:
    chat.author.update(handle="", name="=cmd|' /C calc'!A0\x1b[31m")
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send("yes")
    assert right(chat)["credit"].startswith("=cmd")  # no handle: the name is the credit
    args = ["--db", store_url, "--agent", "sam"]
    assert main([*args, "ugc", "--csv"]) == 0
    rows = list(csv.reader(io.StringIO(capsys.readouterr().out)))
    assert rows[0][:3] == ["id", "status", "platform"] and len(rows) == 2
    record = dict(zip(rows[0], rows[1], strict=True))
    assert record["credit"].startswith("'=cmd") and record["creator"].startswith("'=cmd")
    assert "\x1b" not in rows[1][rows[0].index("credit")]
    assert record["status"] == "granted" and record["media"] == "https://cdn.example/p.jpg"
    out = tmp_path / "rights.json"
    assert main([*args, "ugc", "export", "--format", "json", "-o", str(out)]) == 0
    (exported,) = json.loads(out.read_text(encoding="utf-8"))
    assert exported["origin"]["platform"] == "instagram" and exported["usage"]["until"]
    assert main([*args, "ugc", "list", "--status", "refused"]) == 0
    assert capsys.readouterr().out == ""
    assert main([*args, "ugc", "revoke", str(exported["id"]), "--reason", "by phone"]) == 0
    assert "revoked" in capsys.readouterr().out
    assert main([*args, "ugc", "revoke", str(exported["id"])]) == 2
    assert "only a granted right" in capsys.readouterr().err
    assert main([*args, "ugc", "export"]) == 0
    assert ",revoked," in capsys.readouterr().out


def test_a_withdrawal_counts_in_the_middle_of_a_qualifier_flow(chat: Chat) -> None:
    chat.send("my photo of the morning cup", **PHOTO)
    chat.send("yes")
    chat.comment("How much is the Moulin M2? I'd like to order one")
    asked = len(chat.bot())
    chat.send("before anything: please remove my photo")
    assert right(chat)["state"] == "revoked"
    state = chat.state()
    assert (state["status"], state["off_script"]) == ("active", 0)  # the flow still waits
    assert len(chat.bot()) == asked
    chat.send("for home")
    assert chat.lead()["answers"]["use_case"] == "home"
