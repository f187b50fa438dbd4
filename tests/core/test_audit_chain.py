"""The audit trail's hash chain: intact when only appended to, broken where it was tampered."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, delete, select, text, update

from workstation import audit, audit_chain, bulk, db, migrate
from workstation.cli import main
from workstation.models import AuditEvent

T = AuditEvent.__table__  # type: ignore[attr-defined]
WHEN = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def write(engine: Engine, count: int, *, actor: str = "julie") -> None:
    """`count` events, in batches of three and one by one, as the services write them."""
    with db.write(engine) as conn:
        audit.record_many(conn, [
            audit.entry("conversation.tagged", actor=actor, conversation_id=i,
                        at=WHEN + timedelta(seconds=i), details={"tag": f"t{i}", "n": [i]})
            for i in range(count - 1)])
        audit.record(conn, "note.added", actor=actor, at=WHEN, details={1: "int key"})


def ids(engine: Engine) -> list[int]:
    with db.read(engine) as conn:
        return list(conn.execute(select(T.c.id).order_by(T.c.id)).scalars())


def verify(engine: Engine) -> audit_chain.Verdict:
    return audit_chain.verify(engine, T)


def test_an_appended_trail_verifies(engine: Engine) -> None:
    assert verify(engine) == audit_chain.Verdict(0, audit_chain.GENESIS)
    write(engine, 4)
    write(engine, 3, actor="tom")
    verdict = verify(engine)
    assert verdict.intact and verdict.checked == 7
    with db.read(engine) as conn:
        rows = conn.execute(select(T.c.prev_hash, T.c.hash).order_by(T.c.id)).all()
    assert rows[0].prev_hash == audit_chain.GENESIS
    assert all(b.prev_hash == a.hash for a, b in zip(rows, rows[1:], strict=False))
    assert verdict.head == rows[-1].hash


def test_an_altered_event_is_found(engine: Engine) -> None:
    write(engine, 5)
    third = ids(engine)[2]
    with db.write(engine) as conn:
        conn.execute(update(T).where(T.c.id == third).values(actor="mallory"))
    verdict = verify(engine)
    assert (verdict.broken_id, verdict.checked) == (third, 3)
    assert "altered" in verdict.reason


def test_a_rewritten_event_with_a_recomputed_hash_breaks_the_next_link(engine: Engine) -> None:
    write(engine, 5)
    second, third = ids(engine)[1:3]
    with db.read(engine) as conn:
        row = dict(conn.execute(select(T).where(T.c.id == second)).mappings().one())
    row["details"] = {"tag": "forged"}
    with db.write(engine) as conn:
        conn.execute(update(T).where(T.c.id == second).values(
            details=row["details"], hash=audit_chain.link(row["prev_hash"], row)))
    assert verify(engine).broken_id == third


def test_a_removed_event_is_found(engine: Engine) -> None:
    write(engine, 5)
    events = ids(engine)
    with db.write(engine) as conn:
        conn.execute(delete(T).where(T.c.id == events[1]))
    verdict = verify(engine)
    assert verdict.broken_id == events[2]
    assert f"does not follow event #{events[0]}" in verdict.reason


def test_removing_the_first_event_is_found(engine: Engine) -> None:
    write(engine, 3)
    events = ids(engine)
    with db.write(engine) as conn:
        conn.execute(delete(T).where(T.c.id == events[0]))
    assert "the start of the trail" in verify(engine).reason


def test_reordered_events_are_found(engine: Engine) -> None:
    write(engine, 5)
    a, b = ids(engine)[1:3]
    columns = [c for c in T.c if c.name != "id"]
    with db.read(engine) as conn:
        first = conn.execute(select(*columns).where(T.c.id == a)).mappings().one()
        second = conn.execute(select(*columns).where(T.c.id == b)).mappings().one()
    with db.write(engine) as conn:
        conn.execute(update(T).where(T.c.id == a).values(**second))
        conn.execute(update(T).where(T.c.id == b).values(**first))
    assert verify(engine).broken_id == a


def test_the_hash_does_not_depend_on_how_the_time_was_given() -> None:
    event = audit.entry("x", at=WHEN, details={"k": (1, 2)})
    naive = {**event, "at": WHEN.replace(tzinfo=None), "details": {"k": [1, 2]}}
    paris = {**event, "at": WHEN.astimezone(__import__("zoneinfo").ZoneInfo("Europe/Paris"))}
    assert audit_chain.link("a", event) == audit_chain.link("a", naive) == \
        audit_chain.link("a", paris)
    assert audit_chain.link("a", event) != audit_chain.link("b", event)


def test_a_batch_hashes_each_event_as_link_does() -> None:
    # `chain` writes the shared head of a batch's events once; every event must still hash
    # (and keep its details) exactly as `link` and `canonical` do, one by one.
    rows = [
        audit.entry("conversation.opened", actor="ingest", conversation_id=7, at=WHEN,
                    details={"thread": "b\"1\u00e9", "n": 1}),
        audit.entry("conversation.opened", actor="ingest", conversation_id=8, at=WHEN),
        audit.entry("message.hidden", actor="trïage", actor_kind="bot", conversation_id=8,
                    at=WHEN, details={"rules": ["a", "b"], "on_platform": False}),
        audit.entry("note.added", actor="julie", target_kind="contact", target_id='4"2',
                    at=WHEN + timedelta(microseconds=1), details={1: None}),
        audit.entry("reminder.scheduled", actor="system", conversation_id=None, at=WHEN),
        audit.entry("conversation.opened", actor="ingest", conversation_id=9, at=WHEN),
    ]
    details: list[str] = []
    last = audit_chain.chain("p" * 64, [dict(r) for r in rows], details)
    prev = "p" * 64
    for row, text in zip(rows, details, strict=True):
        prev = audit_chain.link(prev, row)
        assert audit_chain.canonical(row).endswith("," + text + "]")
    assert last == prev


def test_concurrent_writers_keep_one_chain(engine: Engine) -> None:
    errors: list[BaseException] = []

    def work(n: int) -> None:
        try:
            for _ in range(10):
                write(engine, 2, actor=f"writer{n}")
        except BaseException as exc:  # surfaced below
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(n,)) for n in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    verdict = verify(engine)
    assert verdict.intact and verdict.checked == 80


def test_an_upgraded_store_verifies(store_url: str) -> None:
    engine = db.make_engine(store_url)
    try:
        migrate.upgrade(engine, "0010")
        old = [audit.entry("conversation.resolved", actor="julie", conversation_id=i,
                           at=WHEN + timedelta(minutes=i), details={"code": "answered"})
               for i in range(7)]
        with db.write(engine) as conn:
            bulk.insert(conn, T, old)  # the 0010 table: no hash columns yet
        migrate.upgrade(engine)
        assert verify(engine).intact and verify(engine).checked == 7
        write(engine, 2)
        assert verify(engine).checked == 9 and verify(engine).intact
    finally:
        engine.dispose()


def test_audit_verify_exits_1_on_the_first_broken_event(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = db.open_store(url)
    write(engine, 3)
    assert main(["--db", url, "audit", "verify"]) == 0
    assert capsys.readouterr().out.startswith("intact: 3 events, head ")
    with db.write(engine) as conn:
        conn.execute(text("UPDATE audit_event SET action = 'x' WHERE id = 2"))
    assert main(["--db", url, "audit", "verify"]) == 1
    assert capsys.readouterr().out == (
        "broken at event #2: event #2 was altered after it was written\n")
    engine.dispose()
