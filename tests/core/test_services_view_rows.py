"""Reading views: SLA order, keyset pages that agree with one big read, filters, search,
counts, a row's rank, who is viewing, and the change token that drives live updates."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, insert, update

from tests.queue_factories import NOW, agents, conversation
from workstation import db
from workstation.models import Conversation, Lead, Message
from workstation.services import view_rows
from workstation.services.view_rows import ViewQuery, search_terms
from workstation.services.views import SHIPPED, SORTS, ViewDef, ViewFilter

ALL = SHIPPED[-1]
BY_KEY = {v.key: v for v in SHIPPED}


def q(view: ViewDef = ALL, search: str = "", agent: str = "julie") -> ViewQuery:
    return ViewQuery(view, agent, NOW, search)


def ids(engine: Engine, view: ViewDef = ALL, search: str = "", **kw: object) -> list[int]:
    return [r.id for r in view_rows.page(engine, q(view, search), limit=1000, **kw)]


@pytest.fixture
def mixed(engine: Engine) -> Engine:
    """24 open conversations with colliding SLA times and priorities, some with no SLA."""
    agents(engine)
    for i in range(1, 25):
        conversation(engine, i, priority=i % 4,
                     sla_due_at=None if i % 7 == 0 else NOW + timedelta(minutes=10 * (i % 5)),
                     last_message_at=NOW - timedelta(minutes=i % 6))
    return engine


def test_open_conversations_by_sla_due_then_priority_then_id(mixed: Engine) -> None:
    rows = view_rows.page(mixed, q(), limit=100)
    due = [r for r in rows if r.sla_due_at is not None]
    assert rows[len(due):] == [r for r in rows if r.sla_due_at is None]
    assert [(r.sla_due_at, -r.priority, r.id) for r in due] == sorted(
        (r.sla_due_at, -r.priority, r.id) for r in due)


@pytest.mark.parametrize("sort", SORTS)
def test_keyset_pages_forward_and_backward_agree_with_one_read(mixed: Engine, sort: str) -> None:
    view = replace(ALL, sort=sort)
    whole = ids(mixed, view)
    assert sorted(whole) == list(range(1, 25))
    walked, after = [], None
    while True:
        rows = view_rows.page(mixed, q(view), after=after, limit=5)
        if not rows:
            break
        walked += [r.id for r in rows]
        after = rows[-1].key
    assert walked == whole
    back, before = [], view_rows.last_page(mixed, q(view), limit=5)
    back = [r.id for r in before]
    while before:
        before = view_rows.page(mixed, q(view), before=before[0].key, limit=5)
        back = [r.id for r in before] + back
    assert back == whole
    assert [r.id for r in view_rows.page(mixed, q(view), offset=7, limit=3)] == whole[7:10]


def test_each_row_is_located_at_its_index(mixed: Engine) -> None:
    whole = ids(mixed)
    for index, ident in enumerate(whole):
        found = view_rows.locate(mixed, q(), ident)
        assert found is not None and found[0] == index and found[1].id == ident
    assert view_rows.locate(mixed, q(BY_KEY["mine"]), whole[0]) is None


def test_the_shipped_views(engine: Engine) -> None:
    team = agents(engine)
    conversation(engine, 1, assignee_id=team["julie"])
    conversation(engine, 2, claimed_by=team["julie"], claim_expires_at=NOW + timedelta(minutes=5))
    conversation(engine, 3, claimed_by=team["julie"], claim_expires_at=NOW - timedelta(minutes=5))
    conversation(engine, 4, assignee_id=team["tom"], sla_due_at=NOW - timedelta(minutes=3))
    conversation(engine, 5, intents=" purchase question ", kind="dm")
    conversation(engine, 6, tags=" sales-lead ", kind="mention")
    conversation(engine, 7, escalated=True, role="senior")
    conversation(engine, 8, moderation="hide", status="snoozed")
    conversation(engine, 9, status="resolved", intents=" purchase ")
    conversation(engine, 10, sla_due_at=NOW + timedelta(minutes=59))
    with db.write(engine) as conn:
        conn.execute(insert(Lead.__table__), {  # type: ignore[attr-defined]
            "conversation_id": 3, "stage": "qualifying", "answers": {}, "created_at": NOW,
            "updated_at": NOW})
    assert {v.key: sorted(ids(engine, v)) for v in SHIPPED} == {
        "mine": [1, 2], "unassigned": [2, 3, 5, 6, 7, 10],
        "breaching": [1, 4, 10], "leads": [3, 5, 6], "escalated": [7], "moderation": [8],
        "dms": [5], "comments": [1, 2, 3, 4, 6, 7, 10], "all": [1, 2, 3, 4, 5, 6, 7, 10],
    }
    counts = view_rows.counts(engine, list(SHIPPED), agent="julie", now=NOW)
    assert counts == {v.key: len(ids(engine, v)) for v in SHIPPED}
    assert view_rows.count(engine, q(BY_KEY["leads"])) == 3


def test_user_filters_vip_priority_platform_and_named_assignee(engine: Engine) -> None:
    team = agents(engine)
    conversation(engine, 1, vip=True, priority=3, platform="x")
    conversation(engine, 2, vip=True, priority=1, assignee_id=team["tom"])
    conversation(engine, 3, priority=3, platform="x")
    view = ViewDef("v", "V", ViewFilter(vip=True, min_priority=2))
    assert ids(engine, view) == [1]
    assert ids(engine, ViewDef("p", "P", ViewFilter(platforms=("x",)))) == [1, 3]
    assert ids(engine, ViewDef("t", "T", ViewFilter(assignee="tom"))) == [2]
    assert ids(engine, ViewDef("n", "N", ViewFilter(vip=False))) == [3]


def test_search_matches_author_text_tag_intent_platform(engine: Engine) -> None:
    agents(engine)
    conversation(engine, 1, author="lea.martin", messages=("the grinder broke", "any news?"))
    conversation(engine, 2, tags=" vip-care ", intents=" refund ")
    conversation(engine, 3, platform="tiktok", last_text="100% arabica_blend")
    conversation(engine, 4, author="tom_99")
    assert ids(engine, search="lea") == [1]
    assert ids(engine, search="@LEA") == [1]
    assert ids(engine, search="grinder") == [1]      # an earlier message of the thread
    assert ids(engine, search='"any news"') == [1]
    assert ids(engine, search="#vip") == [2]
    assert ids(engine, search="intent:ref") == [2]
    assert ids(engine, search="platform:tik") == [3]
    assert ids(engine, search="100%") == [3]          # LIKE wildcards are literal
    assert ids(engine, search="_") == [3, 4]
    assert ids(engine, search="author:tom_") == [4]
    assert ids(engine, search="lea refund") == []
    assert view_rows.count(engine, q(search="@lea")) == 1


def test_search_terms_survive_unbalanced_quotes() -> None:
    assert search_terms('"unbalanced @lea') == [("any", '"unbalanced'), ("author", "lea")]
    assert search_terms("tag: nothing:x") == [("any", "tag:"), ("any", "nothing:x")]


def test_who_is_viewing_is_a_live_claim(engine: Engine) -> None:
    team = agents(engine)
    conversation(engine, 1, claimed_by=team["tom"], claim_expires_at=NOW + timedelta(seconds=30),
                 assignee_id=team["julie"])
    conversation(engine, 2, claimed_by=team["tom"], claim_expires_at=NOW - timedelta(seconds=1))
    rows = {r.id: r for r in view_rows.page(engine, q())}
    assert (rows[1].viewer, rows[1].assignee) == ("tom", "julie")
    assert rows[2].viewer == ""


def test_the_change_token_moves_with_any_write(engine: Engine) -> None:
    agents(engine)
    conversation(engine, 1)
    first = view_rows.change_token(engine)
    assert view_rows.change_token(engine) == first
    with db.write(engine) as conn:
        conn.execute(update(Conversation.__table__).values(  # type: ignore[attr-defined]
            last_text="new", version=Conversation.version + 1))
    second = view_rows.change_token(engine)
    assert second != first
    with db.write(engine) as conn:
        conn.execute(insert(Message.__table__), {  # type: ignore[attr-defined]
            "platform": "instagram", "external_id": "late", "conversation_id": 1,
            "text": "hi", "created_at": NOW, "received_at": NOW, "extra": {}})
    assert view_rows.change_token(engine) != second
