"""Migration 0013: Meta DM conversations an older connector keyed by Graph's conversation id
become the customer's `dm:` conversation, renamed or merged, on each engine, losing no row."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from typing import Any

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select
from sqlmodel import SQLModel

from tests.factories import event, jsonl
from workstation import audit, audit_chain, db, migrate
from workstation.clock import FrozenClock, iso
from workstation.ingest import Ingestor
from workstation.models import (
    Alert, AuditEvent, ComposerDraft, Conversation, Lead, Message, Outbox, QualifierState,
    Reminder, SlaAlert,
)
from workstation.services import leads, notes
from workstation.services.drafts import DraftState, save_draft
from workstation.services.replies import compose, send_reply

NOW = datetime(2026, 11, 23, 10, tzinfo=UTC)  # a Monday, office hours: no after-hours notice
REVISION = "0013"
_C = Conversation.__table__.c  # type: ignore[attr-defined]


def dm(ident: str, customer: str, thread: str, text: str, minutes_ago: int, *,
       platform: str = "instagram", direction: str = "in") -> dict[str, Any]:
    author = {"id": customer, "handle": customer} if direction == "in" else {
        "id": "brand", "handle": "brulerielumen"}
    return event(ident, platform=platform, kind="dm", thread=thread, text=text,
                 direction=direction, author=author,
                 created_at=iso(NOW - timedelta(minutes=minutes_ago)))


def threads(engine: Engine) -> dict[tuple[str, str], int]:
    with db.read(engine) as conn:
        return {(r.platform, r.thread_key): r.id for r in conn.execute(
            select(_C.platform, _C.thread_key, _C.id))}


def rows(engine: Engine, model: type[SQLModel]) -> list[dict[str, Any]]:
    table = model.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return [dict(r) for r in conn.execute(select(table)).mappings()]


def count(engine: Engine, model: type[SQLModel]) -> int:
    table = model.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return int(conn.execute(select(func.count()).select_from(table)).scalar_one())


def insert(engine: Engine, model: type[SQLModel], **values: Any) -> None:
    row = model(**values).model_dump(exclude={"id"})
    with db.write(engine) as conn:
        conn.execute(model.__table__.insert(), row)  # type: ignore[attr-defined]


def run_migration(engine: Engine) -> None:
    """Take the store back to before 0013 and apply it (the schema is the same: 0013 only
    moves data), whatever revisions come around it."""
    with db.write(engine) as conn:
        config = migrate._config(conn)
        before = ScriptDirectory.from_config(config).get_revision(REVISION).down_revision
        command.stamp(config, before)
    with db.write(engine) as conn:
        command.upgrade(migrate._config(conn), REVISION)


def legacy_store(engine: Engine) -> dict[str, int]:
    """What an older connector left: `t_…` and `aWdf…` DM threads, one beside a `dm:` thread
    of the same customer, with notes, a lead, a reply, drafts, alerts and a flow on them."""
    Ingestor(engine, clock=FrozenClock(NOW)).run(io.BytesIO(jsonl(
        dm("m-1", "ig-1", "t_100", "Bonjour, vous livrez en Belgique ?", 300),
        dm("m-2", "ig-1", "t_100", "Oui, en trois jours.", 290, direction="out"),
        dm("m-3", "ig-1", "dm:ig-1", "Et le samedi ?", 60),
        dm("m-4", "psid-2", "t_200", "Un devis pour 5 kg ?", 200, platform="facebook"),
        dm("m-5", "ig-3", "aWdfZAG06MTpJR01", "Toujours ouvert dimanche ?", 100),
        dm("m-6", "ig-4", "t_400", "Premier fil", 500),
        dm("m-7", "ig-4", "aWdfZAG06OTAwMTA", "Second fil", 50),
        dm("m-8", "ig-5", "demo-t9", "Fil importé d'un fichier", 40),
        dm("m-9", "x-6", "t_900", "On X, a thread id is just an id", 30, platform="x"),
    )))
    known = threads(engine)
    old, new = known[("instagram", "t_100")], known[("instagram", "dm:ig-1")]
    clock = FrozenClock(NOW)
    with db.write(engine) as conn:
        notes.add_note(conn, old, "Client fidèle, offrir la livraison", author="julie", now=NOW)
        leads.ensure_lead_conn(conn, old, now=NOW)
    send_reply(engine, compose(engine, old, text="Oui, le samedi aussi.", clock=clock),
               clock=clock)
    save_draft(engine, DraftState(old, text="older draft"), "julie",
               clock=FrozenClock(NOW - timedelta(hours=1)))
    save_draft(engine, DraftState(new, text="newer draft"), "julie", clock=clock)
    save_draft(engine, DraftState(old, text="tom's draft"), "tom", clock=clock)
    for conversation in (old, new):
        insert(engine, SlaAlert, conversation_id=conversation, kind="breach",
               due_at=NOW - timedelta(hours=1), at=NOW)
    insert(engine, SlaAlert, conversation_id=old, kind="warning",
           due_at=NOW - timedelta(hours=2), at=NOW)
    insert(engine, Reminder, conversation_id=old, kind="follow-up", due_at=NOW, created_at=NOW)
    insert(engine, QualifierState, conversation_id=old, origin_conversation_id=old,
           flow="sales-qualifier", started_at=NOW, updated_at=NOW)
    other = known[("instagram", "dm:ig-1")] + 1000
    insert(engine, Alert, kind="keyword", key="k1", conversation_ids=[old, new, other],
           raised_at=NOW, window_start=NOW, window_end=NOW)
    return {"old": old, "new": new, "other": other, "psid-2": known[("facebook", "t_200")],
            "ig-3": known[("instagram", "aWdfZAG06MTpJR01")],
            "ig-4": known[("instagram", "t_400")], "ig-4b": known[("instagram",
                                                                   "aWdfZAG06OTAwMTA")]}


def test_legacy_meta_dm_threads_are_renamed_or_merged_without_losing_a_row(
    engine: Engine,
) -> None:
    ids = legacy_store(engine)
    old, new = ids["old"], ids["new"]
    table = Conversation.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        before = {r.id: r for r in conn.execute(select(table))}
    placed = {model: {r["id"]: r["conversation_id"] for r in rows(engine, model)}
              for model in (Message, Outbox, Lead, Reminder, QualifierState)}
    merged = {old: new, ids["ig-4b"]: ids["ig-4"]}
    assert all(old in where.values() for where in placed.values())
    old_events = [e.id for e in audit.list_events(engine, conversation_id=old)]

    run_migration(engine)

    assert threads(engine) == {
        ("instagram", "dm:ig-1"): new, ("facebook", "dm:psid-2"): ids["psid-2"],
        ("instagram", "dm:ig-3"): ids["ig-3"], ("instagram", "dm:ig-4"): ids["ig-4"],
        ("instagram", "demo-t9"): threads(engine)[("instagram", "demo-t9")],
        ("x", "t_900"): threads(engine)[("x", "t_900")]}
    for model, where in placed.items():  # every row is still there, moved if it had to
        assert {r["id"]: r["conversation_id"] for r in rows(engine, model)} == {
            ident: merged.get(conversation, conversation)
            for ident, conversation in where.items()}, model
    by_conversation = {m["external_id"]: m["conversation_id"] for m in rows(engine, Message)}
    assert {k: v for k, v in by_conversation.items() if k.startswith("m-")} == {
        "m-1": new, "m-2": new, "m-3": new, "m-4": ids["psid-2"], "m-5": ids["ig-3"],
        "m-6": ids["ig-4"], "m-7": ids["ig-4"], "m-8": by_conversation["m-8"],
        "m-9": by_conversation["m-9"]}
    [flow] = rows(engine, QualifierState)
    assert (flow["conversation_id"], flow["origin_conversation_id"]) == (new, new)
    with db.read(engine) as conn:
        assert [n.text for n in notes.list_notes(conn, new)] == [
            "Client fidèle, offrir la livraison"]
    drafts = {(d["agent"], d["conversation_id"]): d["text"] for d in rows(engine, ComposerDraft)}
    assert drafts == {("julie", new): "newer draft", ("tom", new): "tom's draft"}
    assert sorted((a["kind"], a["conversation_id"]) for a in rows(engine, SlaAlert)) == [
        ("breach", new), ("warning", new)]
    assert [a["conversation_ids"] for a in rows(engine, Alert)] == [[new, ids["other"]]]

    kept = next(r for r in rows(engine, Conversation) if r["id"] == new)
    parts = (before[old], before[new])
    assert kept["message_count"] == sum(p.message_count for p in parts)
    assert kept["last_message_at"] == max(p.last_message_at for p in parts)
    assert kept["created_at"] == min(p.created_at for p in parts)
    assert kept["last_inbound_at"] == before[new].last_inbound_at
    merged_ig4 = next(r for r in rows(engine, Conversation) if r["id"] == ids["ig-4"])
    assert merged_ig4["message_count"] == 2 and merged_ig4["last_text"] == "Second fil"

    merges = {e.details["from"]: (e.conversation_id, e.details)
              for e in audit.list_events(engine, action="conversation.merged")}
    assert merges[old] == (new, {"from": old, "thread": "t_100", "messages": 3,
                                 "dropped": {"composer_draft": 1, "sla_alert": 1}})
    assert merges[ids["ig-4b"]][0] == ids["ig-4"]
    rekeyed = {e.conversation_id: e.details
               for e in audit.list_events(engine, action="conversation.rekeyed")}
    assert rekeyed == {ids["psid-2"]: {"was": "t_200", "now": "dm:psid-2"},
                       ids["ig-3"]: {"was": "aWdfZAG06MTpJR01", "now": "dm:ig-3"},
                       ids["ig-4"]: {"was": "t_400", "now": "dm:ig-4"}}
    # The trail is appended to, never rewritten: the old thread's events are the kept one's.
    history = [e.id for e in audit.list_events(engine, conversation_id=new)]
    assert set(old_events) <= set(history)
    assert audit_chain.verify(engine, AuditEvent.__table__).intact  # type: ignore[attr-defined]

    # Safe to run twice; and a DM keyed by the customer joins the migrated thread.
    snapshot = rows(engine, Conversation)
    run_migration(engine)
    assert rows(engine, Conversation) == snapshot
    Ingestor(engine, clock=FrozenClock(NOW)).run(io.BytesIO(jsonl(
        dm("m-10", "ig-4", "dm:ig-4", "Alors ?", 1))))
    assert {m["external_id"]: m["conversation_id"] for m in rows(engine, Message)}[
        "m-10"] == ids["ig-4"]


def test_a_store_without_legacy_threads_is_left_as_it_is(engine: Engine) -> None:
    Ingestor(engine, clock=FrozenClock(NOW)).run(io.BytesIO(jsonl(
        dm("m-1", "ig-1", "dm:ig-1", "Bonjour", 10),
        event("c-1", created_at=iso(NOW - timedelta(minutes=5))))))
    snapshot = (rows(engine, Conversation), count(engine, AuditEvent))
    run_migration(engine)
    assert (rows(engine, Conversation), count(engine, AuditEvent)) == snapshot
