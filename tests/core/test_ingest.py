"""Ingest: dedupe, threading, contacts, SLA state and the audit it leaves, on both engines."""

from __future__ import annotations

import io
from datetime import UTC, datetime
from pathlib import Path

from sqlalchemy import Engine, func, select, update

from tests.factories import event, jsonl
from workstation import audit, db
from workstation.clock import FrozenClock
from workstation.ingest import Ingestor, IngestReport
from workstation.models import AuditEvent, Contact, Conversation, Lead, Message, Outbox

NOW = datetime(2026, 11, 21, tzinfo=UTC)


def ingest(engine: Engine, data: bytes, batch: int = 2000) -> IngestReport:
    ingestor = Ingestor(engine, clock=FrozenClock(NOW), source="events.jsonl")
    return ingestor.run(io.BytesIO(data), batch=batch)


def count(engine: Engine, model: type) -> int:
    with db.read(engine) as conn:
        return conn.execute(select(func.count()).select_from(model.__table__)).scalar_one()


def conversations(engine: Engine) -> list[dict]:
    with db.read(engine) as conn:
        rows = conn.execute(select(Conversation.__table__).order_by("id")).mappings().all()
    return [dict(r) for r in rows]


def thread_of(engine: Engine, platform: str, ident: str) -> int:
    m = Message.__table__.c
    with db.read(engine) as conn:
        return conn.execute(
            select(m.conversation_id).where(m.platform == platform, m.external_id == ident)
        ).scalar_one()


def test_same_platform_and_id_is_taken_once(engine: Engine) -> None:
    data = jsonl(event("c1"), event("c1", text="edited"), event("c2"))
    first = ingest(engine, data)
    again = ingest(engine, data)
    assert (first.ingested, first.duplicates) == (2, 1)
    assert (again.ingested, again.duplicates) == (0, 3)
    assert count(engine, Message) == 2


def test_same_id_on_two_platforms_is_two_messages(engine: Engine) -> None:
    report = ingest(engine, jsonl(event("1"), event("1", platform="facebook")))
    assert report.ingested == 2
    assert len(conversations(engine)) == 2


def test_replies_join_their_root_comment_in_any_order_and_batch(engine: Engine) -> None:
    ingest(engine, jsonl(
        event("r2", parent="r1", created_at="2026-11-20T10:02:00Z"),
        event("r1", parent="root", created_at="2026-11-20T10:01:00Z"),
        event("root"),
    ))
    ingest(engine, jsonl(event("r3", parent="r2", created_at="2026-11-20T10:03:00Z")), batch=1)
    ids = {thread_of(engine, "instagram", i) for i in ("root", "r1", "r2", "r3")}
    assert len(ids) == 1
    (conv,) = conversations(engine)
    assert conv["thread_key"] == "root"
    assert conv["message_count"] == 4


def test_explicit_thread_wins_and_dms_without_thread_group_by_author(engine: Engine) -> None:
    ingest(engine, jsonl(
        event("d1", kind="dm", thread="t-9"),
        event("d2", kind="dm", thread="t-9", author={"id": "u-2"}),
        event("d3", kind="dm"),
        event("d4", kind="dm", created_at="2026-11-20T11:00:00Z"),
    ))
    assert thread_of(engine, "instagram", "d1") == thread_of(engine, "instagram", "d2")
    assert thread_of(engine, "instagram", "d3") == thread_of(engine, "instagram", "d4")
    assert thread_of(engine, "instagram", "d1") != thread_of(engine, "instagram", "d3")


def test_contacts_are_created_once_and_refreshed_only_by_newer_events(engine: Engine) -> None:
    ingest(engine, jsonl(
        event("a", author={"id": "u-7", "handle": "old", "followers": 10}),
        event("b", author={"id": "u-7", "handle": "new", "followers": 60000},
              created_at="2026-11-20T12:00:00Z"),
    ))
    ingest(engine, jsonl(event("c", author={"id": "u-7", "handle": "stale", "followers": 5},
                               created_at="2026-11-19T12:00:00Z")))
    with db.read(engine) as conn:
        rows = conn.execute(select(Contact.__table__)).mappings().all()
    assert len(rows) == 1
    assert (rows[0]["handle"], rows[0]["followers"], rows[0]["vip"]) == ("new", 60000, True)


def test_our_reply_clears_the_sla_and_counts_an_exchange(engine: Engine) -> None:
    ingest(engine, jsonl(
        event("q1", created_at="2026-11-20T10:00:00Z"),
        event("a1", parent="q1", direction="out", author={"id": "brand"},
              created_at="2026-11-20T10:30:00Z"),
    ))
    (conv,) = conversations(engine)
    assert conv["sla_due_at"] is None and conv["awaiting_since"] is None
    assert conv["exchange_count"] == 1
    assert conv["first_response_at"] == datetime(2026, 11, 20, 10, 30, tzinfo=UTC)
    ingest(engine, jsonl(event("q2", parent="q1", created_at="2026-11-20T11:00:00Z")))
    (conv,) = conversations(engine)
    assert conv["awaiting_since"] == datetime(2026, 11, 20, 11, 0, tzinfo=UTC)
    assert conv["sla_due_at"] > conv["awaiting_since"]
    assert conv["message_count"] == 3


def test_first_response_due_follows_the_first_customer_message(engine: Engine) -> None:
    ingest(engine, jsonl(event("q1")))
    (conv,) = conversations(engine)
    assert conv["sla_due_at"] == conv["first_response_due"]
    assert conv["first_response_due"] > datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def test_a_new_message_reopens_a_resolved_conversation_and_is_audited(engine: Engine) -> None:
    ingest(engine, jsonl(event("q1")))
    with db.write(engine) as conn:
        conn.execute(update(Conversation.__table__).values(status="resolved"))
    ingest(engine, jsonl(event("q2", parent="q1", created_at="2026-11-20T12:00:00Z")))
    (conv,) = conversations(engine)
    assert conv["status"] == "open"
    actions = [e.action for e in audit.list_events(engine, conversation_id=conv["id"])]
    assert actions == ["conversation.opened", "conversation.reopened"]


def test_unknown_fields_are_kept(engine: Engine) -> None:
    ingest(engine, jsonl(event("x1", likes=4, media={"type": "reel"})))
    with db.read(engine) as conn:
        extra = conn.execute(select(Message.__table__.c.extra)).scalar_one()
    assert extra == {"likes": 4, "media": {"type": "reel"}}


def test_post_and_campaign_attach_to_the_conversation(engine: Engine) -> None:
    post = {"id": "p-1", "caption": "New grinder", "campaign": "moulin-m2-launch"}
    ingest(engine, jsonl(event("c1", post=post), event("c2", parent="c1", post=post)))
    (conv,) = conversations(engine)
    assert conv["campaign"] == "moulin-m2-launch" and conv["post_id"] is not None


def test_ten_thousand_lines_in_small_batches(engine: Engine) -> None:
    lines = [
        event(f"m{i}", thread=f"t{i % 2500}", author={"id": f"u{i % 2500}"},
              created_at=f"2026-11-20T{i % 24:02d}:{i % 60:02d}:00Z")
        for i in range(10_000)
    ]
    report = ingest(engine, jsonl(*lines), batch=700)
    assert (report.ingested, report.duplicates, report.rejected) == (10_000, 0, 0)
    assert report.conversations == 2500
    assert count(engine, Message) == 10_000
    assert count(engine, Contact) == 2500
    assert sum(c["message_count"] for c in conversations(engine)) == 10_000
    opened = [e for e in audit.list_events(engine) if e.action == "conversation.opened"]
    assert len(opened) == 2500


TEXTS = (
    "What time do you open on Saturday?", "How much is the Moulin M2? I'd like to order one",
    "Follow for follow!! check my page, free followers here", "you're such a moron",
    "C'est combien le Sidamo ? Je veux commander", "Is my order shipped? It's been a week",
    "love it 😍", "my grinder broke after a month, I want a refund", "merci beaucoup !",
    "code NOEL10 does not work", "stop",
)


def mixed_events(count: int) -> list[dict]:
    """Comments and their replies, DM threads, our answers, spam, insults, leads, stop words,
    over two days before NOW, from 40 people on three platforms."""
    found = []
    for i in range(count):
        platform = ("instagram", "facebook", "x")[i % 3]
        fields: dict = {"platform": platform, "text": TEXTS[(i * 7) % len(TEXTS)],
                        "author": {"id": f"u{i % 40}", "handle": f"h{i % 40}",
                                   "followers": (i * 37) % 90_000},
                        "created_at": f"2026-11-{19 + i % 2}T{i % 24:02d}:{i % 60:02d}:00Z"}
        if i % 5 == 1:
            fields.update(kind="dm", thread=f"dm-{i % 40}")
        elif i % 5 == 2 and i > 10:
            fields.update(parent=f"e{i - 10}" if (i - 10) % 5 not in (1,) else f"e{i - 12}")
        elif i % 5 == 3:
            fields.update(post={"id": f"p{i % 4}", "caption": "Noël ☕", "campaign": "noel"})
        if i % 9 == 4:
            fields["direction"] = "out"
        found.append(event(f"e{i}", **fields))
    return found


def store_contents(engine: Engine) -> dict[str, list]:
    """What ingest wrote, in a form both engines and both runs read alike."""
    tables = {"message": Message, "conversation": Conversation, "contact": Contact,
              "outbox": Outbox, "lead": Lead}
    found: dict[str, list] = {}
    with db.read(engine) as conn:
        for name, model in tables.items():
            table = model.__table__
            found[name] = [dict(r) for r in conn.execute(
                select(table).order_by(table.c.id)).mappings()]
        t = AuditEvent.__table__
        found["audit"] = [dict(r) for r in conn.execute(
            select(t.c.action, t.c.actor, t.c.target_kind, t.c.target_id, t.c.conversation_id,
                   t.c.details, t.c.hash).order_by(t.c.id)).mappings()]
    return found


def test_worker_processes_store_what_one_process_stores(engine: Engine, tmp_path: Path) -> None:
    # The CLI reads large files on two worker processes, which send what they read back as
    # plain tuples; the store must end up exactly as when one process does everything.
    lines = mixed_events(600)
    data = jsonl(*lines, b"{not json", lines[7])
    clock = FrozenClock(NOW)
    alone = db.open_store(f"sqlite:///{tmp_path}/alone.db")
    runs = [Ingestor(engine, clock=clock, source="f", workers=2).run(io.BytesIO(data), 70),
            Ingestor(alone, clock=clock, source="f").run(io.BytesIO(data), 70)]
    assert [(r.ingested, r.duplicates, r.rejected, r.conversations) for r in runs] == [
        (600, 1, 1, runs[1].conversations)] * 2
    parallel, single = store_contents(engine), store_contents(alone)
    alone.dispose()
    assert parallel == single
    assert {m["moderation"] for m in single["message"]} >= {"allow", "review", "hide", "ban"}
    assert single["lead"] and single["outbox"]
