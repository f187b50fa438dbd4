"""Leads with a conversation, the CRM fakes, and targets that point at them."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, update

from tests.core.crm.fakes import TOKEN, WEBHOOK_SECRET, FakeHubSpot, WebhookReceiver
from tests.thread_factory import NOW, add_thread
from workstation import db
from workstation.clock import FrozenClock
from workstation.crm.config import HubSpotTarget, WebhookTarget
from workstation.models import Contact, Conversation, Lead, Message


@pytest.fixture
def hubspot() -> Iterator[FakeHubSpot]:
    server = FakeHubSpot()
    yield server
    server.stop()


@pytest.fixture
def receiver(clock: FrozenClock) -> Iterator[WebhookReceiver]:
    server = WebhookReceiver(now=lambda: clock().timestamp())
    yield server
    server.stop()


@pytest.fixture
def targets(hubspot: FakeHubSpot, receiver: WebhookReceiver) -> list[Any]:
    return [HubSpotTarget(token=TOKEN, base_url=hubspot.url, timeout=5.0),
            WebhookTarget(url=receiver.url + "/leads", secret=WEBHOOK_SECRET, timeout=5.0)]


LeadFactory = Callable[..., int]


@pytest.fixture
def make_lead(engine: Engine) -> LeadFactory:
    """A lead on a new conversation: the customer's messages, one reply of ours and one
    hidden message; returns the lead's id."""

    def make(*, stage: str = "qualified", email: str = "lea@example.com",
             texts: tuple[str, ...] = ("How much is the Moulin M2?",), **lead: Any) -> int:
        conv = add_thread(engine, texts=texts, name="Léa Martin")
        with db.write(engine) as conn:
            c, m = Conversation.__table__.c, Message.__table__.c  # type: ignore[attr-defined]
            contact = conn.execute(Conversation.__table__.select()  # type: ignore[attr-defined]
                                   .where(c.id == conv)).one().contact_id
            conn.execute(update(Contact.__table__).where(  # type: ignore[attr-defined]
                Contact.__table__.c.id == contact).values(email=email))  # type: ignore[attr-defined]
            base = dict(conn.execute(Message.__table__.select().where(  # type: ignore[attr-defined]
                m.conversation_id == conv).order_by(m.id)).mappings().first() or {})
            base.pop("id")
            conn.execute(Message.__table__.insert(), [  # type: ignore[attr-defined]
                {**base, "external_id": f"reply-{conv}", "direction": "out",
                 "author_kind": "agent", "contact_id": None, "text": "It is 89 €.",
                 "created_at": NOW - timedelta(minutes=5)},
                {**base, "external_id": f"spam-{conv}", "text": "buy followers",
                 "hidden": True, "hidden_reason": "spam", "created_at": NOW - timedelta(minutes=4)},
            ])
            return int(conn.execute(Lead.__table__.insert().returning(Lead.__table__.c.id), {  # type: ignore[attr-defined]
                "conversation_id": conv, "contact_id": contact, "stage": stage,
                "source_platform": "instagram", "campaign": "moulin-m2-launch",
                "promo_codes": " MOULIN10 ", "answers": {"use": "home"}, "value": 0.0,
                "crm_id": "", "crm_state": "", "created_at": NOW, "updated_at": NOW, **lead,
            }).scalar_one())

    return make
