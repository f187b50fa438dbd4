"""UGC rights as the bot and people change them: asked, granted, refused, revoked.

A right is one `ugc_rights_request` row: where the content came from (platform, the message
or post that shared it, its address and media), who made it and how to credit them, and the
window the creator consented to. Every change writes its `ugc.*` audit event in the same
transaction. The `*_conn` functions run inside a transaction the caller holds (the bot's,
during ingest); the others open their own and check the actor's role first.

Expiry is read, not written: a grant whose `usage_until` has passed shows as `expired`, and
the row keeps the consent exactly as it was given.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Engine, or_, select, update

from workstation import audit, bulk, db, permissions
from workstation.clock import Clock, iso, to_utc, utcnow
from workstation.models import ActorKind, Conversation, UgcRightsRequest
from workstation.replies.slots import clean

_U = UgcRightsRequest.__table__.c  # type: ignore[attr-defined]
_UGC = UgcRightsRequest.__table__  # type: ignore[attr-defined]
STATUSES = ("requested", "granted", "expired", "refused", "revoked")
"""What `list_rights` shows; `expired` is a grant past its window."""
MAX_CREDIT = 120
"""A credit longer than this is cut: it goes under a post."""
BOT = {"actor": "bot", "actor_kind": ActorKind.BOT}


class UgcError(ValueError):
    """The change cannot be made as asked (no such right, wrong state, a bad window)."""


@dataclass(frozen=True, slots=True)
class Origin:
    """Where shared content came from, as the bot read it from the customer's message."""

    platform: str
    kind: str
    """comment, dm or mention."""
    message_id: str
    """The platform's id of the message or post that shared it."""
    url: str = ""
    media: tuple[dict[str, str], ...] = ()
    creator: str = ""
    """The creator's @handle, else their name."""


@dataclass(frozen=True, slots=True)
class UgcRight:
    """A right as lists and exports show it."""

    id: int
    conversation_id: int
    status: str
    """One of STATUSES."""
    platform: str
    origin_kind: str
    origin_id: str
    origin_url: str
    media: tuple[dict[str, str], ...]
    creator: str
    credit: str
    usage_from: datetime | None
    usage_until: datetime | None
    requested_at: datetime
    answered_at: datetime | None
    revoked_at: datetime | None

    def to_json(self) -> dict[str, Any]:
        """JSON shape for `workstation ugc list --json` and `ugc export --format json`."""
        return {
            "id": self.id, "conversation_id": self.conversation_id, "status": self.status,
            "origin": {"platform": self.platform, "kind": self.origin_kind,
                       "id": self.origin_id, "url": self.origin_url,
                       "media": [dict(m) for m in self.media]},
            "creator": self.creator, "credit": self.credit,
            "usage": {"from": iso(self.usage_from), "until": iso(self.usage_until)},
            "requested_at": iso(self.requested_at), "answered_at": iso(self.answered_at),
            "revoked_at": iso(self.revoked_at),
        }


def status_of(state: str, usage_until: datetime | None, now: datetime) -> str:
    """The state as shown: a grant past its window is expired."""
    if state == "granted" and usage_until is not None and to_utc(usage_until) <= to_utc(now):
        return "expired"
    return state


def add_months(moment: datetime, months: int) -> datetime:
    """The same day `months` later (the month's last day when it is shorter)."""
    years, month = divmod(moment.month - 1 + months, 12)
    year = moment.year + years
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _right(row: Any, now: datetime) -> UgcRight:
    return UgcRight(row.id, row.conversation_id, status_of(row.state, row.usage_until, now),
                    row.platform, row.origin_kind, row.origin_id, row.origin_url,
                    tuple(m for m in (row.media or []) if isinstance(m, dict)), row.creator,
                    row.credit, row.usage_from, row.usage_until, row.requested_at,
                    row.answered_at, row.revoked_at)


def _row(conn: Connection, request_id: int) -> Any:
    row = conn.execute(select(_UGC).where(_U.id == request_id).with_for_update()).one_or_none()
    if row is None:
        raise UgcError(f"no UGC right #{request_id}")
    return row


def _event(conn: Connection, action: str, row: Any, now: datetime, actor: str,
           actor_kind: ActorKind, **details: Any) -> None:
    audit.record(conn, action, actor=actor, actor_kind=actor_kind,
                 target_kind="ugc_rights_request", target_id=row.id,
                 conversation_id=row.conversation_id, at=now, details=details)


def _credit(text: str) -> str:
    value = clean(text).strip()
    return value if len(value) <= MAX_CREDIT else value[:MAX_CREDIT - 1] + "…"


# -- the bot, inside ingest's transaction -----------------------------------------------------

def request_conn(conn: Connection, conversation_id: int, message_id: int | None,
                 origin: Origin, *, now: datetime) -> int:
    """Record that the creator was asked (`ugc.requested`); the new row's id."""
    request_id = conn.execute(_UGC.insert().returning(_U.id), {
        "conversation_id": conversation_id, "message_id": message_id, "state": "requested",
        "requested_at": now, "answered_at": None, "platform": origin.platform,
        "origin_kind": origin.kind, "origin_id": origin.message_id[:200],
        "origin_url": origin.url, "media": [dict(m) for m in origin.media],
        "creator": _credit(origin.creator), "credit": "", "usage_from": None,
        "usage_until": None, "revoked_at": None}).scalar_one()
    audit.record(conn, "ugc.requested", **BOT, target_kind="ugc_rights_request",
                 target_id=request_id, conversation_id=conversation_id, at=now,
                 details={"message": origin.message_id, "media": len(origin.media),
                          "platform": origin.platform})
    return int(request_id)


def grant_conn(conn: Connection, request_id: int, *, now: datetime, months: int,
               credit: str = "", actor: str = "bot",
               actor_kind: ActorKind = ActorKind.BOT) -> None:
    """The creator said yes: usable from now for `months`, credited as they asked (else as
    their handle or name).

    Raises:
        UgcError: no such request, or it was already answered.
    """
    row = _row(conn, request_id)
    if row.state != "requested":
        raise UgcError(f"UGC right #{request_id} is {row.state}, not waiting for an answer")
    until = add_months(now, months)
    given = _credit(credit) or row.creator
    conn.execute(update(_UGC).where(_U.id == request_id).values(
        state="granted", answered_at=now, usage_from=now, usage_until=until, credit=given))
    _event(conn, "ugc.granted", row, now, actor, actor_kind, credit=given,
           usage_from=iso(now), usage_until=iso(until), asked_credit=bool(_credit(credit)))


def refuse_conn(conn: Connection, request_id: int, *, now: datetime, actor: str = "bot",
                actor_kind: ActorKind = ActorKind.BOT) -> None:
    """The creator said no.

    Raises:
        UgcError: no such request, or it was already answered.
    """
    row = _row(conn, request_id)
    if row.state != "requested":
        raise UgcError(f"UGC right #{request_id} is {row.state}, not waiting for an answer")
    conn.execute(update(_UGC).where(_U.id == request_id).values(state="refused",
                                                                answered_at=now))
    _event(conn, "ugc.refused", row, now, actor, actor_kind, answered_at=iso(now))


def revoke_conn(conn: Connection, request_id: int, *, now: datetime, reason: str,
                actor: str = "bot", actor_kind: ActorKind = ActorKind.BOT) -> None:
    """The creator withdrew the consent: the content may not be used from now on.

    Raises:
        UgcError: no such right, or it was never granted (or is already revoked).
    """
    row = _row(conn, request_id)
    if row.state != "granted":
        raise UgcError(f"UGC right #{request_id} is {row.state}: only a granted right can "
                       "be revoked")
    conn.execute(update(_UGC).where(_U.id == request_id).values(state="revoked",
                                                                revoked_at=now))
    _event(conn, "ugc.revoked", row, now, actor, actor_kind, reason=reason[:300],
           was_until=iso(row.usage_until))


class OpenRequest(NamedTuple):
    """A right a customer's message may answer or withdraw, with its conversation's person."""

    id: int
    conversation_id: int
    state: str
    creator: str
    contact_id: int | None
    platform: str


def open_requests(conn: Connection, conversations: set[int], contacts: set[int],
                  *, now: datetime) -> list[OpenRequest]:
    """Rights a customer's message may speak to, in these conversations or from these
    people: requests waiting for an answer first, then grants still in force (which a
    message can withdraw)."""
    if not conversations and not contacts:
        return []
    # Ingest asks this for the thousands of conversations of a batch: looked up by index
    # through plain IN lists (`bulk.select_in`), where one statement joining both keys with
    # an OR and SQLAlchemy's expanding IN cost 10 ms a batch, and filtered here.
    conversation = Conversation.__table__  # type: ignore[attr-defined]
    wanted = set(conversations)
    if contacts:
        wanted.update(row[0] for row in bulk.select_in(
            conn, conversation, ("id",), "contact_id", sorted(contacts)))
    found = [row for row in bulk.select_in(
        conn, _UGC, ("id", "conversation_id", "state", "creator", "usage_until"),
        "conversation_id", sorted(wanted))
        if row[2] == "requested"
        or (row[2] == "granted" and (row[4] is None or row[4] > now))]
    if not found:
        return []
    people = {row[0]: row[1:] for row in bulk.select_in(
        conn, conversation, ("id", "contact_id", "platform"), "id",
        sorted({row[1] for row in found}))}
    rows = [OpenRequest(ident, conv, state, creator, *people[conv])
            for ident, conv, state, creator, _ in found]
    return sorted(rows, key=lambda r: (r.state != "requested", r.id))


# -- people ----------------------------------------------------------------------------------

def _change(engine: Engine, request_id: int, actor: str, clock: Clock,
            change: Any) -> UgcRight:
    permissions.require(engine, actor, "edit_ugc", clock=clock)
    now = clock()
    with db.write(engine) as conn:
        change(conn, now)
        row = conn.execute(select(_UGC).where(_U.id == request_id)).one()
    return _right(row, now)


def grant(engine: Engine, request_id: int, *, actor: str, months: int, credit: str = "",
          clock: Clock = utcnow) -> UgcRight:
    """A person records a yes the bot could not read (an answer tagged ugc-review).

    Raises:
        UgcError: no such request, or it was already answered.
        PermissionDenied: the actor may not edit UGC rights.
    """
    return _change(engine, request_id, actor, clock, lambda conn, now: grant_conn(
        conn, request_id, now=now, months=months, credit=credit, actor=actor,
        actor_kind=ActorKind.AGENT))


def refuse(engine: Engine, request_id: int, *, actor: str, clock: Clock = utcnow) -> UgcRight:
    """A person records a no the bot could not read.

    Raises:
        UgcError: no such request, or it was already answered.
        PermissionDenied: the actor may not edit UGC rights.
    """
    return _change(engine, request_id, actor, clock, lambda conn, now: refuse_conn(
        conn, request_id, now=now, actor=actor, actor_kind=ActorKind.AGENT))


def revoke(engine: Engine, request_id: int, *, actor: str, reason: str = "",
           clock: Clock = utcnow) -> UgcRight:
    """The creator withdrew their consent (told a person, by any channel).

    Raises:
        UgcError: no such right, or it is not granted.
        PermissionDenied: the actor may not edit UGC rights.
    """
    return _change(engine, request_id, actor, clock, lambda conn, now: revoke_conn(
        conn, request_id, now=now, reason=reason or "withdrawn by the creator", actor=actor,
        actor_kind=ActorKind.AGENT))


def set_credit(engine: Engine, request_id: int, credit: str, *, actor: str,
               clock: Clock = utcnow) -> UgcRight:
    """Credit the creator as they asked (a name, another account).

    Raises:
        UgcError: no such right, or an empty credit.
        PermissionDenied: the actor may not edit UGC rights.
    """
    value = _credit(credit)
    if not value:
        raise UgcError("a credit needs some text, e.g. \"@lea.photo\" or \"Léa M.\"")

    def change(conn: Connection, now: datetime) -> None:
        row = _row(conn, request_id)
        if value != row.credit:
            conn.execute(update(_UGC).where(_U.id == request_id).values(credit=value))
            _event(conn, "ugc.credit", row, now, actor, ActorKind.AGENT, credit=value,
                   previous=row.credit)

    return _change(engine, request_id, actor, clock, change)


def set_window(engine: Engine, request_id: int, *, until: datetime,
               start: datetime | None = None, actor: str,
               clock: Clock = utcnow) -> UgcRight:
    """Change the usage window of a grant (the creator agreed to another period).

    Raises:
        UgcError: no such right, not granted, or the window ends before it starts.
        PermissionDenied: the actor may not edit UGC rights.
    """

    def change(conn: Connection, now: datetime) -> None:
        row = _row(conn, request_id)
        if row.state != "granted":
            raise UgcError(f"UGC right #{request_id} is {row.state}: only a granted right "
                           "has a usage window")
        begin = to_utc(start) if start is not None else to_utc(row.usage_from or now)
        if to_utc(until) <= begin:
            raise UgcError("the usage window must end after it starts")
        conn.execute(update(_UGC).where(_U.id == request_id).values(
            usage_from=begin, usage_until=to_utc(until)))
        _event(conn, "ugc.window", row, now, actor, ActorKind.AGENT, usage_from=iso(begin),
               usage_until=iso(until), previous_until=iso(row.usage_until))

    return _change(engine, request_id, actor, clock, change)


def list_rights(engine: Engine, *, status: str | None = None, limit: int | None = None,
                clock: Clock = utcnow) -> list[UgcRight]:
    """Rights, newest request first, optionally of one status (see STATUSES).

    Raises:
        UgcError: unknown status.
    """
    now = clock()
    query = select(_UGC)
    if status is not None:
        if status not in STATUSES:
            raise UgcError(f"unknown status {status!r}: one of {', '.join(STATUSES)}")
        if status == "granted":
            query = query.where(_U.state == "granted",
                                or_(_U.usage_until.is_(None), _U.usage_until > now))
        elif status == "expired":
            query = query.where(_U.state == "granted", _U.usage_until <= now)
        else:
            query = query.where(_U.state == status)
    query = query.order_by(_U.id.desc())
    if limit is not None:
        query = query.limit(limit)
    with db.read(engine) as conn:
        return [_right(row, now) for row in conn.execute(query)]


def get(engine: Engine, request_id: int, *, clock: Clock = utcnow) -> UgcRight:
    """One right.

    Raises:
        UgcError: no such right.
    """
    with db.read(engine) as conn:
        row = conn.execute(select(_UGC).where(_U.id == request_id)).one_or_none()
    if row is None:
        raise UgcError(f"no UGC right #{request_id}")
    return _right(row, clock())


def of_conversation(conn: Connection, conversation_id: int, now: datetime) -> UgcRight | None:
    """The conversation's newest right (asked once per conversation: at most one as a rule),
    for the conversation screen's side panel."""
    row = conn.execute(select(_UGC).where(_U.conversation_id == conversation_id)
                       .order_by(_U.id.desc()).limit(1)).one_or_none()
    return _right(row, now) if row is not None else None
