"""The receiver over real HTTP: handshake, signatures, limits, duplicates, on both engines."""

from __future__ import annotations

import json
import logging

import httpx
import pytest
from sqlalchemy import Engine, select

from tests.core.webhooks.helpers import (
    APP_SECRET,
    VERIFY_TOKEN,
    body_of,
    deliver,
    ig_comment,
    stored,
)
from workstation import audit, db
from workstation.models import DeadLetter, Message
from workstation.webhooks.server import WebhookServer


def handshake(server: WebhookServer, **params: str) -> httpx.Response:
    query = {"hub.mode": "subscribe", "hub.challenge": "1158201444",
             "hub.verify_token": VERIFY_TOKEN, **params}
    return httpx.get(server.url + "/meta", params=query, timeout=10)


def test_the_handshake_echoes_the_challenge_for_the_right_token(server: WebhookServer) -> None:
    answer = handshake(server)
    assert (answer.status_code, answer.text) == (200, "1158201444")


@pytest.mark.parametrize("params", [
    {"hub.verify_token": "guess"},
    {"hub.verify_token": ""},
    {"hub.mode": "unsubscribe"},
    {"hub.challenge": "<script>alert(1)</script>"},
])
def test_the_handshake_is_refused_otherwise(server: WebhookServer,
                                            params: dict[str, str]) -> None:
    answer = handshake(server, **params)
    assert answer.status_code == 403
    assert "1158201444" not in answer.text and "script" not in answer.text


def test_a_signed_delivery_lands_in_the_store_through_ingest(
    server: WebhookServer, engine: Engine
) -> None:
    answer = deliver(server, body_of(ig_comment()))
    assert (answer.status_code, answer.text) == (200, "EVENT_RECEIVED")
    with db.read(engine) as conn:
        (message,) = conn.execute(select(Message.__table__)).mappings().all()  # type: ignore[attr-defined]
    # Signed over the escaped bytes Meta sends; stored with its accents.
    assert (message["platform"], message["external_id"]) == ("instagram", "17858893269000001")
    assert message["text"] == "Combien coûte le moulin ?"
    assert message["extra"]["via"] == "webhook"
    opened = audit.list_events(engine, action="conversation.opened")
    assert [e.details["source"] for e in opened] == ["webhook:meta"]


@pytest.mark.parametrize("signature", [None, "sha256=" + "0" * 64, "sha1=abc", "forged"])
def test_a_delivery_without_a_good_signature_is_refused_and_nothing_is_stored(
    server: WebhookServer, engine: Engine, signature: str | None,
    caplog: pytest.LogCaptureFixture,
) -> None:
    with caplog.at_level(logging.INFO, logger="workstation.webhooks"):
        answer = deliver(server, body_of(ig_comment()), signature=signature)
    assert answer.status_code == 403
    assert stored(engine) == {"messages": 0, "audit": 0, "dead": 0}
    refusals = [r.getMessage() for r in caplog.records if "refused" in r.getMessage()]
    assert len(refusals) == 1
    assert "missing" in refusals[0] if signature is None else "mismatch" in refusals[0]


def test_a_body_changed_after_signing_is_refused(server: WebhookServer, engine: Engine) -> None:
    original = body_of(ig_comment(text="hello"))
    tampered = original.replace(b"hello", b"HELLO")
    from workstation.webhooks.signature import sign

    answer = httpx.post(server.url, content=tampered, timeout=10,
                        headers={"X-Hub-Signature-256": sign(original, APP_SECRET)})
    assert answer.status_code == 403
    assert stored(engine)["messages"] == 0


def test_a_delivery_signed_with_another_secret_is_refused(server: WebhookServer,
                                                          engine: Engine) -> None:
    assert deliver(server, body_of(ig_comment()), secret="other").status_code == 403
    assert stored(engine)["messages"] == 0


def test_the_same_change_delivered_twice_is_one_message_and_audited_once(
    server: WebhookServer, engine: Engine
) -> None:
    first = body_of(ig_comment())
    assert deliver(server, first).status_code == 200
    after_first = stored(engine)
    assert deliver(server, first).status_code == 200
    # Meta's retry in a new envelope (another batch time): other bytes, same comment.
    again = ig_comment()
    again["entry"][0]["time"] = 1763640099
    assert deliver(server, body_of(again)).status_code == 200
    assert stored(engine) == after_first
    assert after_first["messages"] == 1


def test_a_body_over_the_limit_is_refused_unread(server: WebhookServer, engine: Engine) -> None:
    big = body_of(ig_comment(text="x" * (server.max_body + 1)))
    assert deliver(server, big).status_code == 413
    assert stored(engine)["messages"] == 0


def test_signed_but_unreadable_json_goes_to_dead_letters(server: WebhookServer,
                                                         engine: Engine) -> None:
    answer = deliver(server, b'{"object": "instagram", "entry": [')
    assert answer.status_code == 200  # a retry would be refused the same way
    with db.read(engine) as conn:
        (dead,) = conn.execute(select(DeadLetter.__table__)).mappings().all()  # type: ignore[attr-defined]
    assert dead["source"] == "webhook:meta" and "not valid JSON" in dead["reason"]
    assert stored(engine)["messages"] == 0


def test_an_event_the_contract_refuses_is_a_dead_letter_and_the_rest_is_stored(
    server: WebhookServer, engine: Engine
) -> None:
    delivery = ig_comment()
    future = dict(delivery["entry"][0]["changes"][0])
    future["value"] = {**future["value"], "id": "c-future", "timestamp": "2030-01-01T00:00:00Z"}
    delivery["entry"][0]["changes"].append(future)
    assert deliver(server, body_of(delivery)).status_code == 200
    assert stored(engine)["messages"] == 1
    with db.read(engine) as conn:
        reasons = conn.execute(select(DeadLetter.__table__.c.reason)).scalars().all()  # type: ignore[attr-defined]
    assert len(reasons) == 1 and "future" in reasons[0]


def test_secrets_never_reach_the_logs_or_the_store(
    server: WebhookServer, engine: Engine, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG):
        handshake(server)
        handshake(server, **{"hub.verify_token": "wrong"})
        deliver(server, body_of(ig_comment()))
        deliver(server, body_of(ig_comment("c2")), signature="sha256=bad")
        deliver(server, b"not json")
    # Our own loggers (the test's HTTP client logs the handshake URL it was given).
    logged = "\n".join(r.getMessage() for r in caplog.records
                       if r.name.startswith("workstation"))
    assert logged and APP_SECRET not in logged and VERIFY_TOKEN not in logged
    assert "Combien" not in logged  # bodies are not logged either
    with db.read(engine) as conn:
        dumped = json.dumps([dict(r) for table in ("message", "audit_event", "dead_letter",
                                                   "conversation", "contact")
                             for r in conn.exec_driver_sql(f"SELECT * FROM {table}").mappings()],
                            default=str)
    assert APP_SECRET not in dumped and VERIFY_TOKEN not in dumped


def test_a_delivery_not_stored_in_time_is_refused_with_503_and_its_retry_counts_once(
    server: WebhookServer, engine: Engine
) -> None:
    import threading

    gate = threading.Event()
    server.receiver._pool.submit(gate.wait)  # the store is busy with something else
    server.ack_within = 0.2
    busy = deliver(server, body_of(ig_comment()))
    assert busy.status_code == 503 and busy.headers["Retry-After"] == "5"
    gate.set()
    server.ack_within = 10.0
    assert deliver(server, body_of(ig_comment())).status_code == 200  # Meta's retry
    assert stored(engine)["messages"] == 1


def test_a_full_backlog_answers_503_at_once(server: WebhookServer, engine: Engine) -> None:
    server.receiver.max_pending = 0
    assert deliver(server, body_of(ig_comment())).status_code == 503
    assert stored(engine)["messages"] == 0
