"""The store work of one ingest batch: dedupe, contacts, posts, threads, conversations, messages.

Every step is a handful of set-based statements for the whole batch (a SELECT of what exists,
an executemany of what is new), never a statement per event: this is what keeps the store
from being the bottleneck of ingest. The policy is applied here, message by message in time
order, because rules look at the thread (round trips, our last reply) as it stood.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, select, tuple_

from workstation import audit, bulk, response_times
from workstation.db import insert_ignore
from workstation.automation import Automation
from workstation.events import Event
from workstation.models import AuthorKind, Contact, Conversation, Message, Post, Status
from workstation.pipeline import Pipeline, Signals, Verdict
from workstation.rules.evaluate import ROLE_RANK, VERDICT_RANK, Thread
from workstation.slugs import merged, spaced
from workstation.text import first_line

_CONTACT_FIELDS = ("handle", "name", "followers", "verified", "vip")
_CONTACT_REFRESHED = (*_CONTACT_FIELDS, "last_seen")
_SEEN_PRECISION = timedelta(hours=1)
_FOLDED = (
    "contact_id", "post_id", "campaign", "status", "lang", "intents", "tags", "sentiment",
    "priority", "moderation", "sla_policy", "first_response_due", "first_response_at",
    "first_message_at", "awaiting_since", "sla_due_at", "last_inbound_at", "last_outbound_at",
    "last_message_at", "last_text", "message_count", "exchange_count", "role", "escalated",
    "escalation_reason", "snoozed_until", "resolved_at", "assignee_id", "updated_at", "version",
)  # fmt: skip


class Counts:
    """What a batch did, added to the run's report."""

    def __init__(self) -> None:
        self.ingested = 0
        self.duplicates = 0
        self.conversations = 0


class Batch:
    """Writes one batch of (event, signals) pairs on an open write transaction."""

    def __init__(self, conn: Connection, pipeline: Pipeline, now: datetime, source: str) -> None:
        self.conn = conn
        self.pipeline = pipeline
        self.now = now
        self.source = source
        self.counts = Counts()
        self.automation = Automation(conn, pipeline.rules, now)
        self.reordered: set[int] = set()
        """Conversations that took in a message older than one they already had."""

    def write(self, events: list[Event], signals: list[Signals]) -> Counts:
        """Store the batch; returns what it did."""
        pairs = self._fresh(events, signals)
        if not pairs:
            return self.counts
        contacts, banned = self._contacts([e for e, _ in pairs])
        posts = self._posts([e for e, _ in pairs])
        threads = self._threads([e for e, _ in pairs])
        conversations, verdicts, waits = self._conversations(pairs, threads, contacts, banned,
                                                             posts)
        rows = []
        for event, signal in pairs:
            key = (event.platform, event.id)
            conv = conversations[(event.platform, threads[key])]
            verdict = verdicts[key]
            inbound = event.direction == "in"
            hidden = VERDICT_RANK[verdict.moderation] >= VERDICT_RANK["hide"]
            rows.append({
                "platform": event.platform, "external_id": event.id, "conversation_id": conv,
                "parent_external_id": event.parent or "", "direction": event.direction,
                "author_kind": AuthorKind.CUSTOMER.value if inbound else AuthorKind.AGENT.value,
                "contact_id": contacts.get((event.platform, event.author.id)) if inbound else None,
                "text": event.text, "lang": signal.lang, "sentiment": signal.sentiment,
                "intents": spaced(signal.intents), "moderation": verdict.moderation,
                "categories": spaced(signal.categories), "hidden": hidden,
                "hidden_reason": " ".join(signal.categories) if hidden else "",
                "deleted": verdict.moderation == "delete", "created_at": event.created_at,
                "received_at": self.now, "extra": event.extra, "response_seconds": waits.get(key),
            })
        bulk.insert(self.conn, Message.__table__, rows, ignore_conflicts=True)  # type: ignore[arg-type]
        if self.reordered:
            # The waits folded in follow arrival; a late message can change whom a reply
            # answered, so those threads are worked out again from their messages.
            response_times.refresh(self.conn, sorted(self.reordered))
        self.counts.ingested += len(rows)
        self.automation.flush()
        return self.counts

    def _fresh(self, events: list[Event], signals: list[Signals]) -> list[tuple[Event, Signals]]:
        """Drop events seen before, in this batch or in the store."""
        seen: set[tuple[str, str]] = set()
        unique = []
        for event, signal in zip(events, signals, strict=True):
            key = (event.platform, event.id)
            if key in seen:
                self.counts.duplicates += 1
                continue
            seen.add(key)
            unique.append((event, signal))
        stored = self._existing(Message, seen)
        self.counts.duplicates += len(stored)
        return [(e, s) for e, s in unique if (e.platform, e.id) not in stored]

    def _existing(self, model: Any, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        """Map (platform, external_id) to id for the keys already stored."""
        table = model.__table__
        by_platform: dict[str, list[str]] = {}
        for platform, ident in keys:
            by_platform.setdefault(platform, []).append(ident)
        found: dict[tuple[str, str], Any] = {}
        for platform, idents in by_platform.items():
            query = select(table.c.external_id, table.c.id).where(
                table.c.platform == platform, table.c.external_id.in_(idents)
            )
            for external_id, row_id in self.conn.execute(query):
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
        stored = self._stored_contacts(latest)
        bulk.insert(self.conn, table, [
            {"platform": p, "external_id": a, **self._contact_fields(e),
             "first_seen": e.created_at, "email": "", "phone": "", "banned": False, "extra": {}}
            for (p, a), e in latest.items() if (p, a) not in stored
        ], ignore_conflicts=True)
        updates = []
        for key, event in latest.items():
            row = stored.get(key)
            # An older file ingested late must not roll a contact back to stale figures, and
            # an unchanged author is rewritten at most hourly (last seen stays that fresh).
            if row is None or event.created_at < row.last_seen:
                continue
            fields = self._contact_fields(event)
            if (any(fields[name] != getattr(row, name) for name in _CONTACT_FIELDS)
                    or event.created_at - row.last_seen > _SEEN_PRECISION):
                updates.append({"id": row.id, **fields})
        bulk.update_by_id(self.conn, table, updates, _CONTACT_REFRESHED)
        ids = {key: row.id for key, row in stored.items()}
        ids.update(self._existing(Contact, set(latest) - set(stored)))
        return ids, {row.id for row in stored.values() if row.banned}

    def _stored_contacts(self, keys: Iterable[tuple[str, str]]) -> dict[tuple[str, str], Any]:
        c = Contact.__table__.c  # type: ignore[attr-defined]
        by_platform: dict[str, list[str]] = {}
        for platform, ident in keys:
            by_platform.setdefault(platform, []).append(ident)
        found: dict[tuple[str, str], Any] = {}
        for platform, idents in by_platform.items():
            query = select(c.external_id, c.id, c.last_seen, c.banned,
                           *(getattr(c, name) for name in _CONTACT_FIELDS)).where(
                c.platform == platform, c.external_id.in_(idents))
            for row in self.conn.execute(query):
                found[(platform, row.external_id)] = row
        return found

    def _contact_fields(self, event: Event) -> dict[str, Any]:
        author = event.author
        return {
            "handle": author.handle, "name": author.name, "followers": author.followers,
            "verified": author.verified, "vip": self.pipeline.is_vip(author),
            "last_seen": event.created_at,
        }

    def _posts(self, events: list[Event]) -> dict[tuple[str, str], tuple[int, str]]:
        """Create the posts comments sit under; map identity to (post id, campaign).

        A post's campaign is its tag, else the `utm_campaign` of a link in its caption (a post
        read from a platform has no tag, but its link often names the campaign)."""
        from workstation.leads.attribution import utm_campaign

        refs = {(e.platform, e.post.id): e.post for e in events if e.post}
        if not refs:
            return {}
        table = Post.__table__  # type: ignore[attr-defined]
        existing = self._existing(Post, refs)
        insert_ignore(self.conn, table, [
            {"platform": p, "external_id": i, "url": ref.url, "caption": ref.caption,
             "campaign": ref.campaign or utm_campaign(ref.caption), "likes": 0, "shares": 0,
             "impressions": 0}
            for (p, i), ref in refs.items() if (p, i) not in existing
        ])
        c = table.c
        found: dict[tuple[str, str], tuple[int, str]] = {}
        for platform in {p for p, _ in refs}:
            idents = [i for p, i in refs if p == platform]
            query = select(c.external_id, c.id, c.campaign).where(
                c.platform == platform, c.external_id.in_(idents)
            )
            for external_id, row_id, campaign in self.conn.execute(query):
                found[(platform, external_id)] = (row_id, campaign)
        return found

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
        m = Message.__table__.c  # type: ignore[attr-defined]
        c = Conversation.__table__.c  # type: ignore[attr-defined]
        found: dict[tuple[str, str], str] = {}
        for platform in {p for p, _ in parents}:
            idents = [i for p, i in parents if p == platform]
            query = (
                select(m.external_id, c.thread_key)
                .join(Conversation.__table__, c.id == m.conversation_id)  # type: ignore[attr-defined]
                .where(m.platform == platform, m.external_id.in_(idents))
            )
            for external_id, thread_key in self.conn.execute(query):
                found[(platform, external_id)] = thread_key
        return found

    def _conversations(
        self,
        pairs: list[tuple[Event, Signals]],
        threads: dict[tuple[str, str], str],
        contacts: dict[tuple[str, str], int],
        banned: set[int],
        posts: dict[tuple[str, str], tuple[int, str]],
    ) -> tuple[dict[tuple[str, str], int], dict[tuple[str, str], Verdict],
               dict[tuple[str, str], float]]:
        """Open new conversations, triage each message against its thread, fold it in.

        Returns the conversation of each thread, the verdict of each event, and how long the
        customer had waited for each of our messages that answered (`response_times`).
        """
        groups: dict[tuple[str, str], list[tuple[Event, Signals]]] = {}
        for event, signal in pairs:
            groups.setdefault((event.platform, threads[(event.platform, event.id)]), []).append(
                (event, signal)
            )
        table = Conversation.__table__  # type: ignore[attr-defined]
        existing = self._load_conversations(groups)
        bulk.insert(self.conn, table, [
            {"platform": key[0], "thread_key": key[1], "kind": items[0][0].kind,
             "status": Status.OPEN.value, "last_message_at": min(e.created_at for e, _ in items),
             "created_at": self.now, "updated_at": self.now, "version": 0}
            for key, items in groups.items() if key not in existing
        ], ignore_conflicts=True, fill=True)
        fresh = self._load_conversations({k: v for k, v in groups.items() if k not in existing})
        self.counts.conversations += len(fresh)
        existing.update(fresh)
        verdicts: dict[tuple[str, str], Verdict] = {}
        waits: dict[tuple[str, str], float] = {}
        events = []
        for key, items in groups.items():
            state = existing[key]
            reopened = self._fold(state, sorted(items, key=lambda p: p[0].created_at), contacts,
                                  banned, posts, verdicts, waits)
            if key in fresh:
                events.append(audit.entry(
                    "conversation.opened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"platform": key[0], "thread": key[1],
                                          "priority": state["priority"], "role": state["role"],
                                          "source": self.source}))
            elif reopened:
                events.append(audit.entry(
                    "conversation.reopened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"reason": "the customer wrote again"}))
        bulk.update_by_id(self.conn, table, [s for s in existing.values()], _FOLDED)
        audit.record_many(self.conn, events)
        return {key: state["id"] for key, state in existing.items()}, verdicts, waits

    def _load_conversations(
        self, groups: dict[tuple[str, str], Any]
    ) -> dict[tuple[str, str], dict[str, Any]]:
        if not groups:
            return {}
        c = Conversation.__table__.c  # type: ignore[attr-defined]
        columns = [c.id, c.platform, c.thread_key, *(getattr(c, name) for name in _FOLDED)]
        found = {}
        keys = list(groups)
        for start in range(0, len(keys), 500):
            query = select(*columns).where(tuple_(c.platform, c.thread_key).in_(keys[start:start + 500]))
            for row in self.conn.execute(query).mappings():
                state = {name: row[name] for name in _FOLDED}
                state["id"] = row["id"]
                found[(row["platform"], row["thread_key"])] = state
        return found

    def _fold(
        self,
        state: dict[str, Any],
        items: list[tuple[Event, Signals]],
        contacts: dict[tuple[str, str], int],
        banned: set[int],
        posts: dict[tuple[str, str], tuple[int, str]],
        verdicts: dict[tuple[str, str], Verdict],
        waits: dict[tuple[str, str], float],
    ) -> bool:
        """Triage and fold messages (oldest first) into a conversation; True if reopened."""
        reopened = False
        newest = state["last_message_at"] if state["message_count"] else None
        if newest is not None and items[0][0].created_at < newest:
            self.reordered.add(state["id"])
        for event, signal in items:
            contact = contacts.get((event.platform, event.author.id))
            thread = Thread(exchanges=state["exchange_count"], messages=state["message_count"],
                            last_reply_at=state["last_outbound_at"], banned=contact in banned)
            verdict = self.pipeline.decide(event, signal, thread)
            verdicts[(event.platform, event.id)] = verdict
            state["message_count"] += 1
            if state["first_message_at"] is None or event.created_at < state["first_message_at"]:
                state["first_message_at"] = event.created_at
            if event.created_at >= state["last_message_at"] or state["message_count"] == 1:
                state["last_message_at"] = event.created_at
                state["last_text"] = first_line(event.text)
            if event.post and state["post_id"] is None:
                state["post_id"], state["campaign"] = posts[(event.platform, event.post.id)]
            if event.direction == "out":
                waited = _answered(state, event.created_at)
                if waited is not None:
                    waits[(event.platform, event.id)] = waited
                continue
            if state["contact_id"] is None:
                state["contact_id"] = contact
            if state["last_inbound_at"] is None or event.created_at >= state["last_inbound_at"]:
                state["last_inbound_at"] = event.created_at
                state["sentiment"] = signal.sentiment
                state["lang"] = signal.lang
            if state["awaiting_since"] is None:
                state["awaiting_since"] = event.created_at
            if state["status"] != Status.OPEN.value:
                state["status"] = Status.OPEN.value
                state["snoozed_until"] = state["resolved_at"] = None
                reopened = True
            self.automation.collect(state, event, verdict, contact, signal)
            _absorb(state, verdict)
        if state["awaiting_since"] is None:
            state["sla_due_at"] = None
        elif state["first_response_at"] is None:
            state["sla_due_at"] = state["first_response_due"]
        else:
            state["sla_due_at"] = self.pipeline.response_due(
                state["sla_policy"], state["awaiting_since"], first=False,
                platform=items[0][0].platform,
            )
        state["updated_at"] = self.now
        state["version"] += 1
        return reopened


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


def _absorb(state: dict[str, Any], verdict: Verdict) -> None:
    """A customer message's verdict raises the thread's priority, role, moderation."""
    state["intents"] = merged(state["intents"], verdict.intents)
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
