"""Taking events into the store: dedupe, thread, contacts, triage, in batched transactions.

The file is streamed and written in batches of a few thousand lines, each batch one write
transaction, so memory stays flat on a million lines and a crash leaves whole conversations
only: re-running the same file afterwards dedupes what was already taken in.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, Table, bindparam, select, tuple_, update
from sqlalchemy.dialects import postgresql, sqlite

from . import audit, db
from .clock import Clock, utcnow
from .events import Event, Rejected, parse_line
from .models import AuthorKind, Contact, Conversation, DeadLetter, Message, Post, Status
from .pipeline import MODERATION_RANK, ROLE_RANK, Pipeline, Verdict
from .slugs import merged, spaced

BATCH = 2000
LAST_TEXT = 200


@dataclass
class IngestReport:
    """What an ingest run did."""

    ingested: int = 0
    duplicates: int = 0
    rejected: int = 0
    conversations: int = 0
    """New conversations opened."""
    errors: list[str] = field(default_factory=list)
    """The first rejection reasons, as `FILE:LINE: reason` (the rest are in dead letters)."""

    def summary(self) -> str:
        """The one line the CLI prints."""
        return (
            f"ingested {self.ingested}, duplicates {self.duplicates}, rejected {self.rejected}"
            f" ({self.conversations} new conversations)"
        )


def insert_ignore(conn: Connection, table: Table, rows: list[dict[str, Any]]) -> None:
    """Insert rows, skipping those that collide with a unique key (another writer won)."""
    if not rows:
        return
    dialect = postgresql if conn.dialect.name == "postgresql" else sqlite
    conn.execute(dialect.insert(table).on_conflict_do_nothing(), rows)


def first_line(text: str, limit: int = LAST_TEXT) -> str:
    """The first non-empty line of a message, cut for a queue row."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""


class Ingestor:
    """Writes events to the store in batches; one instance per run."""

    def __init__(
        self,
        engine: Engine,
        *,
        pipeline: Pipeline | None = None,
        clock: Clock = utcnow,
        source: str = "-",
        on_reject: Callable[[str], None] | None = None,
        max_errors: int = 100,
    ) -> None:
        self.engine = engine
        self.pipeline = pipeline or Pipeline()
        self.clock = clock
        self.source = source
        self.on_reject = on_reject
        self.max_errors = max_errors
        self.report = IngestReport()

    def run(self, lines: Iterable[bytes], batch: int = BATCH) -> IngestReport:
        """Ingest every line; returns the report (also kept on `self.report`)."""
        events: list[Event] = []
        rejects: list[Rejected] = []
        now = self.clock()
        for line_no, raw in enumerate(lines, start=1):
            parsed = parse_line(raw, line_no, now)
            if parsed is None:
                continue
            if isinstance(parsed, Rejected):
                self._reject(parsed)
                rejects.append(parsed)
            else:
                events.append(parsed)
            if len(events) + len(rejects) >= batch:
                self.write(events, rejects)
                events, rejects = [], []
                now = self.clock()
        if events or rejects:
            self.write(events, rejects)
        return self.report

    def _reject(self, rejected: Rejected) -> None:
        self.report.rejected += 1
        message = f"{self.source}:{rejected.line_no}: {rejected.reason}"
        if len(self.report.errors) < self.max_errors:
            self.report.errors.append(message)
        if self.on_reject:
            self.on_reject(message)

    def write(self, events: list[Event], rejects: list[Rejected]) -> None:
        """Triage and store one batch in one write transaction."""
        verdicts = [self.pipeline.run(e) for e in events]
        with db.write(self.engine) as conn:
            _Batch(conn, self, self.clock()).write(events, verdicts)
            if rejects:
                now = self.clock()
                conn.execute(
                    DeadLetter.__table__.insert(),  # type: ignore[attr-defined]
                    [
                        {"source": self.source, "line_no": r.line_no, "reason": r.reason,
                         "raw": r.raw, "created_at": now}
                        for r in rejects
                    ],
                )


class _Batch:
    """The store work of one batch, step by step."""

    def __init__(self, conn: Connection, ingestor: Ingestor, now: datetime) -> None:
        self.conn = conn
        self.ingestor = ingestor
        self.pipeline = ingestor.pipeline
        self.report = ingestor.report
        self.now = now

    def write(self, events: list[Event], verdicts: list[Verdict]) -> None:
        pairs = self._fresh(events, verdicts)
        if not pairs:
            return
        contacts = self._contacts([e for e, _ in pairs])
        posts = self._posts([e for e, _ in pairs])
        threads = self._threads([e for e, _ in pairs])
        conversations = self._conversations(pairs, threads, contacts, posts)
        rows = []
        for event, verdict in pairs:
            conv = conversations[(event.platform, threads[(event.platform, event.id)])]
            inbound = event.direction == "in"
            rows.append({
                "platform": event.platform,
                "external_id": event.id,
                "conversation_id": conv,
                "parent_external_id": event.parent or "",
                "direction": event.direction,
                "author_kind": AuthorKind.CUSTOMER.value if inbound else AuthorKind.AGENT.value,
                "contact_id": contacts.get((event.platform, event.author.id)) if inbound else None,
                "text": event.text,
                "lang": verdict.lang,
                "sentiment": verdict.sentiment,
                "intents": spaced(verdict.intents),
                "moderation": verdict.moderation,
                "categories": spaced(verdict.categories),
                "hidden": False,
                "hidden_reason": "",
                "deleted": False,
                "created_at": event.created_at,
                "received_at": self.now,
                "extra": event.extra,
            })
        insert_ignore(self.conn, Message.__table__, rows)  # type: ignore[arg-type]
        self.report.ingested += len(rows)

    def _fresh(self, events: list[Event], verdicts: list[Verdict]) -> list[tuple[Event, Verdict]]:
        """Drop events seen before, in this batch or in the store."""
        seen: set[tuple[str, str]] = set()
        unique = []
        for event, verdict in zip(events, verdicts, strict=True):
            key = (event.platform, event.id)
            if key in seen:
                self.report.duplicates += 1
                continue
            seen.add(key)
            unique.append((event, verdict))
        stored = self._existing(Message, seen)
        self.report.duplicates += len(stored)
        return [(e, v) for e, v in unique if (e.platform, e.id) not in stored]

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

    def _contacts(self, events: list[Event]) -> dict[tuple[str, str], int]:
        """Create or refresh the authors of inbound events; map identity to contact id."""
        latest: dict[tuple[str, str], Event] = {}
        for event in events:
            if event.direction != "in":
                continue
            key = (event.platform, event.author.id)
            if key not in latest or event.created_at >= latest[key].created_at:
                latest[key] = event
        if not latest:
            return {}
        table = Contact.__table__  # type: ignore[attr-defined]
        existing = self._existing(Contact, latest)
        insert_ignore(self.conn, table, [
            {"platform": p, "external_id": a, **self._contact_fields(e),
             "first_seen": e.created_at, "email": "", "phone": "", "banned": False, "extra": {}}
            for (p, a), e in latest.items() if (p, a) not in existing
        ])
        updates = [
            _prefixed({"id": existing[key], **self._contact_fields(e)})
            for key, e in latest.items() if key in existing
        ]
        if updates:
            c = table.c
            # An older file ingested late must not roll a contact back to stale figures.
            self.conn.execute(
                update(table)
                .where(c.id == _bind("b_id"), c.last_seen <= _bind("b_last_seen"))
                .values({name: _bind(f"b_{name}") for name in _CONTACT_REFRESHED}),
                updates,
            )
        return {**existing, **self._existing(Contact, set(latest) - set(existing))}

    def _contact_fields(self, event: Event) -> dict[str, Any]:
        author = event.author
        return {
            "handle": author.handle, "name": author.name, "followers": author.followers,
            "verified": author.verified, "vip": self.pipeline.is_vip(author),
            "last_seen": event.created_at,
        }

    def _posts(self, events: list[Event]) -> dict[tuple[str, str], tuple[int, str]]:
        """Create the posts comments sit under; map identity to (post id, campaign)."""
        refs = {(e.platform, e.post.id): e.post for e in events if e.post}
        if not refs:
            return {}
        table = Post.__table__  # type: ignore[attr-defined]
        existing = self._existing(Post, refs)
        insert_ignore(self.conn, table, [
            {"platform": p, "external_id": i, "url": ref.url, "caption": ref.caption,
             "campaign": ref.campaign, "likes": 0, "shares": 0, "impressions": 0}
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
        pairs: list[tuple[Event, Verdict]],
        threads: dict[tuple[str, str], str],
        contacts: dict[tuple[str, str], int],
        posts: dict[tuple[str, str], tuple[int, str]],
    ) -> dict[tuple[str, str], int]:
        """Open new conversations and fold the batch's messages into every touched one."""
        groups: dict[tuple[str, str], list[tuple[Event, Verdict]]] = {}
        for event, verdict in pairs:
            groups.setdefault((event.platform, threads[(event.platform, event.id)]), []).append(
                (event, verdict)
            )
        table = Conversation.__table__  # type: ignore[attr-defined]
        existing = self._load_conversations(groups)
        new_rows = []
        for key, items in groups.items():
            if key in existing:
                continue
            first = min(items, key=lambda p: p[0].created_at)[0]
            new_rows.append({
                "platform": key[0], "thread_key": key[1], "kind": first.kind,
                "status": Status.OPEN.value, "last_message_at": first.created_at,
                "created_at": self.now, "updated_at": self.now, "version": 0,
            })
        insert_ignore(self.conn, table, new_rows)
        fresh = self._load_conversations({k: v for k, v in groups.items() if k not in existing})
        self.report.conversations += len(fresh)
        existing.update(fresh)
        updates = []
        events: list[dict[str, Any]] = []
        for key, items in groups.items():
            state = existing[key]
            reopened = _fold(state, sorted(items, key=lambda p: p[0].created_at), self, contacts,
                             posts)
            updates.append(_prefixed(state))
            if key in fresh:
                events.append(audit.entry(
                    "conversation.opened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"platform": key[0], "thread": key[1],
                                          "priority": state["priority"], "role": state["role"],
                                          "source": self.ingestor.source}))
            elif reopened:
                events.append(audit.entry(
                    "conversation.reopened", actor="ingest", conversation_id=state["id"],
                    at=self.now, details={"reason": "the customer wrote again"}))
        c = table.c
        self.conn.execute(
            update(table).where(c.id == _bind("b_id")).values(
                {name: _bind(f"b_{name}") for name in _FOLDED}
            ),
            updates,
        )
        audit.record_many(self.conn, events)
        return {key: state["id"] for key, state in existing.items()}

    def _load_conversations(self, groups: dict[tuple[str, str], Any]) -> dict[tuple[str, str], dict[str, Any]]:
        if not groups:
            return {}
        c = Conversation.__table__.c  # type: ignore[attr-defined]
        columns = [c.id, c.platform, c.thread_key, *(getattr(c, name) for name in _FOLDED)]
        found = {}
        keys = list(groups)
        for start in range(0, len(keys), 500):
            chunk = keys[start:start + 500]
            query = select(*columns).where(tuple_(c.platform, c.thread_key).in_(chunk))
            for row in self.conn.execute(query).mappings():
                state = {name: row[name] for name in _FOLDED}
                state["id"] = row["id"]
                found[(row["platform"], row["thread_key"])] = state
        return found


_CONTACT_REFRESHED = ("handle", "name", "followers", "verified", "vip", "last_seen")
_FOLDED = (
    "contact_id", "post_id", "campaign", "status", "lang", "intents", "sentiment", "priority",
    "moderation", "sla_policy", "first_response_due", "first_response_at", "awaiting_since",
    "sla_due_at", "last_inbound_at", "last_outbound_at", "last_message_at", "last_text",
    "message_count", "exchange_count", "role", "escalated", "escalation_reason",
    "snoozed_until", "resolved_at", "updated_at", "version",
)


def _fold(
    state: dict[str, Any],
    items: list[tuple[Event, Verdict]],
    batch: _Batch,
    contacts: dict[tuple[str, str], int],
    posts: dict[tuple[str, str], tuple[int, str]],
) -> bool:
    """Fold messages (oldest first) into a conversation's state; True if it was reopened."""
    reopened = False
    for event, verdict in items:
        state["message_count"] += 1
        if event.created_at >= state["last_message_at"] or state["message_count"] == 1:
            state["last_message_at"] = event.created_at
            state["last_text"] = first_line(event.text)
        if event.post and state["post_id"] is None:
            post_id, campaign = posts[(event.platform, event.post.id)]
            state["post_id"], state["campaign"] = post_id, campaign
        if event.direction == "out":
            if state["last_outbound_at"] is None or event.created_at > state["last_outbound_at"]:
                state["last_outbound_at"] = event.created_at
            if state["awaiting_since"] is not None and event.created_at >= state["awaiting_since"]:
                state["exchange_count"] += 1
                state["awaiting_since"] = None
                if state["first_response_at"] is None:
                    state["first_response_at"] = event.created_at
            continue
        if state["contact_id"] is None:
            state["contact_id"] = contacts.get((event.platform, event.author.id))
        if state["last_inbound_at"] is None or event.created_at >= state["last_inbound_at"]:
            state["last_inbound_at"] = event.created_at
            state["sentiment"] = verdict.sentiment
            state["lang"] = verdict.lang
        if state["awaiting_since"] is None:
            state["awaiting_since"] = event.created_at
        if state["status"] != Status.OPEN.value:
            state["status"] = Status.OPEN.value
            state["snoozed_until"] = None
            state["resolved_at"] = None
            reopened = True
        state["intents"] = merged(state["intents"], verdict.intents)
        if verdict.priority > state["priority"] or state["sla_policy"] == "":
            state["priority"] = max(state["priority"], int(verdict.priority))
            state["sla_policy"] = verdict.sla_policy or state["sla_policy"]
        if MODERATION_RANK[verdict.moderation] > MODERATION_RANK.get(state["moderation"], 0):
            state["moderation"] = verdict.moderation
        if ROLE_RANK.get(verdict.role, 1) > ROLE_RANK.get(state["role"], 1):
            state["role"] = verdict.role
        if verdict.escalate and not state["escalated"]:
            state["escalated"] = True
            state["escalation_reason"] = verdict.reason
        if state["first_response_due"] is None and verdict.first_response_due is not None:
            state["first_response_due"] = verdict.first_response_due
    if state["awaiting_since"] is None:
        state["sla_due_at"] = None
    elif state["first_response_at"] is None:
        state["sla_due_at"] = state["first_response_due"]
    else:
        state["sla_due_at"] = batch.pipeline.response_due(
            state["sla_policy"], state["awaiting_since"], first=False
        )
    state["updated_at"] = batch.now
    state["version"] += 1
    return reopened


def _bind(name: str) -> Any:
    return bindparam(name)


def _prefixed(values: dict[str, Any]) -> dict[str, Any]:
    # SQLAlchemy reserves a column's own name for its SET clause; executemany binds use b_*.
    return {f"b_{k}": v for k, v in values.items()}


def read_lines(stream: Any, size: int | None = None,
               progress: Callable[[int, int | None], None] | None = None) -> Iterator[bytes]:
    """Yield the lines of a binary stream, reporting bytes read to `progress`."""
    done = 0
    for line in stream:
        done += len(line)
        if progress is not None:
            progress(done, size)
        yield line
