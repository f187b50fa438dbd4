"""The store work of one ingest batch: dedupe, contacts, posts, threads, conversations, messages.

Every step is a handful of set-based statements for the whole batch (a SELECT of what exists,
an executemany of what is new), never a statement per event: this is what keeps the store
from being the bottleneck of ingest. The policy is applied here, message by message in time
order, because rules look at the thread (round trips, our last reply) as it stood; the worker
processes already decided each message as the first of a new thread, so only the messages
that a rule on the thread could judge otherwise are decided again here.

Batches are serialised: SQLite's writers are (`BEGIN IMMEDIATE`), and on PostgreSQL a batch
takes the audit trail's lock before it reads anything. So what a batch reads stays true until
it commits, and new conversations get their ids before they are written, in one INSERT of
their final state.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import TYPE_CHECKING, Any, NamedTuple

from sqlalchemy import Connection, func, select, text

from workstation import audit, audit_chain, bulk, response_times
from workstation.automation import Automation
from workstation.db import insert_ignore
from workstation.events import Event
from workstation.models import AuthorKind, Contact, Conversation, Message, Post, Status
from workstation.pipeline import Pipeline
from workstation.rules.evaluate import ROLE_RANK, VERDICT_RANK, Thread
from workstation.slugs import merged, spaced
from workstation.text import first_line

if TYPE_CHECKING:
    from workstation.reads import Read

_CONTACT_FIELDS = ("handle", "name", "followers", "verified", "vip")
_CONTACT_REFRESHED = (*_CONTACT_FIELDS, "last_seen")
_NEW_CONTACT = ("id", "platform", "external_id", *_CONTACT_FIELDS, "first_seen", "last_seen",
                "email", "phone", "banned", "extra")
_SEEN_PRECISION = timedelta(hours=1)
_FOLDED = (
    "contact_id", "post_id", "campaign", "status", "lang", "intents", "tags", "sentiment",
    "priority", "moderation", "sla_policy", "first_response_due", "first_response_at",
    "first_message_at", "awaiting_since", "sla_due_at", "last_inbound_at", "last_outbound_at",
    "last_message_at", "last_text", "message_count", "exchange_count", "role", "escalated",
    "escalation_reason", "snoozed_until", "resolved_at", "assignee_id", "updated_at", "version",
)  # fmt: skip
_MESSAGE = (
    "platform", "external_id", "conversation_id", "parent_external_id", "direction",
    "author_kind", "contact_id", "text", "lang", "sentiment", "intents", "moderation",
    "categories", "hidden", "hidden_reason", "deleted", "created_at", "received_at", "extra",
    "response_seconds",
)  # fmt: skip
_HIDDEN = VERDICT_RANK["hide"]
_MESSAGES = Message.__table__  # type: ignore[attr-defined]
_CONVERSATIONS = Conversation.__table__  # type: ignore[attr-defined]
_CUSTOMER = AuthorKind.CUSTOMER.value
_AGENT = AuthorKind.AGENT.value


class Counts:
    """What a batch did, added to the run's report."""

    def __init__(self) -> None:
        self.ingested = 0
        self.duplicates = 0
        self.conversations = 0


class Batch:
    """Writes one batch of read events on an open write transaction."""

    def __init__(self, conn: Connection, pipeline: Pipeline, now: datetime, source: str) -> None:
        self.conn = conn
        self.pipeline = pipeline
        self.now = now
        self.source = source
        self.counts = Counts()
        self.automation = Automation(conn, pipeline.rules, now)
        self.messages = bulk.Rows(conn, _MESSAGES, _MESSAGE)
        self._received = self.messages.value("received_at", now)
        self._time = self.messages.converter("created_at")
        self._extra = self.messages.converter("extra")
        self._flag = self.messages.converter("hidden")
        self.reordered: set[int] = set()
        """Conversations that took in a message older than one they already had."""

    def write(self, reads: list[Read]) -> Counts:
        """Store the batch; returns what it did."""
        audit_chain.lock(self.conn)
        reads = self._fresh(reads)
        if not reads:
            return self.counts
        events = [r.event for r in reads]
        self.automation.expect(events)
        contacts, banned = self._contacts(events)
        posts = self._posts(events)
        threads = self._threads(events)
        groups: dict[tuple[str, str], list[int]] = {}
        for index, event in enumerate(events):
            groups.setdefault((event.platform, threads[(event.platform, event.id)]), []
                              ).append(index)
        states, fresh = self._conversations(groups, events)
        rows: list[Any] = [None] * len(reads)
        opened = []
        for key, indexes in groups.items():
            state = states[key]
            indexes.sort(key=lambda i: events[i].created_at)
            reopened = self._fold(state, [reads[i] for i in indexes], indexes, contacts, banned,
                                  posts, rows)
            if key in fresh:
                opened.append(audit.entry(
                    "conversation.opened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"platform": key[0], "thread": key[1],
                                          "priority": state["priority"], "role": state["role"],
                                          "source": self.source}))
            elif reopened:
                opened.append(audit.entry(
                    "conversation.reopened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"reason": "the customer wrote again"}))
        table = Conversation.__table__  # type: ignore[attr-defined]
        bulk.insert(self.conn, table, [states[key] for key in fresh])
        bulk.update_by_id(self.conn, table, [s for k, s in states.items() if k not in fresh],
                          _FOLDED)
        self.messages.insert(rows, ignore_conflicts=True)
        if self.reordered:
            # The waits folded in follow arrival; a late message can change whom a reply
            # answered, so those threads are worked out again from their messages.
            response_times.refresh(self.conn, sorted(self.reordered))
        self.counts.ingested += len(rows)
        self.counts.conversations += len(fresh)
        self.automation.flush(opened)
        return self.counts

    def _fresh(self, reads: list[Read]) -> list[Read]:
        """Drop events seen before, in this batch or in the store."""
        seen: set[tuple[str, str]] = set()
        unique = []
        for read in reads:
            key = (read.event.platform, read.event.id)
            if key in seen:
                self.counts.duplicates += 1
                continue
            seen.add(key)
            unique.append(read)
        stored = self._existing(Message, seen)
        self.counts.duplicates += len(stored)
        if not stored:
            return unique
        return [r for r in unique if (r.event.platform, r.event.id) not in stored]

    def _existing(self, model: Any, keys: Iterable[tuple[str, str]], *columns: str
                  ) -> dict[tuple[str, str], Any]:
        """Map (platform, external_id) to id (or to the row of `columns`, if named) for the
        keys already stored."""
        table = model.__table__
        found: dict[tuple[str, str], Any] = {}
        for platform, idents in _by_platform(keys).items():
            if columns:
                for row in bulk.select_in(self.conn, table, columns, "external_id", idents,
                                          platform=platform):
                    found[(platform, row[0])] = row
            else:
                for external_id, row_id in bulk.select_in(
                        self.conn, table, ("external_id", "id"), "external_id", idents,
                        platform=platform):
                    found[(platform, external_id)] = row_id
        return found

    def _contacts(self, events: list[Event]) -> tuple[dict[tuple[str, str], int], set[int]]:
        """Create or refresh the authors of inbound events; their ids, and who is banned."""
        latest: dict[tuple[str, str], Event] = {}
        for event in events:
            key = (event.platform, event.author.id)
            if event.direction == "in" and (
                key not in latest or event.created_at >= latest[key].created_at
            ):
                latest[key] = event
        if not latest:
            return {}, set()
        table = Contact.__table__  # type: ignore[attr-defined]
        stored = {key: _StoredContact._make(row) for key, row in
                  self._existing(Contact, latest, *_StoredContact._fields).items()}
        new = [key for key in latest if key not in stored]
        ids = {key: row.id for key, row in stored.items()}
        ids.update(zip(new, next_ids(self.conn, table, len(new)), strict=True))
        writer = bulk.Rows(self.conn, table, _NEW_CONTACT)
        time, flag = writer.converter("last_seen"), writer.converter("vip")
        is_vip = self.pipeline.is_vip
        rows = []
        for key in new:
            event = latest[key]
            a, at = event.author, time(event.created_at)
            rows.append((ids[key], key[0], key[1], a.handle, a.name, a.followers,
                         flag(a.verified), flag(is_vip(a)), at, at, "", "", flag(False), "{}"))
        writer.insert(rows)
        updates = []
        for key, row in stored.items():
            event = latest[key]
            # An older file ingested late must not roll a contact back to stale figures, and
            # an unchanged author is rewritten at most hourly (last seen stays that fresh).
            if event.created_at < row.last_seen:
                continue
            a = event.author
            fields = (a.handle, a.name, a.followers, a.verified, is_vip(a))
            if fields != row[4:] or event.created_at - row.last_seen > _SEEN_PRECISION:
                updates.append({"id": row.id, **dict(zip(_CONTACT_FIELDS, fields, strict=True)),
                                "last_seen": event.created_at})
        bulk.update_by_id(self.conn, table, updates, _CONTACT_REFRESHED)
        return ids, {row.id for row in stored.values() if row.banned}

    def _posts(self, events: list[Event]) -> dict[tuple[str, str], tuple[int, str]]:
        """Create the posts comments sit under; map identity to (post id, campaign).

        A post's campaign is its tag, else the `utm_campaign` of a link in its caption (a post
        read from a platform has no tag, but its link often names the campaign)."""
        from workstation.leads.attribution import utm_campaign

        refs = {(e.platform, e.post.id): e.post for e in events if e.post}
        if not refs:
            return {}
        table = Post.__table__  # type: ignore[attr-defined]
        existing = self._existing(Post, refs, "external_id", "id", "campaign")
        new = [key for key in refs if key not in existing]
        if new:
            insert_ignore(self.conn, table, [
                {"platform": p, "external_id": i, "url": refs[p, i].url,
                 "caption": refs[p, i].caption,
                 "campaign": refs[p, i].campaign or utm_campaign(refs[p, i].caption), "likes": 0,
                 "shares": 0, "impressions": 0} for p, i in new
            ])
            existing.update(self._existing(Post, new, "external_id", "id", "campaign"))
        return {key: (row[1], row[2]) for key, row in existing.items()}

    def _threads(self, events: list[Event]) -> dict[tuple[str, str], str]:
        """The conversation key of every event: its thread, its parent's, or its own."""
        in_batch = {(e.platform, e.id): e for e in events}
        missing_parents = {
            (e.platform, e.parent) for e in events
            if not e.thread and e.parent and (e.platform, e.parent) not in in_batch
        }
        stored = self._stored_threads(missing_parents)
        keys: dict[tuple[str, str], str] = {}

        def key_of(event: Event, depth: int = 0) -> str:
            me = (event.platform, event.id)
            if me in keys:
                return keys[me]
            if event.thread:
                key = event.thread
            elif event.parent:
                parent = (event.platform, event.parent)
                if parent in in_batch and depth < 50 and parent != me:
                    key = key_of(in_batch[parent], depth + 1)
                else:
                    key = stored.get(parent, event.parent)
            elif event.kind == "dm" and event.direction == "in":
                # A DM without a thread id still belongs with the author's other DMs.
                key = f"dm:{event.author.id}"
            else:
                key = event.id
            keys[me] = key
            return key

        for event in events:
            key_of(event)
        return keys

    def _stored_threads(self, parents: set[tuple[str, str]]) -> dict[tuple[str, str], str]:
        if not parents:
            return {}
        messages = self._existing(Message, parents, "external_id", "conversation_id")
        ids = sorted({row[1] for row in messages.values()})
        keys: dict[int, str] = dict(bulk.select_in(  # type: ignore[arg-type]
            self.conn, _CONVERSATIONS, ("id", "thread_key"), "id", ids))
        return {parent: keys[row[1]] for parent, row in messages.items()}

    def _conversations(
        self, groups: dict[tuple[str, str], list[int]], events: list[Event]
    ) -> tuple[dict[tuple[str, str], dict[str, Any]], set[tuple[str, str]]]:
        """The state of every conversation the batch touches, and which of them are new.

        A new conversation starts from the table's defaults with an id of its own; it is
        written once, after its messages are folded in.
        """
        states = self._load_conversations(groups)
        fresh = [key for key in groups if key not in states]
        table = Conversation.__table__  # type: ignore[attr-defined]
        base: dict[str, Any] = {name: None for name in _FOLDED}
        base.update(bulk.defaults(table))
        base.update(updated_at=self.now, version=0)
        for key, new_id in zip(fresh, next_ids(self.conn, table, len(fresh)), strict=True):
            first = min((events[i] for i in groups[key]), key=lambda e: e.created_at)
            states[key] = {**base, "id": new_id, "platform": key[0], "thread_key": key[1],
                           "kind": events[groups[key][0]].kind, "created_at": self.now,
                           "last_message_at": first.created_at}
        return states, set(fresh)

    def _load_conversations(
        self, groups: dict[tuple[str, str], Any]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        table = Conversation.__table__  # type: ignore[attr-defined]
        names = ("id", *_FOLDED)
        found = {}
        for platform, keys in _by_platform(groups).items():
            for row in bulk.select_in(self.conn, table, ("thread_key", *names), "thread_key",
                                      keys, platform=platform):
                found[(platform, row[0])] = dict(zip(names, row[1:], strict=True))
        return found

    def _fold(
        self,
        state: dict[str, Any],
        reads: list[Read],
        indexes: list[int],
        contacts: dict[tuple[str, str], int],
        banned: set[int],
        posts: dict[tuple[str, str], tuple[int, str]],
        rows: list[Any],
    ) -> bool:
        """Triage and fold messages (oldest first) into a conversation, putting each one's
        row at its index in `rows`; True if the conversation reopened."""
        reopened = False
        conv = state["id"]
        received, time_of, extra_of, flag = self._received, self._time, self._extra, self._flag
        if state["message_count"] and reads[0].event.created_at < state["last_message_at"]:
            self.reordered.add(conv)
        for read, index in zip(reads, indexes, strict=True):
            event, verdict = read.event, read.verdict
            inbound = event.direction == "in"
            contact = contacts.get((event.platform, event.author.id)) if inbound else None
            if not read.alone and (state["exchange_count"] or state["message_count"]
                                   or state["last_outbound_at"] is not None
                                   or contact in banned):
                # A rule reads the thread, which is not the new one the worker assumed.
                thread = Thread(exchanges=state["exchange_count"],
                                messages=state["message_count"],
                                last_reply_at=state["last_outbound_at"],
                                banned=contact in banned)
                assert read.signals is not None  # kept by the worker for this
                verdict = self.pipeline.decide(event, read.signals, thread)
            hidden = VERDICT_RANK[verdict.moderation] >= _HIDDEN
            row = (
                event.platform, event.id, conv, event.parent or "", event.direction,
                _CUSTOMER if inbound else _AGENT, contact, event.text, verdict.lang,
                verdict.sentiment, spaced(verdict.intents), verdict.moderation,
                spaced(verdict.categories), flag(hidden),
                " ".join(verdict.categories) if hidden else "",
                flag(verdict.moderation == "delete"), time_of(event.created_at), received,
                extra_of(event.extra),
            )
            state["message_count"] += 1
            if state["first_message_at"] is None or event.created_at < state["first_message_at"]:
                state["first_message_at"] = event.created_at
            if event.created_at >= state["last_message_at"] or state["message_count"] == 1:
                state["last_message_at"] = event.created_at
                state["last_text"] = first_line(event.text)
            if event.post and state["post_id"] is None:
                state["post_id"], state["campaign"] = posts[(event.platform, event.post.id)]
            if not inbound:
                rows[index] = (*row, _answered(state, event.created_at))
                continue
            rows[index] = (*row, None)
            if state["contact_id"] is None:
                state["contact_id"] = contact
            if state["last_inbound_at"] is None or event.created_at >= state["last_inbound_at"]:
                state["last_inbound_at"] = event.created_at
                state["sentiment"] = verdict.sentiment
                state["lang"] = verdict.lang
            if state["awaiting_since"] is None:
                state["awaiting_since"] = event.created_at
            if state["status"] != Status.OPEN.value:
                state["status"] = Status.OPEN.value
                state["snoozed_until"] = state["resolved_at"] = None
                reopened = True
            self.automation.collect(state, event, verdict, contact, angry=read.angry,
                                    confused=read.confused, reading=read.leads)
            _absorb(state, verdict)
        if state["awaiting_since"] is None:
            state["sla_due_at"] = None
        elif state["first_response_at"] is None:
            state["sla_due_at"] = state["first_response_due"]
        else:
            state["sla_due_at"] = self.pipeline.response_due(
                state["sla_policy"], state["awaiting_since"], first=False,
                platform=reads[0].event.platform,
            )
        state["updated_at"] = self.now
        state["version"] += 1
        return reopened


class _StoredContact(NamedTuple):
    external_id: str
    id: int
    last_seen: datetime
    banned: bool
    handle: str
    name: str
    followers: int
    verified: bool
    vip: bool


def _by_platform(keys: Iterable[tuple[str, str]]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = {}
    for platform, ident in keys:
        found.setdefault(platform, []).append(ident)
    return found


def next_ids(conn: Connection, table: Any, count: int) -> list[int]:
    """`count` ids for new rows of `table`, to be inserted with them by this transaction.

    Both engines would hand out the same ones: on SQLite the batch holds the write lock, so
    nothing else is inserted before it commits; on PostgreSQL they come from the id's
    sequence, which never gives one twice.
    """
    if count == 0:
        return []
    if conn.dialect.name == "sqlite":
        top = conn.execute(select(func.max(table.c.id))).scalar() or 0
        return list(range(top + 1, top + 1 + count))
    return list(conn.execute(
        text("SELECT nextval(pg_get_serial_sequence(:table, 'id')) FROM generate_series(1, :n)"),
        {"table": table.name, "n": count}).scalars())


def _answered(state: dict[str, Any], at: datetime) -> float | None:
    """An answer of ours: the customer's wait ends, a round trip is counted. Returns how long
    they had waited, None when nobody was waiting."""
    if state["last_outbound_at"] is None or at > state["last_outbound_at"]:
        state["last_outbound_at"] = at
    if state["awaiting_since"] is None or at < state["awaiting_since"]:
        return None
    waited = (at - state["awaiting_since"]).total_seconds()
    state["exchange_count"] += 1
    state["awaiting_since"] = None
    if state["first_response_at"] is None:
        state["first_response_at"] = at
    return waited


def _absorb(state: dict[str, Any], verdict: Any) -> None:
    """A customer message's verdict raises the thread's priority, role, moderation."""
    if verdict.intents:
        state["intents"] = merged(state["intents"], verdict.intents)
    if verdict.tags:
        state["tags"] = merged(state["tags"], verdict.tags)
    if verdict.priority > state["priority"] or not state["sla_policy"]:
        state["priority"] = max(state["priority"], int(verdict.priority))
        state["sla_policy"] = verdict.sla_policy or state["sla_policy"]
    if VERDICT_RANK[verdict.moderation] > VERDICT_RANK.get(state["moderation"], 0):
        state["moderation"] = verdict.moderation
    if ROLE_RANK.get(verdict.role, 1) > ROLE_RANK.get(state["role"], 1):
        state["role"] = verdict.role
    if verdict.escalate and not state["escalated"]:
        state["escalated"] = True
        state["escalation_reason"] = verdict.reason
    if state["first_response_due"] is None and verdict.first_response_due is not None:
        state["first_response_due"] = verdict.first_response_due
