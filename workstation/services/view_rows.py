"""Reading a saved view from the store: counts, keyset pages, where a row stands, live changes.

A queue view can hold 200,000 conversations, so it is never read whole: the UI asks for a page
after (or before) a row it already has, by that row's sort key (keyset pagination, which stays
fast however deep the page; an OFFSET only serves a jump into the unknown middle), and
for the rank of one conversation when the data moved under the cursor. Every function is
synchronous and returns frozen read models; the UI calls them from thread workers.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Engine,
    and_,
    case,
    exists,
    false,
    func,
    or_,
    select,
    true,
)

from workstation import core_tables, db

from .views import ViewDef

# Core table clauses, not the ORM models: this module is on the path to the queue's first
# paint (see `workstation.core_tables`).
_CONV = core_tables.conversation
_C = _CONV.c
_P = core_tables.contact.c
_M = core_tables.message.c
_L = core_tables.lead.c
_E = core_tables.audit_event.c
_AGENT = core_tables.agent
_ASSIGNEE = _AGENT.alias("assignee")
_VIEWER = _AGENT.alias("viewer")
_SEARCH_FIELDS = ("author", "text", "tag", "intent", "platform")

Key = tuple[Any, ...]
"""A row's position in its view's order: the values of the view's sort expressions."""


@dataclass(frozen=True, slots=True)
class QueueItem:
    """One conversation as a queue row shows it. Strings are raw platform text: make inert."""

    id: int
    platform: str
    kind: str
    author: str
    vip: bool
    intents: tuple[str, ...]
    tags: tuple[str, ...]
    sentiment: float
    priority: int
    sla_due_at: datetime | None
    last_text: str
    assignee: str
    viewer: str
    """Login of the agent holding a live claim on it (viewing it now), '' when nobody is."""
    status: str
    escalated: bool
    moderation: str
    version: int
    key: Key = field(compare=False)


@dataclass(frozen=True, slots=True)
class ViewQuery:
    """A view as read at one moment, by one agent, narrowed by the filter bar's text."""

    view: ViewDef
    agent: str
    now: datetime
    """Fixed per read, so that pages of one reading agree on "breaching within the hour"."""
    search: str = ""


def _sort_keys(sort: str) -> list[tuple[ColumnElement[Any], bool, bool]]:
    """(expression, descending, nullable) of each sort key; the id always breaks ties."""
    sla_missing = case((_C.sla_due_at.is_(None), 1), else_=0)
    if sort == "priority":
        return [(_C.priority, True, False), (sla_missing, False, False),
                (_C.sla_due_at, False, True), (_C.id, False, False)]
    if sort == "newest":
        return [(_C.last_message_at, True, False), (_C.id, True, False)]
    if sort == "oldest":
        return [(_C.last_message_at, False, False), (_C.id, False, False)]
    return [(sla_missing, False, False), (_C.sla_due_at, False, True),
            (_C.priority, True, False), (_C.id, False, False)]


def _beyond(sort: str, key: Key, *, forward: bool) -> ColumnElement[bool]:
    """Rows strictly after `key` in the view's order (before it when not `forward`)."""
    keys = _sort_keys(sort)
    alternatives = []
    for i, (expr, descending, _nullable) in enumerate(keys):
        value = key[i]
        if value is None:
            continue  # no row is beyond a NULL within the group its "missing" flag made
        equal = [keys[j][0].is_(None) if key[j] is None else keys[j][0] == key[j]
                 for j in range(i)]
        step = expr < value if descending == forward else expr > value
        alternatives.append(and_(*equal, step))
    return or_(*alternatives) if alternatives else false()


def _slug_in(column: Any, slugs: tuple[str, ...], *, prefix: bool = False) -> ColumnElement[bool]:
    """A space-bounded slug list (" a b ") holds one of `slugs` (or one starting so)."""
    return or_(*(column.like(f"% {s}{'%' if prefix else ' %'}", escape="\\") for s in
                 (_escape_like(s.lower()) for s in slugs)))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def _me(agent: str) -> Any:
    return select(_AGENT.c.id).where(_AGENT.c.name == agent).scalar_subquery()


def view_condition(view: ViewDef, agent: str, now: datetime) -> ColumnElement[bool]:
    """The SQL condition of a view, for the agent at the keyboard at time `now`."""
    f = view.filter
    parts: list[ColumnElement[bool]] = []
    if f.assignee == "me":
        parts.append(or_(_C.assignee_id == _me(agent),
                         and_(_C.claimed_by == _me(agent), _C.claim_expires_at > now)))
    elif f.assignee == "none":
        parts.append(_C.assignee_id.is_(None))
    elif f.assignee == "any":
        parts.append(_C.assignee_id.is_not(None))
    elif f.assignee:
        parts.append(_C.assignee_id == _me(f.assignee))
    if f.breaching_within is not None:
        parts.append(_C.sla_due_at <= now + f.breaching_within)
    if f.escalated is not None:
        parts.append(_C.escalated.is_(f.escalated))
    if f.vip is not None:
        vips = _C.contact_id.in_(select(_P.id).where(_P.vip.is_(True)))
        parts.append(vips if f.vip else or_(_C.contact_id.is_(None), ~vips))
    if f.lead is not None:
        has_lead = exists().where(_L.conversation_id == _C.id,
                                  _L.stage.not_in(core_tables.CLOSED_LEAD_STAGES))
        parts.append(has_lead if f.lead else ~has_lead)
    if f.kinds:
        parts.append(_C.kind.in_(f.kinds))
    if f.platforms:
        parts.append(_C.platform.in_(f.platforms))
    if f.intents:
        parts.append(_slug_in(_C.intents, f.intents))
    if f.tags:
        parts.append(_slug_in(_C.tags, f.tags))
    if f.moderation:
        parts.append(_C.moderation.in_(f.moderation))
    if f.roles:
        parts.append(_C.role.in_(f.roles))
    if f.min_priority is not None:
        parts.append(_C.priority >= f.min_priority)
    joined = (and_(*parts) if f.match == "all" else or_(*parts)) if parts else true()
    return and_(_C.status.in_(f.status), joined)


def search_terms(text: str) -> list[tuple[str, str]]:
    """The filter bar's text as (field, value) terms, all of which must match.

    `author:lea`, `@lea`, `tag:x`, `#x`, `intent:refund`, `platform:instagram`, `text:word`;
    a bare word matches any of them; "quoted words" match as a phrase.
    """
    try:
        words = shlex.split(text)
    except ValueError:  # an unbalanced quote: take the words as they are
        words = text.split()
    terms = []
    for word in words:
        name, sep, value = word.partition(":")
        if sep and name.lower() in _SEARCH_FIELDS and value:
            terms.append((name.lower(), value))
        elif word.startswith("@") and len(word) > 1:
            terms.append(("author", word[1:]))
        elif word.startswith("#") and len(word) > 1:
            terms.append(("tag", word[1:]))
        elif word:
            terms.append(("any", word))
    return terms


def search_condition(text: str) -> ColumnElement[bool]:
    """The SQL condition of the filter bar's text (see `search_terms`)."""
    parts = []
    for name, value in search_terms(text):
        checks = {
            "author": lambda v: _C.contact_id.in_(select(_P.id).where(or_(
                _P.handle.icontains(v, autoescape=True), _P.name.icontains(v, autoescape=True)))),
            "text": lambda v: or_(_C.last_text.icontains(v, autoescape=True), exists().where(
                _M.conversation_id == _C.id, _M.text.icontains(v, autoescape=True))),
            "tag": lambda v: _slug_in(_C.tags, (v,), prefix=True),
            "intent": lambda v: _slug_in(_C.intents, (v,), prefix=True),
            "platform": lambda v: _C.platform.istartswith(v, autoescape=True),
        }
        if name == "any":
            parts.append(or_(*(check(value) for check in checks.values())))
        else:
            parts.append(checks[name](value))
    return and_(*parts) if parts else true()


def _where(q: ViewQuery) -> ColumnElement[bool]:
    condition = view_condition(q.view, q.agent, q.now)
    return and_(condition, search_condition(q.search)) if q.search.strip() else condition


def _base(q: ViewQuery, *columns: Any) -> Any:
    return select(*columns).select_from(_CONV).where(_where(q))


def _ordered(q: ViewQuery, keys: list[Any], *, reverse: bool) -> list[Any]:
    return [expr.desc() if descending != reverse else expr.asc() for expr, descending, _n in keys]


def _rows_query(q: ViewQuery, narrowed: Any) -> Any:
    """The rows whose ids `narrowed` selects (with their sort keys as k0, k1...), joined
    with their contact and agents. Narrowing first on the conversation table alone and
    joining only the page's rows is what keeps a page of a 13,000-row view near 5 ms."""
    ids = narrowed.subquery("page")
    width = len(_sort_keys(q.view.sort))
    return (
        select(
            _C.id, _C.platform, _C.kind, _P.handle, _P.name, _P.vip, _C.intents, _C.tags,
            _C.sentiment, _C.priority, _C.sla_due_at, _C.last_text,
            _ASSIGNEE.c.name.label("assignee"), _VIEWER.c.name.label("viewer"), _C.status,
            _C.escalated, _C.moderation, _C.version,
            *(ids.c[f"k{i}"] for i in range(width)),
        )
        .select_from(ids)
        .join(_CONV, _C.id == ids.c.id)
        .outerjoin(core_tables.contact, _P.id == _C.contact_id)
        .outerjoin(_ASSIGNEE, _ASSIGNEE.c.id == _C.assignee_id)
        .outerjoin(_VIEWER, and_(_VIEWER.c.id == _C.claimed_by, _C.claim_expires_at > q.now))
    )


def _narrow(q: ViewQuery) -> Any:
    keys = _sort_keys(q.view.sort)
    return _base(q, _C.id, *(expr.label(f"k{i}") for i, (expr, _d, _n) in enumerate(keys)))


def _item(row: Any, width: int) -> QueueItem:
    return QueueItem(
        id=row.id, platform=row.platform, kind=row.kind, author=row.handle or row.name or "",
        vip=bool(row.vip), intents=tuple(row.intents.split()), tags=tuple(row.tags.split()),
        sentiment=row.sentiment, priority=row.priority, sla_due_at=row.sla_due_at,
        last_text=row.last_text, assignee=row.assignee or "", viewer=row.viewer or "",
        status=row.status, escalated=bool(row.escalated), moderation=row.moderation,
        version=row.version, key=tuple(row[f"k{i}"] for i in range(width)),
    )


def page(
    engine: Engine, q: ViewQuery, *, after: Key | None = None, before: Key | None = None,
    offset: int = 0, limit: int = 100,
) -> list[QueueItem]:
    """Up to `limit` rows in view order: the first ones, those after `after`, or the
    `limit` rows just before `before` (still returned in view order).

    `offset` skips rows from the top; only for a jump where no neighbouring key is known.
    """
    keys = _sort_keys(q.view.sort)
    narrowed = _narrow(q)
    backward = before is not None
    if after is not None:
        narrowed = narrowed.where(_beyond(q.view.sort, after, forward=True))
    if before is not None:
        narrowed = narrowed.where(_beyond(q.view.sort, before, forward=False))
    narrowed = narrowed.order_by(*_ordered(q, keys, reverse=backward)).limit(limit)
    if offset:
        narrowed = narrowed.offset(offset)
    rows = _read(engine, q, narrowed, reverse=backward)
    return rows[::-1] if backward else rows


def last_page(engine: Engine, q: ViewQuery, *, limit: int = 100) -> list[QueueItem]:
    """The last `limit` rows of the view, in view order (for `G`)."""
    keys = _sort_keys(q.view.sort)
    narrowed = _narrow(q).order_by(*_ordered(q, keys, reverse=True)).limit(limit)
    return _read(engine, q, narrowed, reverse=True)[::-1]


def _read(engine: Engine, q: ViewQuery, narrowed: Any, *, reverse: bool) -> list[QueueItem]:
    width = len(_sort_keys(q.view.sort))
    query = _rows_query(q, narrowed)
    query = query.order_by(*(
        query.selected_columns[f"k{i}"].desc() if descending != reverse
        else query.selected_columns[f"k{i}"].asc()
        for i, (_e, descending, _n) in enumerate(_sort_keys(q.view.sort))
    ))
    with db.read(engine) as conn:
        return [_item(row, width) for row in conn.execute(query).mappings()]


def count(engine: Engine, q: ViewQuery) -> int:
    """How many conversations the view holds (filter bar included)."""
    with db.read(engine) as conn:
        return int(conn.execute(_base(q, func.count())).scalar_one())


def counts(engine: Engine, views: list[ViewDef], *, agent: str, now: datetime) -> dict[str, int]:
    """How many conversations each view holds, in one pass over the store."""
    if not views:
        return {}
    statuses = sorted({s for v in views for s in v.filter.status})
    sums = [func.sum(case((view_condition(v, agent, now), 1), else_=0)).label(f"v{i}")
            for i, v in enumerate(views)]
    query = select(*sums).select_from(_CONV).where(_C.status.in_(statuses))
    with db.read(engine) as conn:
        row = conn.execute(query).one()
    return {v.key: int(row[i] or 0) for i, v in enumerate(views)}


def locate(engine: Engine, q: ViewQuery, conversation_id: int) -> tuple[int, QueueItem] | None:
    """Where a conversation stands in the view (its index and row); None when not in it."""
    keys = _sort_keys(q.view.sort)
    with db.read(engine) as conn:
        narrowed = _narrow(q).where(_C.id == conversation_id)
        row = conn.execute(_rows_query(q, narrowed)).mappings().first()
        if row is None:
            return None
        item = _item(row, len(keys))
        before = _base(q, func.count()).where(_beyond(q.view.sort, item.key, forward=False))
        return int(conn.execute(before).scalar_one()), item


def change_token(engine: Engine) -> tuple[Any, ...]:
    """A cheap fingerprint of the store that changes whenever a queue could have changed.

    Every change of a conversation bumps its version (and anything that moves it between
    states changes the count); audit events and messages cover the rest. About 10 ms on a
    200,000-conversation SQLite store: the open set is read through the queue index.
    """
    live = (select(func.count(), func.coalesce(func.sum(_C.version), 0))
            .where(_C.status.in_(("open", "snoozed"))))
    with db.read(engine) as conn:
        open_count, versions = conn.execute(live).one()
        last_event = conn.execute(select(func.max(_E.id))).scalar()
        last_message = conn.execute(select(func.max(_M.id))).scalar()
    return int(open_count), int(versions), last_event or 0, last_message or 0
