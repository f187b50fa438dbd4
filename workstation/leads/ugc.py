"""UGC rights: ask a customer who shared the product for the right to reuse it, read the answer.

A share is an image or video attached to the message (`attachments`, kept as extra data), a
mention carrying `media`, or wording from flows.toml ("my photo", "ma photo", "check
out my"). The bot asks once per conversation, in private; the customer's yes or no (both
languages, "no problem" is a yes) is recorded on the `ugc_rights_request` row with its date,
and an unclear answer goes to a person (tag `ugc-review`).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, select, update

from workstation import audit, bulk
from workstation.events import Event
from workstation.models import Conversation, Message, Priority, UgcRightsRequest
from workstation.replies.templates import Registry

from . import outbound
from .config import FlowBook
from .reading import has_media

_U = UgcRightsRequest.__table__.c  # type: ignore[attr-defined]
_UGC = UgcRightsRequest.__table__  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


def read_answer(book: FlowBook, folded: str) -> str:
    """yes, no, or unclear; the longest phrase found wins ("no problem" is a yes)."""
    found = [(len(p.split()), answer) for phrases, answer in ((book.ugc_yes, "yes"),
                                                              (book.ugc_no, "no"))
             for p in phrases.phrases if f" {p} " in folded]
    if not found:
        return "unclear"
    best = max(n for n, _ in found)
    answers = {a for n, a in found if n == best}
    return answers.pop() if len(answers) == 1 else "unclear"


def request(conn: Connection, book: FlowBook, conversation_id: int, event: Event, *,
            lang: str, now: datetime, registry: Registry | None = None) -> bool:
    """Ask for the rights once per conversation; whether a request was made."""
    asked = conn.execute(select(_U.id).where(_U.conversation_id == conversation_id)).first()
    if asked is not None:
        return False
    message = conn.execute(select(_M.id).where(_M.platform == event.platform,
                                               _M.external_id == event.id)).scalar()
    sent = outbound.send_template(conn, conversation_id, book.ugc_template, lang=lang,
                                  key=f"ugc:{event.platform}:{event.id}"[:128], now=now,
                                  registry=registry)
    if not sent:
        return False
    request_id = conn.execute(_UGC.insert().returning(_U.id), {
        "conversation_id": conversation_id, "message_id": message, "state": "requested",
        "requested_at": now, "answered_at": None}).scalar_one()
    audit.record(conn, "ugc.requested", **outbound.BOT, target_kind="ugc_rights_request",
                 target_id=request_id, conversation_id=conversation_id, at=now,
                 details={"message": event.id, "media": has_media(event)})
    return True


class Pending(NamedTuple):
    """A request waiting for its answer, and whose conversation it is."""

    id: int
    conversation_id: int
    contact_id: int | None
    platform: str


def pending(conn: Connection, conversations: set[int], contacts: set[int]) -> list[Pending]:
    """Requests still waiting for an answer, in these conversations or from these people.

    Ingest asks this for every batch, with thousands of conversations: plain statements per
    few hundred keys (`bulk.select_in`), not a join on two expanding IN lists.
    """
    ugc, convs = _UGC, Conversation.__table__  # type: ignore[attr-defined]
    theirs = {row[0] for row in bulk.select_in(conn, convs, ("id",), "contact_id",
                                                sorted(contacts))}
    asked = bulk.select_in(conn, ugc, ("id", "conversation_id"), "conversation_id",
                           sorted(conversations | theirs), state="requested")
    if not asked:
        return []
    where = {row[0]: row for row in bulk.select_in(
        conn, convs, ("id", "contact_id", "platform"), "id", sorted({c for _, c in asked}))}
    return [Pending(request, conv, where[conv][1], where[conv][2])
            for request, conv in sorted(asked)]


def answer(conn: Connection, book: FlowBook, request_row: Any, conversation_id: int,
           folded: str, *, now: datetime) -> str:
    """Record the customer's answer to a request; returns yes, no or unclear."""
    said = read_answer(book, folded)
    where = {"target_kind": "ugc_rights_request", "target_id": request_row.id,
             "conversation_id": conversation_id, "at": now}
    if said == "unclear":
        outbound.route(conn, conversation_id, role="agent", reason="UGC answer unclear",
                       tag="ugc-review", now=now, priority=Priority.NORMAL, escalate=False,
                       auto_assign=frozenset())
        audit.record(conn, "ugc.unclear", **outbound.BOT, **where, details={})
        return said
    state = "granted" if said == "yes" else "refused"
    conn.execute(update(_UGC).where(_U.id == request_row.id)
                 .values(state=state, answered_at=now))
    audit.record(conn, f"ugc.{state}", **outbound.BOT, **where,
                 details={"answered_at": now.isoformat()})
    return said

