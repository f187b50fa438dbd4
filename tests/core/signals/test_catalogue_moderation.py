"""The demo catalogue through triage: its labelled openers are moderated, its ordinary messages
are not.

The catalogue's texts are written by us, each scenario labelled with the moderation categories
its openers should get; they are the kind of text a brand's inbox receives (threats to come
to the shop, hate against a group, insults at a staff member, scam spam, someone else's
number), which the evaluation datasets (tweets, YouTube comments) are not.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest

from workstation.demo import catalogue as cat
from workstation.events import Event, parse_line
from workstation.pipeline import Pipeline
from workstation.signals import moderation

VALUES = {"product": "Moulin M2", "order_no": "BL-10482", "delay": "48 hours",
          "first_name": "Sam", "agent": "Julie", "city": "Lyon", "price": "€29"}
LATER = datetime(2100, 1, 1, tzinfo=UTC)

RECALL_FLOOR = 0.98
"""Share of labelled openers that get one of their categories (86 of 86 when written)."""


def _event(text: str, lang: str | None) -> Event:
    line = json.dumps({"id": "c1", "platform": "instagram", "kind": "comment",
                       "created_at": "2026-11-20T10:00:00Z",
                       "author": {"id": "a1", "handle": "someone", "followers": 100},
                       "text": text, **({"lang": lang} if lang else {})})
    event = parse_line(line.encode(), 1, LATER)
    assert isinstance(event, Event)
    return event


def _messages(labelled: bool) -> list[tuple[cat.Scenario, str]]:
    """Openers of the labelled scenarios, or openers and follow-ups of the ordinary ones."""
    return [(s, cat.fill(text, VALUES)) for s in cat.SCENARIOS
            if bool(s.moderation) == labelled
            for text in (s.openers if labelled else s.openers + s.followups)]


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.mark.parametrize("hinted", [True, False], ids=["lang-hint", "detected-lang"])
def test_labelled_openers_get_their_categories(pipeline: Pipeline, hinted: bool) -> None:
    for lang in ("en", "fr"):  # each language on its own, not one carrying the other
        openers = [(s, text) for s, text in _messages(labelled=True) if s.lang == lang]
        missed = [(s.name, s.moderation, text) for s, text in openers
                  if not set(s.moderation) & set(pipeline.run(
                      _event(text, lang if hinted else None)).categories)]
        assert 1 - len(missed) / len(openers) >= RECALL_FLOOR, missed


@pytest.mark.parametrize("hinted", [True, False], ids=["lang-hint", "detected-lang"])
def test_labelled_openers_get_no_other_category(pipeline: Pipeline, hinted: bool) -> None:
    extra = [(s.name, cats, text) for s, text in _messages(labelled=True)
             if set(cats := pipeline.run(_event(text, s.lang if hinted else None)).categories)
             - set(s.moderation)]
    assert extra == []


def test_ordinary_messages_get_no_category_from_the_word_lists() -> None:
    named = [(s.name, found, text) for s, text in _messages(labelled=False)
             if (found := set(moderation.read(text, s.lang).hits) & set(moderation.CATEGORIES))]
    assert named == []


@pytest.mark.parametrize("hinted", [True, False], ids=["lang-hint", "detected-lang"])
def test_ordinary_messages_are_not_moderated(pipeline: Pipeline, hinted: bool) -> None:
    flagged = [(s.name, v.categories, v.moderation, text) for s, text in _messages(labelled=False)
               if (v := pipeline.run(_event(text, s.lang if hinted else None))).categories]
    assert flagged == []
