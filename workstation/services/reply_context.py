"""What replying needs to know about a conversation, read in one place.

The composer's preview, `send_reply`'s re-check and the suggestions all need the same facts:
platform, kind, language, intents, the customer's names and contact details (to fill slots and
to catch them in a public reply), when the customer last wrote (DM windows), which message to
answer, how many questions the bot already asked, and who is sending.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Connection, select

from workstation.models import Agent, AuthorKind, Contact, Conversation, Direction, Message
from workstation.replies import slots
from workstation.replies.guardrails import count_questions

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_P = Contact.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]


class NotFound(LookupError):
    """No such conversation, template or agent."""


@dataclass(frozen=True, slots=True)
class Thread:
    """A conversation as replying sees it."""

    id: int
    platform: str
    kind: str
    lang: str
    intents: tuple[str, ...]
    tags: tuple[str, ...]
    status: str
    contact_id: int | None
    contact_name: str
    contact_handle: str
    contact_email: str
    contact_phone: str
    last_inbound_at: datetime | None
    last_inbound_text: str
    reply_to: str
    """The platform id of the customer's latest message: what a public reply answers."""
    bot_questions: int
    """Questions the bot has asked in this thread so far."""


def load_thread(conn: Connection, conversation_id: int) -> Thread:
    """Read a conversation for replying.

    Raises:
        NotFound: there is no such conversation.
    """
    row = conn.execute(
        select(_C.id, _C.platform, _C.kind, _C.lang, _C.intents, _C.tags, _C.status,
               _C.contact_id, _C.last_inbound_at, _P.name, _P.handle, _P.email, _P.phone)
        .select_from(Conversation.__table__)  # type: ignore[attr-defined]
        .outerjoin(Contact.__table__, _P.id == _C.contact_id)  # type: ignore[attr-defined]
        .where(_C.id == conversation_id)
    ).one_or_none()
    if row is None:
        raise NotFound(f"no conversation #{conversation_id}")
    last = conn.execute(
        select(_M.external_id, _M.text)
        .where(_M.conversation_id == conversation_id, _M.direction == Direction.IN.value)
        .order_by(_M.created_at.desc(), _M.id.desc()).limit(1)
    ).one_or_none()
    bot_texts = conn.execute(
        select(_M.text).where(
            _M.conversation_id == conversation_id, _M.direction == Direction.OUT.value,
            _M.author_kind == AuthorKind.BOT.value, _M.deleted.is_(False),
        )
    ).scalars()
    return Thread(
        id=row.id, platform=row.platform, kind=row.kind, lang=row.lang or "",
        intents=tuple(row.intents.split()), tags=tuple(row.tags.split()), status=row.status,
        contact_id=row.contact_id, contact_name=row.name or "", contact_handle=row.handle or "",
        contact_email=row.email or "", contact_phone=row.phone or "",
        last_inbound_at=row.last_inbound_at,
        last_inbound_text=last.text if last else "", reply_to=last.external_id if last else "",
        bot_questions=sum(count_questions(t) for t in bot_texts),
    )


@dataclass(frozen=True, slots=True)
class Sender:
    """Who sends a reply: an agent of the team, or the bot."""

    author_kind: str
    agent_id: int | None = None
    name: str = ""
    """The agent's login, or "bot"."""
    first_name: str = ""
    """What the `{agent}` slot says."""


def resolve_agent(conn: Connection, name: str | None, *, bot: bool = False) -> Sender:
    """The sender: the bot, an agent found by login, or nobody in particular.

    Raises:
        NotFound: no agent has this login.
    """
    if bot:
        return Sender(AuthorKind.BOT.value, name="bot")
    if not name:
        return Sender(AuthorKind.AGENT.value)
    row = conn.execute(select(_A.id, _A.name, _A.display_name).where(_A.name == name)).first()
    if row is None:
        raise NotFound(f"no agent named {name!r}")
    return Sender(AuthorKind.AGENT.value, row.id, row.name,
                  slots.first_name(row.display_name) or row.name)
