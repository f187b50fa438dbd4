"""The audit trail as a hash chain: each event carries the hash of the one before it.

Changing, removing or reordering a stored event breaks the chain at that point, which
`verify` finds by walking the trail in id order. The scheme (what is hashed, how) must never
change: the migration that introduced it hashed the events already stored with it, and every
store's history is checked against it.

`hash = sha256(prev_hash + canonical JSON of the event)`, the first event's `prev_hash` being
`GENESIS`. The canonical JSON lists the event's fields in a fixed order, the time as UTC text
with microseconds (what both engines store) and the details as `json.dumps` writes them, ASCII
only (so text that is not valid Unicode still hashes). The details keep their keys in the
order they were written: both engines keep JSON text as it came (SQLite text, PostgreSQL
`json`; never make it `jsonb`, which reorders keys), so reading them back and dumping again
gives the same text, with no sorting or normalising pass to pay for at ingest. The id is not
hashed: the database assigns it during the insert, while a batch is hashed before, in one pass.

Appending must be serialised so that two writers never link to the same predecessor: SQLite
writers already are (every write transaction starts with `BEGIN IMMEDIATE`); on PostgreSQL the
appending transaction takes an advisory lock that it holds until it commits. A trail cut at
its end still verifies: keep the head hash `verify` prints somewhere else to detect that.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, select, text

GENESIS = "0" * 64
"""The `prev_hash` of the first event of a store."""
_PG_LOCK_KEY = 0x57_53_41_55  # "WSAU": shared by every workstation process
_FIELDS = ("actor_kind", "actor", "action", "target_kind", "target_id", "conversation_id")
PAGE = 5_000


def _when(value: datetime) -> str:
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ", "microseconds")


def canonical(event: dict[str, Any], when: str | None = None) -> str:
    """The event's fields as they are hashed (see the module's docstring); `when` is the time
    already as text, when the caller has it."""
    return _DUMPS([when or _when(event["at"]), *(event.get(k) for k in _FIELDS),
                   event.get("details") or {}])


_DUMPS = json.JSONEncoder(separators=(",", ":"), ensure_ascii=True).encode


def link(prev_hash: str, event: dict[str, Any], when: str | None = None) -> str:
    """The hash of `event` following the event whose hash is `prev_hash`."""
    return hashlib.sha256((prev_hash + canonical(event, when)).encode("ascii")).hexdigest()


def lock(conn: Connection) -> None:
    """Take the trail's lock until the transaction ends (SQLite's writers hold theirs already).

    A transaction may take it early, before it reads what it will change: ingest does, so
    that its batches are serialised on PostgreSQL as they are on SQLite.
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:k)"), {"k": _PG_LOCK_KEY})


def head(conn: Connection, table: Table) -> str:
    """The hash of the newest event (GENESIS on an empty trail), read after taking the lock."""
    lock(conn)
    found = conn.execute(select(table.c.hash).order_by(table.c.id.desc()).limit(1)).scalar()
    return found or GENESIS


def chain(prev_hash: str, rows: Iterable[dict[str, Any]], details: list[str] | None = None
          ) -> str:
    """Set `prev_hash` and `hash` on each row, in order; return the last hash.

    With `details`, append each row's details as the JSON text that was hashed: storing that
    text saves writing the details a second time (reading it back gives the same details).
    """
    # `link` inlined: ingest hashes thousands of events per batch, most of them sharing their
    # time, actor and action, so the canonical list's first five fields are written once per
    # such group; the rest is written as `dumps` writes it (an int as `repr`, None as null).
    heads: dict[tuple[Any, ...], str] = {}
    sha256, dumps = hashlib.sha256, _DUMPS
    keep = details.append if details is not None else None
    for row in rows:
        group = (row["at"], row["actor_kind"], row["actor"], row["action"], row["target_kind"])
        head_text = heads.get(group)
        if head_text is None:
            head_text = heads[group] = dumps([_when(group[0]), *group[1:]])[:-1] + ","
        conv = row["conversation_id"]
        conv_text = ("null" if conv is None else repr(conv) if conv.__class__ is int
                     else dumps(conv))
        row["prev_hash"] = prev_hash
        found = dumps(row["details"] or {})
        text = (head_text + dumps(row["target_id"]) + "," + conv_text + "," + found + "]")
        prev_hash = row["hash"] = sha256((prev_hash + text).encode("ascii")).hexdigest()
        if keep is not None:
            keep(found)
    return prev_hash


@dataclass(frozen=True, slots=True)
class Verdict:
    """What `verify` found."""

    checked: int
    """Events read, up to and including the first broken one."""
    head: str
    """The hash of the last event checked (GENESIS for an empty trail)."""
    broken_id: int | None = None
    """The first event at which the chain breaks; None when intact."""
    reason: str = ""

    @property
    def intact(self) -> bool:
        """Whether every event is as it was written, in its place."""
        return self.broken_id is None


def verify(engine: Engine, table: Table) -> Verdict:
    """Walk the trail in id order and report the first event altered, removed or reordered."""
    from . import db

    prev_hash, prev_id, checked, after = GENESIS, None, 0, 0
    while True:
        with db.read(engine) as conn:
            rows = conn.execute(select(table).where(table.c.id > after)
                                .order_by(table.c.id).limit(PAGE)).mappings().all()
        if not rows:
            return Verdict(checked, prev_hash)
        for row in rows:
            checked += 1
            if row["prev_hash"] != prev_hash:
                where = f"event #{prev_id}" if prev_id is not None else "the start of the trail"
                return Verdict(checked, prev_hash, row["id"], (
                    f"event #{row['id']} does not follow {where}: an event between them was"
                    " removed, or one of them was reordered or rewritten"))
            if link(prev_hash, dict(row)) != row["hash"]:
                return Verdict(checked, prev_hash, row["id"],
                               f"event #{row['id']} was altered after it was written")
            prev_hash, prev_id = row["hash"], row["id"]
        after = rows[-1]["id"]
