"""Response times recorded as replies are written agree with the ones worked out from the
threads' messages (what migration 0016 fills older stores with), whether the replies came
through the reply service, ingest or the demo generator; both engines."""

from __future__ import annotations

import io
from collections import defaultdict
from datetime import UTC, datetime, timedelta

import pytest
from alembic import command
from sqlalchemy import Engine, select, text

from tests.factories import event, jsonl
from workstation import db, kpi, migrate, response_times
from workstation.clock import FrozenClock
from workstation.demo.build import build_demo
from workstation.ingest import Ingestor
from workstation.kpi_breakdowns import next_response
from workstation.models import Conversation, Message
from workstation.services import replies
from workstation.workers import jobs

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
T0 = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def at(minutes: int) -> datetime:
    return T0 + timedelta(minutes=minutes)


def iso(minutes: int) -> str:
    return at(minutes).isoformat().replace("+00:00", "Z")


def ingest(engine: Engine, *events: dict, clock_minutes: int, batch: int = 2000) -> None:
    report = Ingestor(engine, clock=FrozenClock(at(clock_minutes)), source="t.jsonl").run(
        io.BytesIO(jsonl(*events)), batch=batch)
    assert report.rejected == 0


def stored_waits(engine: Engine, conversation_id: int) -> list[float | None]:
    """`response_seconds` of the thread's messages but the bot's, in time order."""
    return [waited for author, _, waited in _thread(engine, conversation_id) if author != "bot"]


def _thread(engine: Engine, conversation_id: int) -> list[tuple[str, bool, float | None]]:
    """(author kind, deleted, response_seconds) of the thread's messages, in time order."""
    with db.read(engine) as conn:
        return [tuple(r) for r in conn.execute(
            select(_M.author_kind, _M.deleted, _M.response_seconds)
            .where(_M.conversation_id == conversation_id).order_by(_M.created_at, _M.id))]


def assert_stored_equal_worked_out(engine: Engine) -> int:
    """Every stored wait and first message time equals what `response_times` works out from
    the messages; returns how many waits were compared."""
    threads: dict[int, list] = defaultdict(list)
    stored: dict[int, float] = {}
    with db.read(engine) as conn:
        for row in conn.execute(select(_M.id, _M.conversation_id, _M.created_at, _M.direction,
                                       _M.author_kind, _M.deleted, _M.extra,
                                       _M.response_seconds)):
            delivery = (row.extra or {}).get("delivery")
            threads[row.conversation_id].append(response_times.Said(
                row.id, row.created_at, row.direction == "in",
                response_times.is_answer(row.direction, row.author_kind, row.deleted, delivery)))
            if row.response_seconds is not None:
                stored[row.id] = row.response_seconds
        firsts = dict(conn.execute(select(_C.id, _C.first_message_at)).all())
    worked_out: dict[int, float] = {}
    for conversation_id, thread in threads.items():
        worked_out.update(response_times.waits(thread))
        assert firsts[conversation_id] == min(s.at for s in thread), conversation_id
    assert stored.keys() == worked_out.keys()
    for message_id, seconds in worked_out.items():
        assert stored[message_id] == pytest.approx(seconds, abs=1e-6)
    return len(stored)


def test_replies_through_the_service(team: Engine) -> None:
    engine = team
    thread = {"parent": "c1"}
    ingest(engine, event("c1", text="Do you ship to Belgium?", created_at=iso(0)),
           event("c2", text="And to Spain?", created_at=iso(5), **thread), clock_minutes=6)
    with db.read(engine) as conn:
        conv = conn.execute(select(_C.id)).scalar_one()

    def reply(minutes: int, words: str, *, bot: bool = False) -> int:
        clock = FrozenClock(at(minutes))
        draft = replies.compose(engine, conv, text=words, agent=None if bot else "julie",
                                bot=bot, clock=clock)
        return replies.send_reply(engine, draft, clock=clock).id

    reply(20, "Yes to both, three days.")  # answers c1: waited since 10:00
    reply(25, "Anything else?", bot=True)  # nobody was waiting
    ingest(engine, event("c3", text="How much is it?", created_at=iso(40), **thread),
           clock_minutes=41)
    jobs.flows(jobs.Context(engine, clock=FrozenClock(at(41))))  # the qualifier greets
    reply(41, "Someone will answer you shortly.", bot=True)  # the bot does not answer
    reply(60, "It is free above 40 euros.")  # waited since 10:40
    ingest(engine, event("c4", text="Great, thanks", created_at=iso(90), **thread),
           clock_minutes=91)
    cancelled = reply(95, "You are welcome!")
    replies.cancel_reply(engine, cancelled, actor="julie", clock=FrozenClock(at(96)))
    reply(120, "You are welcome, enjoy!")  # the cancelled reply answered nothing

    # The sales-lead rule's qualifier DMs (the bot) answer nobody either.
    thread_rows = [(author, deleted, waited) for author, deleted, waited in _thread(engine, conv)]
    assert [w for a, d, w in thread_rows if a == "agent" and not d] == [1200.0, 1200.0, 1800.0]
    assert {w for a, d, w in thread_rows if a != "agent" or d} == {None}
    assert sum(a == "bot" for a, _, _ in thread_rows) >= 3
    assert assert_stored_equal_worked_out(engine) == 3
    figures = kpi.compute(engine, now=at(180), days=1).scopes[""]
    assert figures.metric("first_response_mean") == pytest.approx(1200.0, abs=0.01)
    later = next_response(engine, at(-60), at(180))
    assert (later.count, later.mean) == (2, pytest.approx(1500.0, abs=0.01))


def test_replies_taken_in_by_ingest_in_any_order_and_batch(engine: Engine) -> None:
    ours = {"direction": "out", "author": {"id": "brand", "handle": "brand"}}
    events = [
        event("a3", text="Thanks!", created_at=iso(10), parent="a1", **ours),
        event("a1", text="Is the grinder back in stock?", created_at=iso(0)),
        event("a2", text="The black one", created_at=iso(2), parent="a1"),
        event("a5", text="Next week.", created_at=iso(45), parent="a1", **ours),
        event("a4", text="When exactly?", created_at=iso(30), parent="a1"),
        event("a6", text="Sorry, Tuesday.", created_at=iso(50), parent="a1", **ours),
        event("d1", kind="dm", thread="t9", text="Hello?", created_at=iso(5)),
        event("d2", kind="dm", thread="t9", text="Hi, how can we help?", created_at=iso(7),
              **ours),
    ]
    ingest(engine, *events[:4], clock_minutes=60, batch=2)
    ingest(engine, *events[4:], clock_minutes=60, batch=3)
    a1 = _conversation_of(engine, "a1")
    assert stored_waits(engine, a1) == [None, None, 600.0, None, 900.0, None]
    assert stored_waits(engine, _conversation_of(engine, "d1")) == [None, 120.0]
    assert assert_stored_equal_worked_out(engine) == 3
    with db.read(engine) as conn:
        first = conn.execute(select(_C.first_message_at).where(_C.id == a1)).scalar_one()
    assert first == at(0)  # the thread reached the store at 11:00, the customer wrote at 10:00
    assert kpi.compute(engine, now=at(120), days=1).scopes[""].metric(
        "first_response_mean") == pytest.approx((600 + 120) / 2, abs=0.01)


def test_the_demo_store(engine: Engine) -> None:
    build_demo(engine, size=1500, seed=2, clock=FrozenClock(datetime(2026, 11, 26, tzinfo=UTC)))
    assert assert_stored_equal_worked_out(engine) > 300


def test_the_migration_fills_a_store_written_before(store_url: str) -> None:
    engine = db.make_engine(store_url)
    with db.write(engine) as conn:
        command.upgrade(migrate._config(conn), "0011")
        conn.execute(text(
            "INSERT INTO conversation (id, platform, kind, thread_key, campaign, status, lang,"
            " intents, tags, sentiment, priority, moderation, sla_policy, last_message_at,"
            " last_text, message_count, exchange_count, role, escalated, escalation_reason,"
            " resolution_code, created_at, updated_at, version) VALUES (1, 'x', 'dm', 't1', '',"
            " 'open', 'en', ' ', ' ', 0, 1, 'allow', '', '2026-11-20 11:00:00', 'hi', 5, 2,"
            " 'agent', false, '', '', '2026-11-20 10:30:00', '2026-11-20 11:00:00', 1)"))
        rows = [  # id, minutes, direction, author, deleted
            (1, 0, "in", "customer", False), (2, 1, "out", "bot", False),
            (3, 20, "out", "agent", False), (4, 30, "in", "customer", False),
            (5, 32, "out", "agent", True), (6, 50, "out", "agent", False),
        ]
        for ident, minutes, direction, author, deleted in rows:
            conn.execute(text(
                "INSERT INTO message (id, platform, external_id, conversation_id,"
                " parent_external_id, direction, author_kind, text, lang, sentiment, intents,"
                " moderation, categories, hidden, hidden_reason, deleted, created_at,"
                " received_at, extra) VALUES (:id, 'x', :ext, 1, '', :dir, :author, 'm', 'en',"
                " 0, ' ', 'allow', ' ', false, '', :deleted, :at, :at, '{}')"),
                {"id": ident, "ext": f"m{ident}", "dir": direction, "author": author,
                 "deleted": deleted, "at": at(minutes).strftime("%Y-%m-%d %H:%M:%S")})
    migrate.upgrade(engine)
    assert stored_waits(engine, 1) == [None, 1200.0, None, None, 1200.0]
    with db.read(engine) as conn:
        assert conn.execute(select(_C.first_message_at)).scalar_one() == at(0)
    engine.dispose()


def _conversation_of(engine: Engine, external_id: str) -> int:
    with db.read(engine) as conn:
        return conn.execute(select(_M.conversation_id)
                            .where(_M.external_id == external_id)).scalar_one()
