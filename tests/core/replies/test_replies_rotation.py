"""Variant rotation: no repeat in a row per contact or thread, spread over the day, seeded."""

from __future__ import annotations

import random
from collections import Counter

from sqlalchemy import Engine, func, select

from tests.core.replies.conftest import NOW, ThreadFactory
from workstation import db
from workstation.clock import FrozenClock
from workstation.models import Conversation, ReplyVariantUse
from workstation.replies import rotation, templates
from workstation.replies.rotation import History
from workstation.services import replies


def test_never_the_wording_the_contact_or_the_thread_got_last(
    registry: templates.Registry,
) -> None:
    template = registry.get("where-is-my-order", "en")
    greeting = template.part("greeting")
    keys = [v.key for v in greeting.variants]
    history = History(last_for_contact={"greeting": keys[0]}, last_in_thread={"greeting": keys[1]})
    for seed in range(30):
        assert rotation.choose(template, history, random.Random(seed))["greeting"] == 2


def test_with_two_wordings_the_thread_wins_over_the_contact(
    registry: templates.Registry,
) -> None:
    template = registry.get("complaint", "en")
    signoff = [v.key for v in template.part("signoff").variants]
    history = History(last_for_contact={"signoff": signoff[1]},
                      last_in_thread={"signoff": signoff[0]})
    assert rotation.choose(template, history, random.Random(1))["signoff"] == 1


def test_the_least_used_wording_of_the_day_comes_first(registry: templates.Registry) -> None:
    template = registry.get("thanks-praise", "en")
    keys = [v.key for v in template.part("answer").variants]
    history = History(today={"answer": {keys[0]: 5, keys[1]: 2, keys[2]: 4}})
    assert rotation.choose(template, history, random.Random(3))["answer"] == 1


def test_wordings_needing_a_missing_slot_are_avoided(registry: templates.Registry) -> None:
    template = registry.get("lead-reminder", "en")
    for seed in range(20):
        assert rotation.choose(template, History(), random.Random(seed))["next_step"] == 2
    picked = {rotation.choose(template, History(), random.Random(s), {"promo_code"})["next_step"]
              for s in range(40)}
    assert picked == {0, 1, 2}


def test_the_same_seed_gives_the_same_choices(registry: templates.Registry) -> None:
    template = registry.get("price-availability", "fr")
    runs = [rotation.choose(template, History(), random.Random(42)) for _ in range(3)]
    assert runs[0] == runs[1] == runs[2]


def test_replies_rotate_in_the_store_and_spread_over_a_day(
    engine: Engine, make_thread: ThreadFactory, registry: templates.Registry, agent: str,
) -> None:
    clock = FrozenClock(NOW)
    conversations = [make_thread() for _ in range(12)]
    greetings = []
    for conv in conversations:
        draft = replies.compose(engine, conv, "where-is-my-order", agent=agent,
                                registry=registry, seed=7, clock=clock)
        replies.send_reply(engine, draft, clock=clock)
        greetings.append(draft.choices["greeting"])
        clock.advance(minutes=5)
    # three wordings over twelve replies: four each, whatever the seed
    assert Counter(greetings) == {0: 4, 1: 4, 2: 4}


def test_one_contact_never_gets_the_same_wording_twice_in_a_row(
    engine: Engine, make_thread: ThreadFactory, registry: templates.Registry,
) -> None:
    clock = FrozenClock(NOW)
    first = make_thread()
    with db.read(engine) as conn:
        contact = conn.execute(select(Conversation.__table__.c.contact_id).where(  # type: ignore[attr-defined]
            Conversation.__table__.c.id == first)).scalar_one()  # type: ignore[attr-defined]
    previous: dict[str, int] = {}
    for i in range(8):
        conv = first if i == 0 else make_thread(contact_id=contact)
        draft = replies.compose(engine, conv, "complaint", registry=registry, seed=i,
                                clock=clock)
        replies.send_reply(engine, draft, clock=clock)
        for part, index in draft.choices.items():
            if len(registry.get("complaint", "en").part(part).variants) > 1:
                assert previous.get(part) != index, (i, part)
        previous = dict(draft.choices)
        clock.advance(hours=1)


def test_a_cancelled_reply_is_forgotten_by_rotation(
    engine: Engine, make_thread: ThreadFactory, registry: templates.Registry,
) -> None:
    clock = FrozenClock(NOW)
    conv = make_thread()
    draft = replies.compose(engine, conv, "complaint", registry=registry, seed=1, clock=clock)
    queued = replies.send_reply(engine, draft, clock=clock)
    table = ReplyVariantUse.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 4
    replies.cancel_reply(engine, queued.id, actor="camille", clock=clock)
    with db.read(engine) as conn:
        assert conn.execute(select(func.count()).select_from(table)).scalar_one() == 0
    assert replies.compose(engine, conv, "complaint", registry=registry, seed=1,
                           clock=clock).choices == draft.choices
