"""The audit trail's filters: actor, conversation, action (exact or prefix) and period."""

from __future__ import annotations

from datetime import UTC
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine

from tests import seed
from tests.seed import at
from workstation import audit, db
from workstation.services.audit_trail import (
    FilterError,
    TrailFilter,
    known_names,
    parse_conversation,
    parse_when,
    read_trail,
)

PARIS = ZoneInfo("Europe/Paris")
NOW = at("2026-11-26T12:00")


@pytest.fixture
def trail(engine: Engine) -> Engine:
    with db.write(engine) as conn:
        seed.agent(conn, "julie")
        seed.event(conn, "conversation.opened", when=at("2026-11-19T23:30"), actor="ingest",
                   conversation_id=1)
        seed.event(conn, "conversation.resolved", when=at("2026-11-20T10:00"), actor="julie",
                   conversation_id=1, code="answered")
        seed.event(conn, "reply_queued", when=at("2026-11-21T09:00"), actor="marc",
                   conversation_id=2)
        seed.event(conn, "reply.queued", when=at("2026-11-25T09:00"), actor="julie",
                   conversation_id=2)
        seed.event(conn, "rules.reloaded", when=at("2026-11-26T11:00"))
    return engine


def _actions(events: list[audit.AuditView]) -> list[str]:
    return [e.action for e in events]


def test_list_events_keeps_its_old_behaviour(trail: Engine) -> None:
    assert len(audit.list_events(trail)) == 5
    assert _actions(audit.list_events(trail, conversation_id=2)) == ["reply_queued",
                                                                     "reply.queued"]
    assert _actions(audit.list_events(trail, actor="julie", since=at("2026-11-21T00:00"))) == [
        "reply.queued"]
    assert _actions(audit.list_events(trail, limit=2)) == ["reply.queued", "rules.reloaded"]


def test_action_is_exact_or_a_prefix_and_until_is_exclusive(trail: Engine) -> None:
    assert _actions(audit.list_events(trail, action="reply.queued")) == ["reply.queued"]
    # `_` and `%` in a prefix are taken literally, not as LIKE wildcards.
    assert _actions(audit.list_events(trail, action="reply.*")) == ["reply.queued"]
    assert _actions(audit.list_events(trail, action="conversation.*")) == [
        "conversation.opened", "conversation.resolved"]
    assert _actions(audit.list_events(trail, until=at("2026-11-20T10:00"))) == [
        "conversation.opened"]


def test_a_page_is_newest_first_and_knows_there_is_more(trail: Engine) -> None:
    page = read_trail(trail, TrailFilter(), limit=3)
    assert _actions(list(page.events)) == ["rules.reloaded", "reply.queued", "reply_queued"]
    assert page.more
    page = read_trail(trail, TrailFilter(actor="julie", action="conversation.*"))
    assert _actions(list(page.events)) == ["conversation.resolved"] and not page.more
    assert page.events[0].details == {"code": "answered"}


def test_periods_as_people_write_them() -> None:
    day = parse_when("2026-11-20", now=NOW, zone=PARIS)
    assert day == (at("2026-11-20T00:00+01:00"), at("2026-11-21T00:00+01:00"))
    assert parse_when("2026-11-20..2026-11-22", now=NOW, zone=UTC) == (
        at("2026-11-20T00:00"), at("2026-11-23T00:00"))
    assert parse_when("..2026-11-22", now=NOW, zone=UTC) == (None, at("2026-11-23T00:00"))
    assert parse_when("2026-11-22..", now=NOW, zone=UTC) == (at("2026-11-22T00:00"), None)
    assert parse_when("7d", now=NOW, zone=UTC) == (at("2026-11-19T12:00"), None)
    assert parse_when("today", now=NOW, zone=UTC) == (at("2026-11-26T00:00"),
                                                      at("2026-11-27T00:00"))
    assert parse_when(" ", now=NOW, zone=UTC) == (None, None)
    for bad in ("last week", "2026-13-01", "2026-11-22..2026-11-20"):
        with pytest.raises(FilterError):
            parse_when(bad, now=NOW, zone=UTC)


def test_a_day_in_paris_is_not_a_day_in_utc(trail: Engine) -> None:
    since, until = parse_when("2026-11-20", now=NOW, zone=PARIS)
    page = read_trail(trail, TrailFilter(since=since, until=until))
    # 23:30Z on the 19th is half past midnight on the 20th in Paris.
    assert _actions(list(page.events)) == ["conversation.resolved", "conversation.opened"]
    since, until = parse_when("2026-11-19", now=NOW, zone=UTC)
    assert _actions(list(read_trail(trail, TrailFilter(since=since, until=until)).events)) == [
        "conversation.opened"]


def test_conversation_filter_and_known_names(trail: Engine) -> None:
    assert parse_conversation("#42") == 42 and parse_conversation("") is None
    with pytest.raises(FilterError):
        parse_conversation("forty-two")
    actors, actions = known_names(trail)
    assert actors == ("ingest", "julie", "marc", "system")
    assert "conversation.resolved" in actions and "rules.reloaded" in actions
