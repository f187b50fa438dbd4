"""The composer's services: templates offered, fuzzy search, preview with slots and length."""

from __future__ import annotations

from sqlalchemy import Engine

from tests.thread_factory import add_agents, add_thread
from workstation.services import composer


def test_suggestions_come_first_then_the_rest(engine: Engine) -> None:
    conv = add_thread(engine, intents=("shipping",), texts=("where is my order??",))
    offered = composer.options(engine, conv, "public", "en")
    assert offered[0].suggested and offered[0].lang == "en"
    assert "shipping" in offered[0].reason
    assert any(not o.suggested for o in offered)
    assert all(o.channel in ("public", "any") for o in offered)


def test_search_forgives_accents_and_typos(engine: Engine) -> None:
    conv = add_thread(engine, lang="fr", intents=())
    offered = composer.options(engine, conv, "public", "fr")
    found = composer.search(offered, "ou est ma comande")
    assert found and found[0].id == "where-is-my-order"
    assert composer.search(offered, "remboursment")[0].id == "refund-process"
    assert composer.search(offered, "") == offered[:30]


def test_preview_lists_slots_parts_and_the_length_limit(engine: Engine) -> None:
    add_agents(engine)
    conv = add_thread(engine, platform="x", name="Léa Martin")
    preview = composer.preview(engine, conv, template_id="order-status", channel="dm",
                               agent="julie")
    names = [s.name for s in preview.slots]
    assert "order_no" in names and preview.empty_slots
    assert {s.name: s.value for s in preview.slots}["first_name"] == "Léa"
    assert preview.limit == 10_000 and preview.length > 0
    assert all(p.variants >= 1 for p in preview.parts)
    assert not preview.draft.sendable
    filled = composer.preview(
        engine, conv, template_id="order-status", channel="dm", agent="julie",
        values=dict.fromkeys(preview.empty_slots, "BL-10482"), choices=preview.draft.choices)
    assert filled.empty_slots == ()


def test_freehand_text_is_checked_too(engine: Engine) -> None:
    conv = add_thread(engine, platform="tiktok")
    preview = composer.preview(engine, conv, channel="public", text="x" * 200)
    assert preview.limit == 150
    assert any("TikTok allows 150" in r for r in preview.draft.reasons)


def test_x_counts_length_its_own_way(engine: Engine) -> None:
    conv = add_thread(engine, platform="x")
    preview = composer.preview(engine, conv, channel="public", text="see https://example.com/"
                               + "a" * 100)
    assert (preview.limit, preview.length) == (280, 4 + 23)


def test_learning_from_history_is_kept_per_store(engine: Engine) -> None:
    conv = add_thread(engine, intents=("shipping",), texts=("where is my order??",))
    index = composer.learn(engine, limit=100)
    assert composer.learnt(engine)
    assert composer.options(engine, conv, "public", "en")[0].suggested
    assert composer._index(engine) is index
