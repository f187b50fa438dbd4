"""Applying rules: the matrix, every condition, every action, `stop`, negation."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from workstation.events import Author, Event, PostRef
from workstation.models import Priority
from workstation.pipeline import Pipeline
from workstation.rules.evaluate import Thread

MONDAY_10 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)  # 10:00 in Paris
SUNDAY = datetime(2026, 11, 22, 12, 0, tzinfo=UTC)


def msg(text: str, **kw: object) -> Event:
    author = kw.pop("author", Author(id="u", followers=int(kw.pop("followers", 10)),
                                     verified=bool(kw.pop("verified", False))))
    return Event(platform=str(kw.pop("platform", "instagram")), kind=str(kw.pop("kind", "comment")),
                 id="m", author=author, text=text, created_at=kw.pop("at", MONDAY_10),  # type: ignore[arg-type]
                 lang=str(kw.pop("lang", "en")), **kw)  # type: ignore[arg-type]


def rule(when: str, do: str, name: str = "r") -> str:
    return f'\n[[rules]]\nname = "{name}"\nwhen = {{ {when} }}\ndo = {{ {do} }}\n'


def test_the_matrix_takes_the_most_demanding_intent(rules_with) -> None:
    verdict = Pipeline(rules_with()).run(msg("how much? there was glass in my bag"))
    assert verdict.intents[:2] and set(verdict.intents) >= {"purchase", "safety"}
    assert (verdict.role, verdict.priority, verdict.sla_policy) == (
        "supervisor", Priority.URGENT, "urgent")
    assert verdict.escalate and verdict.reason == "safety"


def test_no_intent_takes_the_default_route(rules_with) -> None:
    verdict = Pipeline(rules_with()).run(msg("hello"))
    assert (verdict.intents, verdict.role, verdict.priority) == ((), "agent", Priority.NORMAL)


def test_negation_cancels_the_words_that_follow_until_a_break(rules_with) -> None:
    pipeline = Pipeline(rules_with())
    assert "refund" not in pipeline.run(msg("no need to refund me, what about delivery")).intents
    assert "refund" in pipeline.run(msg("no need to wait but refund me")).intents


CONDITIONS = [
    ('platform = "x"', {"platform": "x"}, {}),
    ('kind = ["dm", "mention"]', {"kind": "dm"}, {"kind": "comment"}),
    ('lang = "fr"', {"text": "merci", "lang": "fr"}, {}),
    ('campaign = "noel"', {"post": PostRef(id="p", campaign="noel")}, {}),
    ('intent = "purchase"', {"text": "how much"}, {}),
    ('primary_intent = "praise"', {"text": "love it"}, {"text": "love it, how much, how much"}),
    ("no_intent = true", {"text": "hello"}, {"text": "how much"}),
    ('category = "spam"', {"text": "follow for follow"}, {"text": "nice"}),
    ("sentiment_below = -0.3", {"text": "this is terrible, awful, I hate it"}, {"text": "great"}),
    ("sentiment_above = 0.3", {"text": "I love it, wonderful"}, {"text": "awful"}),
    ('keywords = ["gift wrap*"]', {"text": "can you gift wrapping it"}, {"text": "gift"}),
    ('fuzzy = ["espresso"]', {"text": "my expresso"}, {"text": "my tea"}),
    ('regex = "\\\\border\\\\s+\\\\d{5}\\\\b"', {"text": "order 12345"}, {"text": "order 12"}),
    ("followers_at_least = 1000", {"followers": 1000}, {"followers": 999}),
    ("followers_below = 1000", {"followers": 999}, {"followers": 1000}),
    ("verified = true", {"verified": True}, {}),
    ("vip = true", {"followers": 50_000}, {"followers": 49_999}),
    ("banned = true", {"thread": Thread(banned=True)}, {}),
    ("exchanges_at_least = 2", {"thread": Thread(exchanges=2)}, {"thread": Thread(exchanges=1)}),
    ("messages_at_least = 3", {"thread": Thread(messages=2)}, {"thread": Thread(messages=1)}),
    ("first_message = true", {}, {"thread": Thread(messages=1)}),
    ('business_hours = false, calendar = "office"', {"at": SUNDAY}, {}),
    ('since_last_reply_over = "2h"',
     {"thread": Thread(last_reply_at=MONDAY_10 - timedelta(hours=3))},
     {"thread": Thread(last_reply_at=MONDAY_10 - timedelta(hours=1))}),
    ("angry = true", {"text": "NEVER AGAIN, WORST SERVICE EVER"}, {"text": "ok"}),
    ("confused = true", {"text": "sorry I don't understand"}, {"text": "ok"}),
]


@pytest.mark.parametrize(("when", "fires", "quiet"), CONDITIONS, ids=[c[0] for c in CONDITIONS])
def test_each_condition_fires_and_stays_quiet(rules_with, when: str, fires: dict,
                                              quiet: dict) -> None:
    pipeline = Pipeline(rules_with(rule(when, 'tag = "hit"')))

    def run(overrides: dict) -> tuple[str, ...]:
        overrides = dict(overrides)
        thread = overrides.pop("thread", None)
        return pipeline.run(msg(str(overrides.pop("text", "hello")), **overrides), thread).rules

    assert run(fires) == ("r",)
    assert run(quiet) == ()


THREAD_CONDITIONS = ["banned = true", "exchanges_at_least = 2", "messages_at_least = 3",
                     "first_message = true", 'since_last_reply_over = "2h"']


@pytest.mark.parametrize("when", THREAD_CONDITIONS)
def test_a_verdict_says_whether_the_thread_could_change_it(rules_with, when: str) -> None:
    # Ingest decides in its workers as if each message opened a thread, and again only when
    # a rule that reads the thread was tested.
    about, other = msg("I want a refund"), msg("hello")
    on_thread = Pipeline(rules_with(rule(f'{when}, keywords = ["refund"]', 'tag = "hit"')))
    assert on_thread.decide_alone(about, on_thread.signals(about))[1] is False
    assert on_thread.decide_alone(other, on_thread.signals(other))[1] is True
    plain = Pipeline(rules_with(rule('keywords = ["refund"]', 'tag = "hit"')))
    assert plain.decide_alone(about, plain.signals(about))[1] is True


def test_actions_change_the_verdict_and_are_listed(rules_with) -> None:
    pipeline = Pipeline(rules_with(rule(
        'intent = "purchase"',
        'tag = ["lead", "hot"], priority = "urgent", route = "senior", sla = "lead", '
        'escalate = "big order", assign = "lea", reply = "price", dm = "qualif", '
        'qualifier = "purchase", lead = true, remind = "24h", review = "check"')))
    verdict = pipeline.run(msg("how much"))
    assert verdict.tags == ("lead", "hot")
    assert (verdict.priority, verdict.role, verdict.sla_policy) == (Priority.URGENT, "senior", "lead")
    assert verdict.escalate and verdict.reason == "big order"
    assert verdict.moderation == "review"
    done = {a["do"]: a["value"] for a in verdict.actions}
    assert done["assign"] == "lea" and done["reply"] == "price" and done["dm"] == "qualif"
    assert done["qualifier"] == "purchase" and done["lead"] is True and done["remind"] == 86400


@pytest.mark.parametrize(("action", "verdict"), [("hide", "hide"), ("delete", "delete"),
                                                  ("ban", "ban")])
def test_moderation_actions_strengthen_the_verdict(rules_with, action: str, verdict: str) -> None:
    pipeline = Pipeline(rules_with(rule('intent = "purchase"', f"{action} = true")))
    assert pipeline.run(msg("how much")).moderation == verdict


def test_stop_ends_the_rules_and_order_matters(rules_with) -> None:
    extra = (rule('intent = "purchase"', 'priority = "low", stop = true', "first")
             + rule('intent = "purchase"', 'priority = "urgent"', "second"))
    verdict = Pipeline(rules_with(extra)).run(msg("how much"))
    assert verdict.rules == ("first",) and verdict.priority == Priority.LOW


def test_own_private_data_is_fine_in_a_dm(rules_with) -> None:
    from workstation.rules.evaluate import moderation_verdict

    rules = rules_with()
    assert moderation_verdict(rules, ("pii_self",), "comment") == "hide"
    assert moderation_verdict(rules, ("pii_self",), "dm") == "allow"
    assert moderation_verdict(rules, ("spam", "threat"), "dm") == "ban"


def test_due_time_follows_the_policy_and_platform(rules_with) -> None:
    pipeline = Pipeline(rules_with())
    lead = pipeline.run(msg("how much", platform="x"))
    assert lead.first_response_due == MONDAY_10 + timedelta(minutes=15)
    support = pipeline.run(msg("delivery", at=datetime(2026, 11, 27, 16, 0, tzinfo=UTC)))
    # 17:00 in Paris on a Friday: one open hour left, three more on Monday from 09:00.
    assert support.first_response_due == datetime(2026, 11, 30, 11, 0, tzinfo=UTC)
