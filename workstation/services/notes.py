"""Internal notes: what the team tells itself about a conversation, never sent to the customer.

`conversations.note` is the action (checked and audited); this module only reads and writes
the table, on a connection the caller holds.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, bindparam, select

from workstation.models import ConversationNote

_N = ConversationNote.__table__.c  # type: ignore[attr-defined]
_NOTE = ConversationNote.__table__  # type: ignore[attr-defined]
_LIST = (select(_N.id, _N.conversation_id, _N.author, _N.text, _N.created_at)
         .where(_N.conversation_id == bindparam("conversation"))
         .order_by(_N.id.desc()).limit(bindparam("limit")))
NOTE_CAP = 4000
"""Longest note, in characters."""


@dataclass(frozen=True, slots=True)
class NoteView:
    """A note as the side panel shows it."""

    id: int
    conversation_id: int
    author: str
    text: str
    created_at: datetime


def add_note(conn: Connection, conversation_id: int, text: str, *, author: str,
             now: datetime) -> NoteView:
    """Write a note on the caller's transaction and return it."""
    note_id = conn.execute(_NOTE.insert().returning(_N.id), {
        "conversation_id": conversation_id, "author": author, "text": text, "created_at": now,
    }).scalar_one()
    return NoteView(int(note_id), conversation_id, author, text, now)


def list_notes(conn: Connection, conversation_id: int, *, limit: int = 50) -> tuple[NoteView, ...]:
    """The newest `limit` notes of a conversation, newest first."""
    rows = conn.execute(_LIST, {"conversation": conversation_id, "limit": limit})
    return tuple(NoteView(r.id, r.conversation_id, r.author, r.text, r.created_at) for r in rows)
