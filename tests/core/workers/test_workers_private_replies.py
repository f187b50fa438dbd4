"""Against the sandbox, which refuses what Meta refuses: the first DM to a commenter goes as
the comment's private reply, a second is refused before it is queued, and once the customer
writes back privately the next one goes to their DM thread (recipient id)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, select

from tests.sandbox_control import TOKEN, Control, env_for
from workstation import db
from workstation.connectors import configured
from workstation.models import Conversation, Message
from workstation.pipeline import Pipeline
from workstation.sandbox import SandboxServer
from workstation.services import outbox
from workstation.services.replies import Draft, ReplyBlocked, compose, send_reply
from workstation.workers.outgoing import by_platform
from workstation.workers.sender import send_outbox
from workstation.workers.syncer import poll_connectors

_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(token=TOKEN, seed_value=3).start()
    yield server
    server.stop()


def conversation_of(engine: Engine, message_id: str) -> tuple[int, str]:
    with db.read(engine) as conn:
        row = conn.execute(select(_C.id, _C.thread_key).join(
            Message.__table__, _M.conversation_id == _C.id)  # type: ignore[attr-defined]
            .where(_M.platform == "instagram", _M.external_id == message_id)).one()
    return int(row.id), str(row.thread_key)


def test_dms_to_a_commenter_follow_the_one_private_reply_rule(
    engine: Engine, sandbox: SandboxServer,
) -> None:
    control = Control(sandbox)
    # Praise: the shipped rules answer it in public at most, never with a DM of the bot's.
    comment = control.inject("instagram_comment", "Très belle photo, bravo à toute l'équipe !")
    customer = comment["author"]
    pipeline = Pipeline()
    connectors = configured(engine, env_for(sandbox))

    def sync() -> None:
        assert poll_connectors(engine, connectors, pipeline=lambda: pipeline).errors == []
        report = send_outbox(engine, by_platform(connectors))
        assert report.failed == report.unknown == 0

    def dm(conversation: int, text: str) -> Draft:
        return compose(engine, conversation, text=text, channel="dm")

    try:
        sync()
        conv, _ = conversation_of(engine, comment["id"])
        gift = send_reply(engine, dm(conv, "Merci ! Un petit cadeau vous attend en MP."))
        sync()

        again = dm(conv, "Vous avez vu notre message ?")
        assert not again.sendable and "one private reply per comment" in again.reasons[0]
        with pytest.raises(ReplyBlocked):
            send_reply(engine, again)

        answer = control.inject("instagram_dm", "Oh merci ! C'est quoi ?", author=customer)
        sync()
        thread, key = conversation_of(engine, answer["id"])
        assert key == f"dm:{customer}"
        code = dm(conv, "Un bon de 10 % sur votre prochaine commande : LUMEN10")
        assert code.sendable and code.conversation_id == thread
        followed = send_reply(engine, code)
        sync()

        ours = {gift.text: comment["id"], followed.text: customer}
        arrived = [(s["text"], s["target"]) for s in control.sent("dm") if s["text"] in ours]
        assert arrived == list(ours.items())  # each once: the private reply, then by id
        assert {outbox.get(engine, r.id).state for r in (gift, followed)} == {"sent"}
        assert [r.id for r in outbox.list_outbox(engine) if r.channel == "dm"
                and r.author_kind == "agent"] == [followed.id, gift.id]
    finally:
        for connector in connectors:
            connector.close()
