"""Suggestions: ranking by intent, language, channel, triggers and history, with reasons."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import Engine

from tests.core.replies.conftest import NOW, ThreadFactory, add_message
from workstation import db
from workstation.replies.suggest import PastReply, Query, SuggestionIndex
from workstation.replies.templates import Registry
from workstation.services import suggestions


def ids(found: list) -> list[str]:  # type: ignore[type-arg]
    return [s.template_id for s in found]


def test_intent_language_and_channel_rank_the_right_template_first(
    registry: Registry,
) -> None:
    index = SuggestionIndex(registry)
    found = index.suggest(Query("Bonjour, toujours pas reçu mon colis, il est où ??", "fr",
                                "public", ("shipping",)))
    assert found[0].template_id == "where-is-my-order" and found[0].lang == "fr"
    assert all(s.lang == "fr" and s.channel in ("public", "any") for s in found)
    assert "intent shipping" in found[0].reasons
    assert len(found) <= 5
    dm = index.suggest(Query("where is my order", "en", "dm", ("shipping",)))
    assert dm[0].template_id == "order-status"


def test_triggers_match_with_typos_and_without_intents(registry: Registry) -> None:
    index = SuggestionIndex(registry)
    found = index.suggest(Query("i want to speek to a reel person", "en", "dm"))
    assert found[0].template_id == "human-handoff"
    assert any(r.startswith("like the trigger") for r in found[0].reasons)
    found = index.suggest(Query("la machine a pris feu !!", "fr", "public"))
    assert found[0].template_id == "safety-ack"


def test_an_unknown_language_keeps_every_language(registry: Registry) -> None:
    found = SuggestionIndex(registry).suggest(Query("how much is it", "de", "public",
                                                    ("purchase",)))
    assert {s.lang for s in found} >= {"en"} and found[0].template_id == "price-availability"


def test_history_of_well_resolved_replies_lifts_a_template(registry: Registry) -> None:
    past = [PastReply("the Moulin keeps jamming after a week", "…", "warranty")] * 20
    plain = SuggestionIndex(registry).suggest(Query("my Moulin keeps jamming", "en", "public"))
    learned = SuggestionIndex(registry, past).suggest(Query("my Moulin keeps jamming", "en",
                                                            "public"))
    assert "warranty" not in ids(plain)[:1]
    assert learned[0].template_id == "warranty"
    assert any("well-resolved" in r for r in learned[0].reasons)


def test_past_replies_without_a_template_are_credited_by_their_words(
    registry: Registry,
) -> None:
    reply = ("Sorry to hear your machine is playing up. It's covered by our two-year warranty"
             " and we'll get it running again.")
    index = SuggestionIndex(registry, [PastReply("grinder jammed", reply)])
    assert index.history.examples == {"warranty": 1}


def test_nothing_relevant_gives_nothing(registry: Registry) -> None:
    assert SuggestionIndex(registry).suggest(Query("", "en", "public")) == []


def test_the_index_learns_from_the_stores_well_resolved_conversations(
    engine: Engine, make_thread: ThreadFactory, registry: Registry,
) -> None:
    text = "the grinder jams every morning"
    good = make_thread(text=text, status="resolved", resolution_code="replaced")
    unhappy = make_thread(text=text, status="resolved", resolution_code="replaced", csat=1)
    open_one = make_thread(text=text)
    with db.write(engine) as conn:
        for conv in (good, unhappy, open_one):
            add_message(conn, conv, "instagram", "We'll repair it under warranty.",
                        NOW + timedelta(minutes=1), ident=f"r-{conv}", direction="out",
                        author_kind="agent", extra={"template_id": "warranty"})
            add_message(conn, conv, "instagram", "bot says hi", NOW + timedelta(minutes=2),
                        ident=f"b-{conv}", direction="out", author_kind="bot")
    past = list(suggestions.past_replies(engine))
    assert past == [PastReply(text, "We'll repair it under warranty.", "warranty")]
    index = suggestions.suggestion_index(engine, registry)
    found = suggestions.suggest_for(engine, open_one, index)
    assert found[0].template_id == "warranty"
