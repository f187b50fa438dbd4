"""A whole qualifier conversation against the sandbox platform, in French on Instagram and in
English on Messenger: the comment is polled, the bot's questions leave through the outbox
and the Meta connector (the choice question with its quick-reply buttons), the customer taps
a button and answers by DM (delivered by webhook, as Meta does), and the closing offer's form
link carries the conversation and the campaign of the post's link."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit

import pytest
from sqlalchemy import Engine, select

from tests.sandbox_control import TOKEN, Control, env_for
from workstation import db
from workstation.clock import FrozenClock
from workstation.connectors import build, config
from workstation.models import Lead, Message, Outbox, QualifierState
from workstation.pipeline import Pipeline
from workstation.sandbox import SandboxServer
from workstation.webhooks.receiver import Receiver
from workstation.workers.outgoing import by_platform
from workstation.workers.sender import send_outbox
from workstation.workers.syncer import poll_connectors
from workstation.workers import jobs

START = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # a Monday, 10:00 in Paris: office hours


class Platform:
    """The sandbox, the connectors on it, the webhook receiver and the store, on one clock."""

    def __init__(self, engine: Engine, sandbox: SandboxServer, clock: FrozenClock,
                 pipeline: Pipeline) -> None:
        self.engine, self.sandbox, self.clock, self.pipeline = engine, sandbox, clock, pipeline
        self.control = Control(sandbox)
        self.connectors = [build(p, engine, sleep=lambda _s: None)
                           for p in config.load(env_for(sandbox)).values()]
        for connector in self.connectors:
            if hasattr(connector, "clock"):
                connector.clock = clock  # the messaging window, on the sandbox's time
        self.receiver = Receiver(engine, pipeline=pipeline, clock=clock)

    def close(self) -> None:
        self.receiver.close()
        for connector in self.connectors:
            connector.close()

    def poll(self) -> None:
        report = poll_connectors(self.engine, self.connectors, pipeline=lambda: self.pipeline,
                                 clock=self.clock)
        assert report.errors == [] and report.rejected == 0
        jobs.flows(jobs.Context(self.engine, clock=self.clock))  # as the workers do next

    def send(self) -> None:
        send_outbox(self.engine, by_platform(self.connectors), clock=self.clock)

    def answer(self, channel: str, customer: str, text: str, **fields: Any) -> None:
        """The customer writes a DM a minute later; Meta delivers it by webhook."""
        self.clock.advance(minutes=1)
        written = self.control.inject(channel, text, author=customer, **fields)
        future = self.receiver.submit(json.dumps(self.control.webhook(written["id"])).encode())
        assert future is not None and future.result().rejected == 0
        self.send()

    def bot_dms(self) -> list[dict[str, Any]]:
        """What the platform received from the flow, oldest first (an auto-reply rule may
        write too; only the flow's messages are kept)."""
        outbox = Outbox.__table__.c  # type: ignore[attr-defined]
        with db.read(self.engine) as conn:
            ours = set(conn.execute(select(outbox.external_id).where(
                outbox.template_id.like("flow:%"))).scalars())
        return [s for s in self.control.sent("dm") if s["id"] in ours]

    def one(self, model: type) -> dict[str, Any]:
        table = model.__table__  # type: ignore[attr-defined]
        with db.read(self.engine) as conn:
            (row,) = conn.execute(select(table)).mappings().all()
            return dict(row)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture
def platform(engine: Engine, pipeline: Pipeline) -> Iterator[Platform]:
    clock = FrozenClock(START)
    sandbox = SandboxServer(token=TOKEN, seed_value=5, clock=clock).start()
    made = Platform(engine, sandbox, clock, pipeline)
    yield made
    made.close()
    sandbox.stop()


def test_french_on_instagram_with_quick_replies(platform: Platform) -> None:
    post = platform.sandbox.world.add_post(
        "instagram", "Le Moulin M2 est arrivé ✨ https://brulerielumen.fr/m2?utm_source=ig"
                     "&utm_campaign=moulin-m2-launch")
    comment = platform.control.inject("instagram_comment",
                                      "C'est combien le Moulin M2 ? Je veux commander",
                                      post=post.id)
    platform.poll()
    platform.send()
    [first] = platform.bot_dms()
    assert first["target"] == comment["id"]  # a private reply to the comment
    assert "pour la maison, pour une entreprise, ou pour offrir" in first["text"]
    assert first["quick_replies"] == [
        {"title": "Pour la maison", "payload": "use_case:home"},
        {"title": "Pour une entreprise", "payload": "use_case:business"},
        {"title": "Pour offrir", "payload": "use_case:gift"}]
    assert "1)" not in first["text"]

    customer = comment["author"]
    platform.answer("instagram_dm", customer, "Pour offrir", quick_reply="use_case:gift")
    platform.answer("instagram_dm", customer, "dans deux semaines")
    platform.answer("instagram_dm", customer, "trois paquets")
    platform.answer("instagram_dm", customer, "lea.martin@example.com")

    said = platform.bot_dms()
    assert len(said) == 5 and all("quick_replies" not in s for s in said[1:])
    assert "Pour quand" in said[1]["text"] and "Combien" in said[2]["text"]
    closing = said[-1]["text"]
    assert "formulaire de devis" in closing and "LUMEN10" in closing
    link = next(w for w in closing.split() if w.startswith("https://brulerielumen.fr/devis"))
    query = parse_qs(urlsplit(link).query)
    state = platform.one(QualifierState)
    assert query["conversation"] == [str(state["origin_conversation_id"])]
    assert query["campaign"] == ["moulin-m2-launch"] and query["lang"] == ["fr"]
    lead = platform.one(Lead)
    assert lead["answers"]["use_case"] == "gift" and lead["answers"]["quantity"] == 3
    assert lead["answers"]["contact"] == {"email": "lea.martin@example.com"}
    assert lead["campaign"] == "moulin-m2-launch" and state["status"] == "done"
    with db.read(platform.engine) as conn:
        tapped = conn.execute(select(Message.__table__.c.extra).where(  # type: ignore[attr-defined]
            Message.__table__.c.text == "Pour offrir")).scalar_one()  # type: ignore[attr-defined]
    assert tapped["quick_reply"] == "use_case:gift"


def test_english_on_messenger_reads_the_tapped_button(platform: Platform) -> None:
    post = next(p for p in platform.sandbox.world.posts.values() if p.platform == "facebook")
    comment = platform.control.inject(
        "facebook_comment", "How much is the Christmas box? I'd like to order one", post=post.id)
    platform.poll()
    platform.send()
    [first] = platform.bot_dms()
    assert [b["title"] for b in first["quick_replies"]] == ["For home", "For a business",
                                                            "A gift"]
    customer = comment["author"]
    # The button's title as the customer's app shows it; the payload says which it was.
    platform.answer("messenger_dm", customer, "For home", quick_reply="use_case:home")
    assert platform.one(Lead)["answers"]["use_case"] == "home"
    platform.answer("messenger_dm", customer, "next week")
    platform.answer("messenger_dm", customer, "2")
    platform.answer("messenger_dm", customer, "call me on 06 12 34 56 78")
    said = platform.bot_dms()
    assert len(said) == 5 and "quote form" in said[-1]["text"]
    lead = platform.one(Lead)
    assert lead["answers"]["contact"] == {"phone": "+33612345678"}
    assert lead["stage"] in ("qualified", "hot") and lead["crm_state"] == "pending"


def test_a_business_button_goes_to_sales(platform: Platform) -> None:
    comment = platform.control.inject("instagram_comment",
                                      "How much is the grinder? I want to order 2")
    platform.poll()
    platform.send()
    platform.answer("instagram_dm", comment["author"], "For a business",
                    quick_reply="use_case:business")
    state = platform.one(QualifierState)
    assert state["status"] == "sales" and "business" in state["end_reason"]
    said = platform.bot_dms()
    assert len(said) == 2 and "sales team" in said[-1]["text"]
