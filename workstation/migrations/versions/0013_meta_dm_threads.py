"""Meta DM threads keyed by the customer, in stores synced before that key.

The Meta connector once keyed a DM conversation by Graph's conversation id (`t_…` for
Messenger, `aWdf…` for Instagram); webhooks and polling now both key it `dm:<customer's
scoped id>`, so a store synced by the older connector holds DM conversations no new DM joins,
often beside a `dm:` conversation with the same customer that a newer sync opened. Each
becomes the customer's `dm:` conversation: renamed when it is the customer's only one on
that platform, else merged into the `dm:` one (or into the oldest of them).

Merging moves every row that names the old conversation: any column `conversation_id`,
`…_conversation_id` or `conversation_ids` of any table (messages, outbox, notes, leads,
reminders, qualifier flows, composer drafts, SLA alerts, CRM pushes, reputation alerts), so
no row is lost. Where a unique key allows one row per conversation and both hold one (an
agent's composer draft, an SLA alert for one due time), the newer stays (by `updated_at`;
the kept conversation's when the table has none) and the merge's audit event counts the
other. The kept conversation's counters add up, its times span both, its workflow state is
that of the one written to last.

The audit trail is hash-chained and never rewritten: old events keep the old conversation's
id, and `conversation.merged` on the kept conversation names it (`audit.list_events` of a
conversation includes the events of those merged into it); a renamed conversation gets
`conversation.rekeyed`. Both are appended to the chain, so `workstation audit verify` holds.

Revision ID: 0013
Revises: 0011
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0013"
down_revision = "0011"
branch_labels = None
depends_on = None

META = ("instagram", "facebook")
GRAPH_IDS = ("t_", "aWdf")
"""How Graph's conversation ids begin: Messenger's `t_…`, Instagram's base64 `aWdf…`."""
_NOT_MOVED = {"conversation", "audit_event", "alembic_version"}
_MODERATION = ("allow", "review", "hide", "delete", "ban")
_FROM_NEWEST = ("status", "lang", "intents", "sentiment", "sla_policy", "role",
                "snoozed_until", "resolution_code", "resolved_at", "csat", "claimed_by",
                "claim_expires_at")
"""Workflow state: the conversation written to last says where the thread stands."""


def upgrade() -> None:
    conn = op.get_bind()
    conversation = sa.Table("conversation", sa.MetaData(), autoload_with=conn)
    groups = _legacy(conn, conversation)
    if not groups:
        return
    c = conversation.c
    keyed = _keyed(conn, conversation, {(p, f"dm:{who}") for p, who in groups})
    references = _References(conn)
    now = datetime.now(UTC)
    events: list[dict[str, Any]] = []
    renamed: list[dict[str, Any]] = []
    merged: dict[int, int] = {}
    for (platform, customer), parts in groups.items():
        key = f"dm:{customer}"
        kept = keyed.get((platform, key))
        if kept is None:
            kept, parts = parts[0], parts[1:]
            renamed.append({"b_id": kept["id"], "b_key": key})
            events.append(_event("conversation.rekeyed", kept["id"], now,
                                 was=kept["thread_key"], now=key))
        if not parts:
            continue
        for part in parts:
            moved, dropped = references.move(part["id"], kept["id"])
            details: dict[str, Any] = {"from": part["id"], "thread": part["thread_key"],
                                       "messages": moved}
            if dropped:
                details["dropped"] = dropped
            events.append(_event("conversation.merged", kept["id"], now, **details))
            merged[part["id"]] = kept["id"]
        conn.execute(conversation.delete().where(c.id.in_([part["id"] for part in parts])))
        conn.execute(conversation.update().where(c.id == kept["id"])
                     .values(_combined([kept, *parts], now)))
    if renamed:
        conn.execute(conversation.update().where(c.id == sa.bindparam("b_id"))
                     .values(thread_key=sa.bindparam("b_key")), renamed)
    references.relist(merged)
    _append(conn, events)


def _keyed(conn: sa.Connection, conversation: sa.Table, keys: set[tuple[str, str]]
           ) -> dict[tuple[str, str], Mapping[str, Any]]:
    """The conversations already keyed `dm:<customer>`, by (platform, key)."""
    c, found = conversation.c, {}
    wanted = sorted(keys)
    for start in range(0, len(wanted), 500):
        chunk = wanted[start:start + 500]
        for row in conn.execute(sa.select(conversation).where(
                c.platform.in_(META), c.thread_key.in_([key for _, key in chunk]))).mappings():
            found[(row["platform"], row["thread_key"])] = row
    return {key: row for key, row in found.items() if key in keys}


def downgrade() -> None:
    """Nothing to undo in the schema; the merged threads stay merged."""


def _legacy(conn: sa.Connection, conversation: sa.Table
            ) -> dict[tuple[str, str], list[Mapping[str, Any]]]:
    """Meta DM conversations keyed by a Graph id, by (platform, customer's id), oldest first.

    The customer is the conversation's contact, else the author of its first customer
    message; a conversation with neither is left as it is (nothing can key it)."""
    c = conversation.c
    meta = sa.MetaData()
    contact = sa.Table("contact", meta, autoload_with=conn)
    message = sa.Table("message", meta, autoload_with=conn)
    graph = sa.or_(*(c.thread_key.startswith(p, autoescape=True) for p in GRAPH_IDS))
    rows = conn.execute(
        sa.select(conversation, contact.c.external_id.label("customer"))
        .select_from(conversation.outerjoin(contact, contact.c.id == c.contact_id))
        .where(c.platform.in_(META), c.kind == "dm", graph).order_by(c.id)).mappings().all()
    groups: dict[tuple[str, str], list[Mapping[str, Any]]] = defaultdict(list)
    for row in rows:
        customer = row["customer"] or conn.execute(
            sa.select(contact.c.external_id).select_from(
                message.join(contact, contact.c.id == message.c.contact_id))
            .where(message.c.conversation_id == row["id"], message.c.direction == "in")
            .order_by(message.c.created_at, message.c.id).limit(1)).scalar()
        if customer:
            groups[(row["platform"], str(customer))].append(row)
    return groups


class _References:
    """Every column of the store that names a conversation, and the statements that point
    its rows at another conversation (built once: thousands of merges run them)."""

    def __init__(self, conn: sa.Connection) -> None:
        self.conn = conn
        inspector = sa.inspect(conn)
        self.steps: list[tuple[str, list[sa.Delete], sa.Update]] = []
        self.lists: list[tuple[sa.Table, str]] = []
        for name in sorted(inspector.get_table_names()):
            if name in _NOT_MOVED:
                continue
            names = [col["name"] for col in inspector.get_columns(name)]
            ids = [n for n in names if n == "conversation_id" or n.endswith("_conversation_id")]
            lists = [n for n in names if n == "conversation_ids"]
            if not ids and not lists:
                continue
            table = sa.Table(name, sa.MetaData(), autoload_with=conn)
            uniques = [list(u["column_names"]) for u in inspector.get_unique_constraints(name)]
            uniques += [list(i["column_names"]) for i in inspector.get_indexes(name)
                        if i.get("unique")]
            for column in ids:
                deletes = [d for u in uniques if column in u for d in _collisions(table, column, u)]
                update = table.update().where(table.c[column] == sa.bindparam("b_old")).values(
                    {column: sa.bindparam("b_new")})
                self.steps.append((name, deletes, update))
            self.lists += [(table, column) for column in lists]

    def move(self, old: int, new: int) -> tuple[int, dict[str, int]]:
        """Point every row naming `old` at `new`; the messages moved, and the rows a unique
        key let only one of (by table)."""
        moved, dropped = 0, {}
        params = {"b_old": old, "b_new": new}
        for name, deletes, update in self.steps:
            gone = sum(self.conn.execute(delete, params).rowcount for delete in deletes)
            if gone:
                dropped[name] = dropped.get(name, 0) + gone
            count = self.conn.execute(update, params).rowcount
            if name == "message":
                moved += count
        return moved, dropped

    def relist(self, merged: Mapping[int, int]) -> None:
        """Lists of conversation ids (a reputation alert's threads) name the kept one."""
        if not merged:
            return
        for table, column in self.lists:
            key = next(iter(table.primary_key.columns))
            for row in self.conn.execute(sa.select(key, table.c[column])).all():
                ids = list(row[1] or [])
                if not any(i in merged for i in ids):
                    continue
                fresh = list(dict.fromkeys(merged.get(i, i) for i in ids))
                self.conn.execute(table.update().where(key == row[0]).values({column: fresh}))


def _collisions(table: sa.Table, column: str, unique: Sequence[str]) -> list[sa.Delete]:
    """Deletes of the older row of each pair a unique key allows once between conversations
    `b_old` and `b_new`: the kept one's first, if older (and the table can tell), then the
    old one's that still collide."""
    others = [name for name in unique if name != column]
    twin = table.alias("twin")
    same = [twin.c[name] == table.c[name] for name in others]
    found = []
    if "updated_at" in table.c:
        found.append(table.delete().where(
            table.c[column] == sa.bindparam("b_new"),
            sa.exists().where(twin.c[column] == sa.bindparam("b_old"), *same,
                              twin.c.updated_at > table.c.updated_at)))
    found.append(table.delete().where(
        table.c[column] == sa.bindparam("b_old"),
        sa.exists().where(twin.c[column] == sa.bindparam("b_new"), *same)))
    return found


def _combined(parts: list[Mapping[str, Any]], now: datetime) -> dict[str, Any]:
    """The kept conversation's fields once the others are merged into it."""
    by_time = sorted(parts, key=lambda p: (p["last_message_at"], p["id"]))
    newest = by_time[-1]
    first = min(parts, key=lambda p: (p["created_at"], p["id"]))

    def spread(name: str, pick: Any) -> Any:
        values = [p[name] for p in parts if p.get(name) is not None]
        return pick(values) if values else None

    def latest_set(name: str) -> Any:
        return next((p[name] for p in reversed(by_time) if p.get(name) not in (None, "")),
                    newest.get(name))

    last_in, last_out = spread("last_inbound_at", max), spread("last_outbound_at", max)
    awaiting = last_in is not None and (last_out is None or last_in > last_out)
    owed = [p for p in parts if awaiting and p.get("awaiting_since") is not None
            and (last_out is None or p["awaiting_since"] > last_out)]
    dues = [p["sla_due_at"] for p in owed if p.get("sla_due_at") is not None]
    tags = dict.fromkeys(t for p in by_time for t in str(p.get("tags") or "").split())
    values: dict[str, Any] = {name: newest[name] for name in _FROM_NEWEST if name in newest}
    values.update(
        message_count=sum(int(p["message_count"] or 0) for p in parts),
        exchange_count=sum(int(p["exchange_count"] or 0) for p in parts),
        created_at=first["created_at"], first_response_due=first.get("first_response_due"),
        first_response_at=spread("first_response_at", min),
        last_message_at=newest["last_message_at"], last_text=newest["last_text"],
        last_inbound_at=last_in, last_outbound_at=last_out,
        awaiting_since=(min(p["awaiting_since"] for p in owed) if owed else last_in)
        if awaiting else None,
        sla_due_at=(min(dues) if dues else newest.get("sla_due_at")) if awaiting else None,
        priority=spread("priority", max), escalated=any(p.get("escalated") for p in parts),
        escalation_reason=next((p["escalation_reason"] for p in reversed(by_time)
                                if p.get("escalated")), ""),
        moderation=max((str(p.get("moderation") or "allow") for p in parts),
                       key=lambda v: _MODERATION.index(v) if v in _MODERATION else 0),
        tags=f" {' '.join(tags)} " if tags else " ",
        contact_id=latest_set("contact_id"), post_id=latest_set("post_id"),
        campaign=latest_set("campaign") or "", assignee_id=latest_set("assignee_id"),
        version=max(int(p["version"] or 1) for p in parts) + 1, updated_at=now,
    )
    return values


def _event(action: str, conversation_id: int, at: datetime, **details: Any) -> dict[str, Any]:
    return {"at": at, "actor_kind": "system", "actor": "migration", "action": action,
            "target_kind": "conversation", "target_id": str(conversation_id),
            "conversation_id": conversation_id, "details": details}


def _append(conn: sa.Connection, events: list[dict[str, Any]]) -> None:
    """Append to the audit trail, chained like every event (`workstation.audit_chain`)."""
    if not events:
        return
    from workstation.audit_chain import chain, head

    table = sa.Table("audit_event", sa.MetaData(), autoload_with=conn)
    chain(head(conn, table), events)
    conn.execute(table.insert(), events)
