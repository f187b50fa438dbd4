"""The poller: events go through ingest, checkpoints never pass what the store lacks."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, func, select

from tests.worker_fakes import FakeConnector
from workstation import db
from workstation.clock import FrozenClock
from workstation.connectors.base import Malformed, RateLimited, Transient
from workstation.models import Conversation, DeadLetter, Message
from workstation.pipeline import Pipeline
from workstation.workers.syncer import PollState, poll_connectors, position

STREAM = "instagram:comments"


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


def poll(engine: Engine, fake: FakeConnector, clock: FrozenClock, pipeline: Pipeline,
         **kw: object) -> dict[str, object]:
    report = poll_connectors(engine, [fake], pipeline=lambda: pipeline, clock=clock, **kw)
    return {k: v for k, v in vars(report).items() if v}


def count(engine: Engine, model: type) -> int:
    """Rows of a table (customers' messages only, for `Message`: triage may add replies)."""
    table = model.__table__  # type: ignore[attr-defined]
    query = select(func.count()).select_from(table)
    if model is Message:
        query = query.where(table.c.direction == "in")
    with db.read(engine) as conn:
        return int(conn.execute(query).scalar_one())


def test_new_events_are_ingested_and_the_checkpoint_follows(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 7)
    assert poll(engine, fake, clock, pipeline) == {"pages": 3, "ingested": 7}
    assert position(engine, "fake", STREAM) == "7"
    assert count(engine, Message) == 7 and count(engine, Conversation) == 7
    assert poll(engine, fake, clock, pipeline) == {}
    fake.add_events(STREAM, 2, first=8)
    assert poll(engine, fake, clock, pipeline) == {"pages": 1, "ingested": 2}
    assert count(engine, Message) == 9


def test_polling_again_from_an_old_checkpoint_stores_nothing_twice(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    """A crash between storing a page and moving the checkpoint re-reads the page."""
    fake = FakeConnector()
    fake.add_events(STREAM, 4)
    poll(engine, fake, clock, pipeline)
    fake.name = "fake2"  # same platform, no checkpoint yet: everything is read again
    assert poll(engine, fake, clock, pipeline) == {"pages": 2, "duplicates": 4}
    assert count(engine, Message) == 4


def test_unreadable_items_and_bad_events_go_to_dead_letters(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 3)
    fake.events[STREAM][1]["created_at"] = "yesterday"
    fake.skipped[(STREAM, 0)] = ["item 4: no 'from' field"]
    notes: list[str] = []
    assert poll(engine, fake, clock, pipeline, log=notes.append) == {
        "pages": 1, "ingested": 2, "rejected": 1, "skipped": 1}
    with db.read(engine) as conn:
        dead = conn.execute(select(DeadLetter.__table__.c.source,  # type: ignore[attr-defined]
                                   DeadLetter.__table__.c.reason)).all()  # type: ignore[attr-defined]
    assert {source for source, _ in dead} == {f"fake:{STREAM}"}
    assert any("no 'from' field" in reason for _, reason in dead)
    assert any("created_at" in reason for _, reason in dead)
    assert len(notes) == 2


def test_a_malformed_page_stops_the_stream_where_it_stands(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 9)
    fake.poll_faults[(STREAM, 1)] = Malformed("page 2 is not JSON")
    report = poll(engine, fake, clock, pipeline)
    assert report["ingested"] == 3 and len(report["errors"]) == 1  # type: ignore[arg-type]
    assert "page 2 is not JSON" in report["errors"][0]  # type: ignore[index]
    assert position(engine, "fake", STREAM) == "3"
    assert poll(engine, fake, clock, pipeline) == {"pages": 2, "ingested": 6}
    assert count(engine, Message) == 9


def test_a_failing_stream_does_not_hold_up_the_others(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events("instagram:comments", 2)
    fake.add_events("instagram:mentions", 2, first=10, kind="mention")
    fake.poll_faults[("instagram:comments", 0)] = Transient("503")
    report = poll(engine, fake, clock, pipeline)
    assert report["ingested"] == 2
    assert position(engine, "fake", "instagram:comments") == ""


def test_a_rate_limited_connector_waits_before_it_is_called_again(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 2)
    fake.poll_faults[(STREAM, 0)] = RateLimited("429", retry_after=30)
    state = PollState()
    assert len(poll(engine, fake, clock, pipeline, state=state)["errors"]) == 1  # type: ignore[arg-type]
    fake.poll_faults[(STREAM, 0)] = Transient("must not be called")
    assert poll(engine, fake, clock, pipeline, state=state) == {}
    clock.advance(seconds=31)
    del fake.poll_faults[(STREAM, 0)]
    assert poll(engine, fake, clock, pipeline, state=state) == {"pages": 1, "ingested": 2}


def test_nothing_is_read_without_the_leadership(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 2)
    assert poll(engine, fake, clock, pipeline, guard=lambda: False) == {}
    assert count(engine, Message) == 0 and position(engine, "fake", STREAM) == ""


def test_a_guard_lost_mid_stream_keeps_the_checkpoint_on_stored_pages(
    engine: Engine, clock: FrozenClock, pipeline: Pipeline,
) -> None:
    fake = FakeConnector()
    fake.add_events(STREAM, 9)
    allowed = iter([True, True])  # the stream, then one page
    poll(engine, fake, clock, pipeline, guard=lambda: next(allowed, False))
    assert count(engine, Message) == 3 and position(engine, "fake", STREAM) == "3"
