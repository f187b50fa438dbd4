"""The supervisors' review of the bot: every qualifier flow of a period, as a transcript.

A supervisor reads what the bot said and what the customer answered, how the flow ended
(closing offer, sales, a person, an opt-out) and why, to tune flows.toml. Messages are read
from the flow's conversations (where it began and where it went on) from its start.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Engine, select

from workstation import db, permissions
from workstation.clock import iso
from workstation.models import Message, QualifierState

_Q = QualifierState.__table__.c  # type: ignore[attr-defined]
_STATE = QualifierState.__table__  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
MAX_LINES = 60
"""Lines kept per transcript: a flow is short; a long thread is cut."""


@dataclass(frozen=True, slots=True)
class Line:
    """One message of a transcript."""

    at: datetime
    author: str
    """customer, bot or agent."""
    text: str


@dataclass(frozen=True, slots=True)
class Transcript:
    """One qualifier flow and its conversation."""

    id: int
    lead_id: int | None
    flow: str
    platform: str
    lang: str
    status: str
    end_reason: str
    asked: int
    off_script: int
    conversations: tuple[int, ...]
    started_at: datetime
    ended_at: datetime | None
    lines: tuple[Line, ...]

    def to_json(self) -> dict[str, Any]:
        """JSON shape for `workstation leads review --json`."""
        return {
            "id": self.id, "lead_id": self.lead_id, "flow": self.flow,
            "platform": self.platform, "lang": self.lang, "status": self.status,
            "end_reason": self.end_reason, "asked": self.asked, "off_script": self.off_script,
            "conversations": list(self.conversations), "started_at": iso(self.started_at),
            "ended_at": iso(self.ended_at),
            "lines": [{"at": iso(x.at), "author": x.author, "text": x.text} for x in self.lines],
        }


def transcripts(engine: Engine, *, since: datetime, until: datetime | None = None,
                status: str | None = None, limit: int = 500,
                actor: str | None = None) -> list[Transcript]:
    """The flows started in [since, until), oldest first, with their messages.

    Args:
        engine: the store.
        since: the period's start.
        until: its end (now when None).
        status: only flows that ended so (handoff, sales, done, stopped) or are active.
        limit: at most this many flows.
        actor: the person asking, who must be a supervisor on a team store; None for the
            program itself (a scheduled report).

    Raises:
        PermissionDenied: the actor may not review the bot.
    """
    if actor is not None:
        permissions.require(engine, actor, "review_bot")
    query = select(_STATE).where(_Q.started_at >= since)
    if until is not None:
        query = query.where(_Q.started_at < until)
    if status is not None:
        query = query.where(_Q.status == status)
    out = []
    with db.read(engine) as conn:
        for row in conn.execute(query.order_by(_Q.started_at, _Q.id).limit(limit)).mappings():
            convs = tuple(dict.fromkeys((row["origin_conversation_id"], row["conversation_id"])))
            messages = conn.execute(
                select(_M.created_at, _M.author_kind, _M.text)
                .where(_M.conversation_id.in_(convs), _M.created_at >= _from(row),
                       _M.deleted.is_(False))
                .order_by(_M.created_at, _M.id).limit(MAX_LINES)).all()
            lines = tuple(Line(m.created_at, m.author_kind, m.text) for m in messages)
            out.append(Transcript(row["id"], row["lead_id"], row["flow"], row["platform"],
                                  row["lang"], row["status"], row["end_reason"], row["asked"],
                                  row["off_script"], convs, row["started_at"],
                                  row["ended_at"], lines))
    return out


def _from(row: Any) -> datetime:
    # The customer message that started the flow came (shortly) before the bot's first words.
    return row["started_at"] - timedelta(days=1)
