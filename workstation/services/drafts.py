"""Composer drafts: a reply being written survives leaving the screen and restarting the app.

A draft is kept per agent and conversation. It stores the composer's inputs (template, slot
values, variant choices, freehand text, channel) and the idempotency key made when the draft
started, so that sending it twice, or again after a crash, queues one reply. Drafts are
private working state, not a change to the conversation, so they are not audited; the reply
they become is.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, bindparam, delete, select
from sqlalchemy.dialects import postgresql, sqlite

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.models import ComposerDraft, Outbox

_D = ComposerDraft.__table__.c  # type: ignore[attr-defined]
_DRAFT = ComposerDraft.__table__  # type: ignore[attr-defined]
_O = Outbox.__table__.c  # type: ignore[attr-defined]
_READ = select(_DRAFT).where(_D.conversation_id == bindparam("conversation"),
                             _D.agent == bindparam("agent"))
_SENT = select(_O.id).where(_O.idempotency_key == bindparam("key"))
TEXT_CAP = 20_000
"""Longest freehand text kept, in characters (the longest reply any platform takes is 8,000)."""


def new_key() -> str:
    """A fresh idempotency key for a draft."""
    return f"composer-{uuid.uuid4().hex}"


@dataclass(frozen=True)
class DraftState:
    """The composer's inputs for one conversation, as saved."""

    conversation_id: int
    channel: str = "public"
    template_id: str = ""
    lang: str = ""
    values: Mapping[str, str] = field(default_factory=dict)
    """Slot values the agent typed (the ones read from the thread are not saved)."""
    choices: Mapping[str, int] = field(default_factory=dict)
    text: str = ""
    """Freehand text, or the rendering as the agent edited it; '' while the template rules."""
    idempotency_key: str = field(default_factory=new_key)
    updated_at: datetime | None = None

    @property
    def empty(self) -> bool:
        """Whether there is nothing worth keeping (no template, no text, no value)."""
        return not self.template_id and not self.text.strip() and not any(self.values.values())


def _state(row: Any) -> DraftState:
    return DraftState(
        row.conversation_id, row.channel, row.template_id, row.lang,
        {str(k): str(v) for k, v in (row.values or {}).items()},
        {str(k): int(v) for k, v in (row.choices or {}).items()},
        row.text, row.idempotency_key, row.updated_at,
    )


def load_draft(engine: Engine, conversation_id: int, agent: str) -> DraftState | None:
    """The agent's saved draft for a conversation, if any."""
    with db.read(engine) as conn:
        return read_draft(conn, conversation_id, agent)


def read_draft(conn: Connection, conversation_id: int, agent: str) -> DraftState | None:
    """`load_draft` on a connection the caller holds.

    A draft whose key is already in the outbox was sent (the app stopped before forgetting
    it): it is not returned.
    """
    row = conn.execute(_READ, {"conversation": conversation_id, "agent": agent}).one_or_none()
    if row is None or _sent(conn, row.idempotency_key):
        return None
    return _state(row)


def _sent(conn: Connection, key: str) -> bool:
    return conn.execute(_SENT, {"key": key}).first() is not None


def save_draft(engine: Engine, draft: DraftState, agent: str, *,
               clock: Clock = utcnow) -> DraftState:
    """Keep the agent's draft (replacing the one they had); an empty draft is discarded.

    A draft whose key is already in the outbox was sent meanwhile (a save that raced the
    send): it is discarded instead, so a sent reply never comes back as a draft.
    """
    if draft.empty:
        discard_draft(engine, draft.conversation_id, agent)
        return draft
    now = clock()
    row = {
        "conversation_id": draft.conversation_id, "agent": agent, "channel": draft.channel,
        "template_id": draft.template_id, "lang": draft.lang,
        "values": {k: v for k, v in draft.values.items() if v},
        "choices": dict(draft.choices), "text": draft.text[:TEXT_CAP],
        "idempotency_key": draft.idempotency_key, "updated_at": now,
    }
    with db.write(engine) as conn:
        if _sent(conn, draft.idempotency_key):
            conn.execute(delete(_DRAFT).where(_D.conversation_id == draft.conversation_id,
                                              _D.agent == agent))
            return DraftState(draft.conversation_id)
        dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
        statement = dialect.insert(_DRAFT).values(row)
        conn.execute(statement.on_conflict_do_update(
            index_elements=["conversation_id", "agent"],
            set_={k: statement.excluded[k] for k in row if k not in ("conversation_id", "agent")},
        ))
    return DraftState(draft.conversation_id, draft.channel, draft.template_id, draft.lang,
                      row["values"], row["choices"], row["text"], draft.idempotency_key, now)


def discard_draft(engine: Engine, conversation_id: int, agent: str) -> bool:
    """Forget the agent's draft for a conversation; False if there was none."""
    with db.write(engine) as conn:
        result = conn.execute(delete(_DRAFT).where(
            _D.conversation_id == conversation_id, _D.agent == agent))
    return bool(result.rowcount)
