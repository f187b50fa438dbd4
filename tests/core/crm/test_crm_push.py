"""Pushing leads to HubSpot and a signed webhook, against local servers, on both engines."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.core.crm.fakes import TOKEN, WEBHOOK_SECRET, FakeHubSpot, WebhookReceiver
from tests.core.crm.helpers import actions, dump, lead, rows, set_stage
from workstation.clock import FrozenClock
from workstation.crm import push_due


def test_a_qualified_lead_reaches_hubspot_and_the_webhook_with_its_transcript(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    lead_id = make_lead(texts=("How much is it? <script>x</script> [b]bold\x1b[2J",))
    assert push_due(engine, clock=clock, targets=targets) == 2

    (upsert,) = hubspot.requests("/crm/v3/objects/contacts/batch/upsert")
    (item,) = upsert.json["inputs"]
    assert item["id"] == "lea@example.com" and item["idProperty"] == "email"
    assert item["properties"] == {"email": "lea@example.com", "firstname": "Léa",
                                  "lastname": "Martin"}
    (note,) = hubspot.notes
    body = note["properties"]["hs_note_body"]
    assert "&lt;script&gt;" in body and "<script>" not in body and "\x1b" not in body
    assert "us (agent)" in body and "It is 89 €." in body and "[hidden]" in body
    assert lead(engine, lead_id).crm_id == hubspot.contacts["lea@example.com"]
    assert lead(engine, lead_id).crm_state == "synced"

    (posted,) = receiver.requests("/leads")
    assert posted.status == 200 and receiver.bad_signatures == 0
    event = posted.json
    assert event["type"] == "lead.qualified" and event["id"] == posted.headers["webhook-id"]
    transcript = event["data"]["transcript"]
    assert [m["from"] for m in transcript] == ["customer", "agent", "customer"]
    assert [m["ours"] for m in transcript] == [False, True, False]
    assert transcript[2]["hidden"] == "spam" and "\x1b" not in transcript[0]["text"]
    assert event["data"]["lead"]["promo_codes"] == ["MOULIN10"]
    assert actions(engine).count("crm.queued") == 2
    assert actions(engine).count("crm.synced") == 2


def test_running_twice_pushes_each_change_once(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    make_lead()
    push_due(engine, clock=clock, targets=targets)
    seen = (len(hubspot.seen), len(receiver.seen), len(actions(engine)))
    clock.advance(hours=1)
    assert push_due(engine, clock=clock, targets=targets) == 0
    assert (len(hubspot.seen), len(receiver.seen), len(actions(engine))) == seen


def test_leads_before_qualification_stay_home(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    clock: FrozenClock,
) -> None:
    lead_id = make_lead(stage="qualifying")
    assert push_due(engine, clock=clock, targets=targets) == 0
    assert hubspot.seen == [] and rows(engine) == []
    assert lead(engine, lead_id).crm_state == ""


def test_a_stage_change_after_the_push_is_pushed_again(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    lead_id = make_lead()
    push_due(engine, clock=clock, targets=targets)
    set_stage(engine, lead_id, "customer")
    assert push_due(engine, clock=clock, targets=targets) == 2
    assert len(hubspot.notes) == 2 and len(hubspot.contacts) == 1
    first, second = receiver.requests("/leads")
    assert second.json["type"] == "lead.updated"
    assert second.json["data"]["lead"]["stage"] == "customer"
    assert first.headers["webhook-id"] != second.headers["webhook-id"]
    set_stage(engine, lead_id, "lost")  # even leaving the funnel is news to the CRM
    assert push_due(engine, clock=clock, targets=targets) == 2


def test_a_lead_without_e_mail_skips_hubspot_and_still_reaches_the_webhook(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    lead_id = make_lead(email="")
    assert push_due(engine, clock=clock, targets=targets) == 1
    assert hubspot.seen == []
    (skipped,) = rows(engine, "hubspot")
    assert skipped.state == "skipped" and "e-mail" in skipped.last_error
    assert len(receiver.requests("/leads")) == 1
    assert lead(engine, lead_id).crm_state == "synced"
    assert "crm.skipped" in actions(engine)
    assert push_due(engine, clock=clock, targets=targets) == 0  # not skipped twice


def test_an_e_mail_the_qualifier_collected_is_used_when_the_contact_has_none(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    clock: FrozenClock,
) -> None:
    make_lead(email="", answers={"contact": {"email": "Tom@Example.com", "phone": "+33 6 12"}})
    assert push_due(engine, clock=clock, targets=targets[:1]) == 1
    (upsert,) = hubspot.requests("/crm/v3/objects/contacts")
    assert upsert.json["inputs"][0]["properties"]["email"] == "tom@example.com"
    assert upsert.json["inputs"][0]["properties"]["phone"] == "+33 6 12"


def test_a_429_waits_out_retry_after_without_counting_an_attempt(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    clock: FrozenClock,
) -> None:
    lead_id = make_lead()
    hubspot.script.then("/crm/v3/objects/contacts", 429, Retry_After="7")
    push_due(engine, clock=clock, targets=targets[:1])
    (row,) = rows(engine)
    assert (row.state, row.attempts) == ("queued", 0)
    assert push_due(engine, clock=clock, targets=targets[:1]) == 0  # still waiting
    assert len(hubspot.requests()) == 1
    clock.advance(seconds=8)
    assert push_due(engine, clock=clock, targets=targets[:1]) == 1
    assert lead(engine, lead_id).crm_state == "synced"


def test_a_5xx_is_retried_with_backoff_and_the_contact_is_not_upserted_twice(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    clock: FrozenClock,
) -> None:
    lead_id = make_lead()
    hubspot.script.then("/crm/v3/objects/notes", 500).then("/crm/v3/objects/notes", 503)
    assert push_due(engine, clock=clock, targets=targets[:1]) == 0
    (row,) = rows(engine)
    assert row.state == "queued" and row.attempts == 1 and row.remote_id
    assert row.next_attempt_at is not None
    assert lead(engine, lead_id).crm_state == "pending"
    for _ in range(2):
        clock.advance(hours=1)
        push_due(engine, clock=clock, targets=targets[:1])
    assert lead(engine, lead_id).crm_state == "synced"
    assert len(hubspot.requests("/crm/v3/objects/contacts")) == 1
    assert len(hubspot.notes) == 1
    assert actions(engine).count("crm.retry") == 2


def test_one_refused_address_fails_alone_and_can_be_retried(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    clock: FrozenClock,
) -> None:
    from workstation.crm.outbox import requeue_failed

    good, bad = make_lead(email="tom@example.com"), make_lead(email="bad@example.com")
    hubspot.refused_emails.add("bad@example.com")
    assert push_due(engine, clock=clock, targets=targets[:1]) == 1
    assert lead(engine, good).crm_state == "synced"
    assert lead(engine, bad).crm_state == "failed"
    (failed,) = [r for r in rows(engine) if r.state == "failed"]
    assert "HTTP 400" in failed.last_error and "crm.failed" in actions(engine)
    hubspot.refused_emails.clear()
    assert requeue_failed(engine, actor="julie", clock=clock) == 1
    assert push_due(engine, clock=clock, targets=targets[:1]) == 1
    assert lead(engine, bad).crm_state == "synced"


def test_a_refused_token_fails_the_batch_in_one_call(
    engine: Engine, make_lead: Any, hubspot: FakeHubSpot, clock: FrozenClock,
) -> None:
    from workstation.crm.config import HubSpotTarget

    make_lead(email="a@example.com")
    make_lead(email="b@example.com")
    push_due(engine, clock=clock, targets=[HubSpotTarget(token="revoked", base_url=hubspot.url)])
    assert len(hubspot.seen) == 1 and hubspot.seen[0].status == 401
    assert [r.state for r in rows(engine)] == ["failed", "failed"]
    assert all("HTTP 401" in r.last_error for r in rows(engine))


def test_the_webhook_keeps_its_delivery_id_across_retries(
    engine: Engine, make_lead: Any, targets: list[Any], receiver: WebhookReceiver,
    clock: FrozenClock,
) -> None:
    make_lead()
    receiver.script.then("/leads", 503).then("/leads", 502)
    for _ in range(3):
        push_due(engine, clock=clock, targets=targets[1:])
        clock.advance(hours=1)
    attempts = receiver.requests("/leads")
    assert [a.status for a in attempts] == [503, 502, 200]
    assert len({a.headers["webhook-id"] for a in attempts}) == 1
    assert len({a.headers["webhook-timestamp"] for a in attempts}) == 3
    assert receiver.bad_signatures == 0


def test_a_refusing_webhook_fails_for_good_and_a_dead_one_is_retried(
    engine: Engine, make_lead: Any, receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    from workstation.crm.config import WebhookTarget

    make_lead()
    wrong_key = WebhookTarget(url=receiver.url + "/leads", secret="whsec_b3RoZXI=")
    push_due(engine, clock=clock, targets=[wrong_key])
    assert rows(engine)[0].state == "failed" and receiver.bad_signatures == 1
    make_lead(email="tom@example.com")
    nobody = WebhookTarget(url="http://127.0.0.1:9/leads", secret=WEBHOOK_SECRET, timeout=2)
    push_due(engine, clock=clock, targets=[nobody])
    assert rows(engine)[-1].state == "queued" and "connection" in rows(engine)[-1].last_error


def test_secrets_never_reach_the_store_or_the_logs(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock, caplog: pytest.LogCaptureFixture,
) -> None:
    make_lead()
    make_lead(email="bad@example.com")
    hubspot.refused_emails.add("bad@example.com")
    receiver.script.then("/leads", 500)
    with caplog.at_level(logging.DEBUG, logger="workstation"):
        push_due(engine, clock=clock, targets=targets)
    logged = "\n".join(r.getMessage() for r in caplog.records)
    stored = dump(engine)
    for secret in (TOKEN, WEBHOOK_SECRET, WEBHOOK_SECRET[6:]):
        assert secret not in stored and secret not in logged
    assert "crm: hubspot lead" in logged  # the failures were logged, without them
    assert TOKEN not in repr(targets) and WEBHOOK_SECRET not in json.dumps(repr(targets))


def test_two_pushes_at_once_deliver_each_change_once(
    engine: Engine, make_lead: Any, targets: list[Any], hubspot: FakeHubSpot,
    receiver: WebhookReceiver, clock: FrozenClock,
) -> None:
    import threading

    for n in range(6):
        make_lead(email=f"lead{n}@example.com")
    results: list[int] = []
    errors: list[Exception] = []

    def push() -> None:
        try:
            results.append(push_due(engine, clock=clock, targets=targets))
        except Exception as exc:  # collected: an assertion in a thread would be lost
            errors.append(exc)

    threads = [threading.Thread(target=push) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and sum(results) == 12
    assert len(hubspot.notes) == 6 and len(receiver.requests("/leads")) == 6
    assert len({r.headers["webhook-id"] for r in receiver.requests("/leads")}) == 6
    assert [r.state for r in rows(engine)] == ["sent"] * 12
