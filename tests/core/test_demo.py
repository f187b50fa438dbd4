"""The demo store: deterministic for a seed, believable, and showing what the brief asks."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from workstation import db
from workstation.clock import FrozenClock
from workstation.demo import catalogue
from workstation.demo.build import DemoError, build_demo
from workstation.models import (
    Agent, AuditEvent, Contact, Conversation, Lead, Message, UgcRightsRequest,
)

NOW = datetime(2026, 11, 26, 9, 30, tzinfo=UTC)


def snapshot(engine: Engine) -> list[tuple]:
    m = Message.__table__.c
    with db.read(engine) as conn:
        return [tuple(r) for r in conn.execute(
            select(m.external_id, m.conversation_id, m.direction, m.text, m.created_at)
            .order_by(m.id)
        )]


def test_same_seed_same_store_other_seed_other_store(tmp_path: Path) -> None:
    stores = [db.open_store(f"sqlite:///{tmp_path / f'{n}.db'}") for n in range(3)]
    for engine, seed in zip(stores, (5, 5, 6), strict=True):
        build_demo(engine, size=600, seed=seed, clock=FrozenClock(NOW))
    first, same, other = (snapshot(e) for e in stores)
    assert first == same
    assert first != other


def test_demo_has_the_showcase_and_history(engine: Engine) -> None:
    summary = build_demo(engine, size=1500, seed=1, clock=FrozenClock(NOW))
    assert summary.startswith("demo store: ")
    c = Conversation.__table__.c
    with db.read(engine) as conn:
        messages = conn.execute(select(func.count()).select_from(Message.__table__)).scalar_one()
        statuses = dict(conn.execute(select(c.status, func.count()).group_by(c.status)).all())
        platforms = set(conn.execute(select(c.platform).distinct()).scalars())
        langs = set(conn.execute(select(c.lang).distinct()).scalars())
        roles = set(conn.execute(select(Agent.__table__.c.role)).scalars())
        rights = dict(conn.execute(
            select(UgcRightsRequest.__table__.c.state, func.count())
            .group_by(UgcRightsRequest.__table__.c.state)).all())
        elsewhere = conn.execute(
            select(func.count()).select_from(Conversation.__table__.join(Contact.__table__))
            .where(Contact.__table__.c.platform != c.platform)
        ).scalar_one()
        vips = conn.execute(select(func.count()).where(Contact.__table__.c.vip)).scalar_one()
        oldest = conn.execute(select(func.min(c.created_at))).scalar_one()
        answered = conn.execute(
            select(func.count()).where(c.first_response_at.is_not(None))
        ).scalar_one()
        stages = dict(conn.execute(select(Lead.__table__.c.stage, func.count())
                                   .group_by(Lead.__table__.c.stage)).all())
        sold = conn.execute(select(func.min(Lead.__table__.c.value))
                            .where(Lead.__table__.c.stage == "customer")).scalar_one()
        latest = [conn.execute(select(func.max(column))).scalar_one() for column in (
            c.resolved_at, c.updated_at, Message.__table__.c.created_at,
            AuditEvent.__table__.c.at)]
    assert all(moment is not None and moment <= NOW for moment in latest), latest
    # Leads at every stage, so the KPI panel and the reports have conversions to show.
    assert set(stages) == {"new", "qualifying", "qualified", "hot", "customer", "lost"}
    assert sold > 0
    # `workstation ugc` has a register to show.
    assert rights.get("granted", 0) > 0
    assert set(rights) <= {"requested", "granted", "refused", "revoked"}
    assert 1400 <= messages <= 1500
    assert statuses["resolved"] > statuses["open"] > 0
    assert platforms == {"instagram", "facebook", "x", "tiktok", "linkedin"}
    assert langs == {"fr", "en"}
    assert {"agent", "senior", "supervisor", "admin"} <= roles
    assert vips > 0
    # A contact is an account on one platform: its threads happen there.
    assert elsewhere == 0
    assert (NOW - oldest).days >= 30
    assert answered > statuses["resolved"] // 2


def test_a_full_store_is_left_alone_unless_reset(sqlite_engine: Engine) -> None:
    build_demo(sqlite_engine, size=200, seed=1, clock=FrozenClock(NOW))
    with pytest.raises(DemoError, match="--reset"):
        build_demo(sqlite_engine, size=200, seed=1)
    build_demo(sqlite_engine, size=300, seed=2, reset_first=True, clock=FrozenClock(NOW))
    with db.read(sqlite_engine) as conn:
        assert conn.execute(select(func.count()).select_from(Message.__table__)).scalar_one() <= 300


def test_a_thread_keeps_to_the_product_its_customer_named(engine: Engine) -> None:
    """"can I still get the Lumen Duo…?" is answered about the Lumen Duo, not the Yirgacheffe,
    and a customer does not repeat a follow-up while the scenario has others to say."""
    build_demo(engine, size=1500, seed=3, clock=FrozenClock(NOW))
    m = Message.__table__.c
    threads: dict[int, list[tuple[str, str]]] = {}
    with db.read(engine) as conn:
        rows = conn.execute(select(m.conversation_id, m.direction, m.text)
                            .order_by(m.conversation_id, m.created_at, m.id))
        for conversation, direction, text in rows:
            threads.setdefault(conversation, []).append((direction, text))
    named_threads = 0
    for messages in threads.values():
        named = catalogue.named_product(messages[0][1])
        if named is None:
            continue
        named_threads += 1
        for direction, text in messages:
            other = catalogue.named_product(text) if direction == "out" else None
            assert other is None or other == named, (messages[0][1], text)
    assert named_threads > 50
    # Every scenario has at least three follow-ups (or none, and then its openers are used).
    said = [[t for d, t in ms if d == "in"] for ms in threads.values()]
    short = [texts for texts in said if 3 <= len(texts) <= 4]
    assert len(short) > 20
    assert [texts for texts in short if len(set(texts)) < len(texts)] == []


def test_product_names_are_read_as_written() -> None:
    assert catalogue.named_product("can I still get the Lumen Duo delivered?") == ("Lumen Duo", 649)
    assert catalogue.named_product("the M2 rattles") == ("Moulin M2", 189)
    assert catalogue.named_product("is the decaf available as beans?")[0] == "Déca Nuit Calme"
    assert catalogue.named_product("the Maison tastes burnt")[0] == "Maison"
    assert catalogue.named_product("je le bois à la maison") is None


def test_an_open_conversation_routed_to_a_role_is_held_by_that_role_or_nobody(
        engine: Engine) -> None:
    build_demo(engine, size=3000, seed=2, clock=FrozenClock(NOW))
    c, a = Conversation.__table__.c, Agent.__table__.c
    rank = {"agent": 1, "senior": 2, "supervisor": 3, "admin": 4}
    with db.read(engine) as conn:
        rows = conn.execute(select(c.role, a.role).join_from(
            Conversation.__table__, Agent.__table__, c.assignee_id == a.id)
            .where(c.status == "open")).all()
    assert {role for role, _ in rows} >= {"agent", "supervisor"}
    assert [(role, holder) for role, holder in rows if rank[holder] < rank[role]] == []
