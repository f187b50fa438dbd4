"""Template suggestions for a conversation, and the index they are computed from.

Building the index reads the history of well-resolved conversations once (seconds on a large
store); keep it and rebuild it in a worker now and then. `suggest_for` then costs a couple of
small queries and a few milliseconds of matching.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import Engine, or_, select

from workstation import db
from workstation.models import AuthorKind, Conversation, Direction, Message, Status
from workstation.replies import templates as templates_mod
from workstation.replies.suggest import (
    GOOD_CSAT,
    GOOD_RESOLUTIONS,
    PastReply,
    Query,
    Suggestion,
    SuggestionIndex,
)
from workstation.replies.templates import Registry

from .reply_context import load_thread

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]


def past_replies(engine: Engine, *, limit: int | None = None) -> Iterator[PastReply]:
    """Our replies in well-resolved conversations, each with the message it answered.

    Well resolved: resolved with a good code (`GOOD_RESOLUTIONS`) or a CSAT of `GOOD_CSAT` or
    more, and never with a CSAT below 3. Only people's replies count, not the bot's.
    """
    good = (
        select(_C.id).where(
            _C.status == Status.RESOLVED.value,
            or_(_C.resolution_code.in_(GOOD_RESOLUTIONS), _C.csat >= GOOD_CSAT),
            or_(_C.csat.is_(None), _C.csat >= 3),
        )
    )
    query = (
        select(_M.conversation_id, _M.direction, _M.author_kind, _M.text, _M.extra)
        .where(_M.conversation_id.in_(good), _M.deleted.is_(False))
        .order_by(_M.conversation_id, _M.created_at, _M.id)
    )
    produced = 0
    with db.read(engine) as conn:
        current, inbound = None, ""
        for row in conn.execution_options(yield_per=5000).execute(query):
            if row.conversation_id != current:
                current, inbound = row.conversation_id, ""
            if row.direction == Direction.IN.value:
                inbound = row.text
            elif inbound and row.author_kind == AuthorKind.AGENT.value:
                template_id = (row.extra or {}).get("template_id", "")
                yield PastReply(inbound, row.text, template_id if isinstance(template_id, str)
                                else "")
                produced += 1
                inbound = ""
                if limit is not None and produced >= limit:
                    return


def suggestion_index(engine: Engine, registry: Registry | None = None) -> SuggestionIndex:
    """Build the suggestion index from the templates and the store's history."""
    return SuggestionIndex(registry or templates_mod.load(), past_replies(engine))


def suggest_for(
    engine: Engine, conversation_id: int, index: SuggestionIndex, *,
    channel: str | None = None, limit: int = 5,
) -> list[Suggestion]:
    """The best templates to answer a conversation, with the reason for each.

    Raises:
        NotFound: there is no such conversation.
    """
    with db.read(engine) as conn:
        thread = load_thread(conn, conversation_id)
    channel = channel or ("dm" if thread.kind == "dm" else "public")
    query = Query(thread.last_inbound_text, thread.lang, channel, thread.intents)
    return index.suggest(query, limit)
