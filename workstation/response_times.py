"""How long customers waited for our replies, recorded when a reply is written.

Reports time every first and next response of months of conversations. Working the turns of
each thread out from its messages at report time (window functions over a million messages)
took seconds, so whoever writes a reply records what it answered, once:

- `conversation.first_message_at`: the thread's earliest message, whichever way it went. The
  first response time is `first_response_at - first_message_at`, the resolution time
  `resolved_at - first_message_at` (`created_at` is when the thread reached the store, which
  for ingested threads is later than the customer wrote).
- `message.response_seconds`, on each reply that answered a waiting customer: the reply's time
  minus the customer's first message since our previous answer, around the clock. KPIs count
  open hours from it under a pausing SLA policy (`kpi_breakdowns.next_response`).

An *answer* is a reply of ours written by a person: the bot's messages (acknowledgements,
qualifier questions) leave the customer waiting, and a reply taken back (cancelled, or failed
for good) answered nothing. The writers follow the conversation's `awaiting_since` as they go
(`services.reply_thread`, `batch`, `demo.build`); `waits` works the same figures out from a
thread's messages, for the migration that fills stores written before, and for tests.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import datetime
from typing import Any, NamedTuple

import sqlalchemy as sa
from sqlalchemy import Connection

from . import bulk

WITHDRAWN = ("failed", "cancelled")
"""Delivery states (`message.extra["delivery"]`) of a reply that never reached the customer."""

# The columns read and written here, by name: the migration that fills older stores uses these
# functions too, so they must not depend on the models of a later schema.
_MESSAGE = sa.table(
    "message", sa.column("id", sa.Integer), sa.column("conversation_id", sa.Integer),
    sa.column("created_at", sa.DateTime(timezone=True)), sa.column("direction", sa.String),
    sa.column("author_kind", sa.String), sa.column("deleted", sa.Boolean),
    sa.column("extra", sa.JSON), sa.column("response_seconds", sa.Float),
)
_CONVERSATION = sa.table(
    "conversation", sa.column("id", sa.Integer),
    sa.column("first_message_at", sa.DateTime(timezone=True)),
)


class Said(NamedTuple):
    """One message of a thread, as far as waiting goes."""

    id: int
    at: datetime
    inbound: bool
    answers: bool
    """A reply of ours that answers (see the module's definition)."""


def is_answer(direction: str, author_kind: str, deleted: bool, delivery: str | None) -> bool:
    """Whether a message ends the customer's wait."""
    return (direction == "out" and author_kind != "bot" and not deleted
            and delivery not in WITHDRAWN)


def waits(thread: Iterable[Said]) -> dict[int, float]:
    """Seconds each answer of a thread's messages (in any order) made the customer wait.

    Messages are taken in time order (then id, as they were written); a customer message
    starts a wait unless one is running, an answer ends it.
    """
    result: dict[int, float] = {}
    since: datetime | None = None
    for said in sorted(thread, key=lambda s: (s.at, s.id)):
        if said.inbound:
            since = since or said.at
        elif said.answers and since is not None:
            result[said.id] = (said.at - since).total_seconds()
            since = None
    return result


def refresh(conn: Connection, conversation_ids: Sequence[int]) -> None:
    """Work `first_message_at` and the replies' `response_seconds` out again from the messages
    of these conversations, and store them."""
    conn.execute(_CONVERSATION.update().where(_CONVERSATION.c.id.in_(conversation_ids))
                 .values(first_message_at=_FIRST_MESSAGE))
    _refresh_waits(conn, conversation_ids)


def refresh_all(conn: Connection, page: int = 2_000) -> None:
    """`refresh` every conversation of the store (the waits `page` conversations at a time)."""
    conn.execute(_CONVERSATION.update().values(first_message_at=_FIRST_MESSAGE))
    ids = _CONVERSATION.c.id
    after = 0
    while True:
        chunk = list(conn.execute(sa.select(ids).where(ids > after).order_by(ids).limit(page))
                     .scalars())
        if not chunk:
            return
        _refresh_waits(conn, chunk)
        after = chunk[-1]


_FIRST_MESSAGE = (sa.select(sa.func.min(_MESSAGE.c.created_at))
                  .where(_MESSAGE.c.conversation_id == _CONVERSATION.c.id).scalar_subquery())


def _refresh_waits(conn: Connection, conversation_ids: Sequence[int]) -> None:
    m = _MESSAGE.c
    query = (
        sa.select(m.id, m.conversation_id, m.created_at, m.direction, m.author_kind, m.deleted,
                  m.extra["delivery"].as_string(), m.response_seconds)
        .where(m.conversation_id.in_(conversation_ids))
        .order_by(m.conversation_id, m.created_at, m.id)
    )
    threads: dict[int, list[Any]] = {}
    for row in conn.execute(query):
        threads.setdefault(row.conversation_id, []).append(row)
    changed = []
    for rows in threads.values():
        found = waits([Said(r[0], r[2], r[3] == "in", is_answer(r[3], r[4], r[5], r[6]))
                       for r in rows])
        changed.extend({"id": r[0], "response_seconds": found.get(r[0])} for r in rows
                       if found.get(r[0]) != r[7])
    bulk.update_by_id(conn, _MESSAGE, changed, ("response_seconds",))  # type: ignore[arg-type]
