"""A Meta DM that reaches the store by webhook and by polling is one message in one
conversation, keyed `dm:<customer id>` both ways, and a reply from it reaches the platform."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from tests.sandbox_control import TOKEN, Control, env_for
from tests.worker_fakes import queue_reply
from workstation import db
from workstation.connectors import configured
from workstation.models import Contact, Conversation, Message, Outbox
from workstation.pipeline import Pipeline
from workstation.sandbox import SandboxServer
from workstation.webhooks.receiver import Receiver
from workstation.workers.outgoing import by_platform
from workstation.workers.sender import send_outbox
from workstation.workers.syncer import poll_connectors

_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(token=TOKEN, seed_value=11).start()
    yield server
    server.stop()


def conversations_of(engine: Engine, customer: str) -> list[tuple[int, str]]:
    with db.read(engine) as conn:
        return [tuple(row) for row in conn.execute(
            select(_C.id, _C.thread_key)
            .select_from(Conversation.__table__.join(  # type: ignore[attr-defined]
                Contact.__table__, _P.id == _C.contact_id))  # type: ignore[attr-defined]
            .where(_C.platform == "instagram", _C.kind == "dm", _P.external_id == customer))]


def copies(engine: Engine, message_id: str) -> list[int]:
    """The conversation of each stored copy of a message."""
    with db.read(engine) as conn:
        return list(conn.execute(select(_M.conversation_id).where(
            _M.platform == "instagram", _M.external_id == message_id)).scalars())


@pytest.mark.parametrize("first", ["webhook", "poll"])
def test_a_dm_seen_both_ways_is_one_message_and_a_reply_from_it_arrives(
    engine: Engine, pipeline: Pipeline, sandbox: SandboxServer, first: str,
) -> None:
    control = Control(sandbox)
    asked = control.inject("instagram_dm", "Vous avez du déca ?")
    customer = asked["author"]
    delivery = control.webhook(asked["id"])
    assert delivery["entry"][0]["messaging"][0]["message"]["mid"] == asked["id"]
    receiver = Receiver(engine, pipeline=pipeline)
    connectors = configured(engine, env_for(sandbox))

    def by_webhook(payload: dict[str, object]) -> None:
        future = receiver.submit(json.dumps(payload).encode())
        assert future is not None
        assert future.result().rejected == 0

    def by_poll() -> None:
        report = poll_connectors(engine, connectors, pipeline=lambda: pipeline)
        assert report.errors == [] and report.rejected == 0

    try:
        for step in ([lambda: by_webhook(delivery), by_poll] if first == "webhook"
                     else [by_poll, lambda: by_webhook(delivery)]):
            step()
        [(conversation, thread)] = conversations_of(engine, customer)
        assert thread == f"dm:{customer}"
        assert copies(engine, asked["id"]) == [conversation]

        outbox_id = queue_reply(engine, conversation, channel="dm", reply_to=asked["id"],
                                text="Oui, en grains et moulu.", key="both-ways-1")
        send_outbox(engine, by_platform(connectors))
        sent = control.sent("dm")  # the shipped rules may add an out-of-hours auto-reply
        assert {(s["target"], s["conversation"]) for s in sent} == {(customer, asked["root"])}
        [dm] = [s for s in sent if s["text"] == "Oui, en grains et moulu."]
        with db.read(engine) as conn:
            row = conn.execute(select(Outbox.__table__).where(  # type: ignore[attr-defined]
                Outbox.__table__.c.id == outbox_id)).one()  # type: ignore[attr-defined]
        assert (row.state, row.external_id) == ("sent", dm["id"])

        # Our reply comes back both ways too (an echo, then a poll): still one copy, same thread.
        by_webhook(control.webhook(dm["id"]))
        by_poll()
        assert conversations_of(engine, customer) == [(conversation, thread)]
        assert copies(engine, dm["id"]) == [conversation]
    finally:
        receiver.close()
        for connector in connectors:
            connector.close()
