"""The flow's decisions without a store: retries, off-script, handoff, sales, budget."""

from __future__ import annotations

from dataclasses import replace
from datetime import date

import pytest

from workstation import paths
from workstation.leads import config, flow, messages
from workstation.leads.flow import Cues, FlowState
from workstation.replies.render import Part, variant

TODAY = date(2026, 11, 23)


@pytest.fixture(scope="module")
def book() -> config.FlowBook:
    return config.load(paths.shipped("flows.toml"))


def started(book: config.FlowBook, lang: str = "en") -> FlowState:
    state, outcome = flow.start(book.flows["sales-qualifier"], platform="x", lang=lang,
                                tone="warm")
    assert [s.kind for s in outcome.say] == ["question"] and outcome.stage == "qualifying"
    return state


def answer(book: config.FlowBook, state: FlowState, text: str, **cues: object) -> flow.Outcome:
    return flow.advance(book, book.flows["sales-qualifier"], state, text,
                        Cues(**cues), TODAY)  # type: ignore[arg-type]


def test_each_answer_moves_to_the_next_question_then_the_offer(book: config.FlowBook) -> None:
    state = started(book)
    kinds = [[s.kind for s in answer(book, state, text).say]
             for text in ("a gift", "in two weeks", "3", "0612345678")]
    assert kinds == [["question"], ["question"], ["question"], ["closing"]]
    assert state.status == "done" and state.asked == 4


def test_a_timing_far_away_makes_the_lead_qualified_not_hot(book: config.FlowBook) -> None:
    state = started(book)
    for text in ("for home", "en janvier", "2"):
        answer(book, state, text)
    assert answer(book, state, "me@example.org").stage == "qualified"


def test_retry_once_then_hand_over_on_the_second_unclear_answer(book: config.FlowBook) -> None:
    state = started(book)
    first = answer(book, state, "blue")
    assert first.unclear and [s.kind for s in first.say] == ["retry"]
    second = answer(book, state, "green")
    assert second.handoff_reason == "answered off-script twice"
    assert state.status == "handoff" and [s.kind for s in second.say] == ["handoff"]


def test_with_a_higher_limit_a_second_unclear_answer_is_skipped(book: config.FlowBook) -> None:
    lenient = replace(book, off_script_limit=3)
    state = started(lenient)
    flow.advance(lenient, lenient.flows["sales-qualifier"], state, "blue", Cues(), TODAY)
    out = flow.advance(lenient, lenient.flows["sales-qualifier"], state, "green", Cues(), TODAY)
    assert [s.kind for s in out.say] == ["question"]
    assert state.answers["use_case"] == {"unclear": "green"}


def test_the_question_budget_closes_the_flow_early(book: config.FlowBook) -> None:
    tight = replace(book, max_questions=2)
    state = started(tight)
    run = tight.flows["sales-qualifier"]
    flow.advance(tight, run, state, "home", Cues(), TODAY)
    out = flow.advance(tight, run, state, "next month", Cues(), TODAY)
    assert [s.kind for s in out.say] == ["closing"]
    assert state.end_reason == "question budget reached"


@pytest.mark.parametrize(("text", "cues", "reason"), [
    ("can I talk to a real person", {}, "asked for a person"),
    ("je veux un humain", {}, "asked for a person"),
    ("un conseiller svp", {}, "asked for a person"),
    ("are you a bot", {}, "asked for a person"),
    ("whatever", {"angry": True}, "angry customer"),
    ("whatever", {"sentiment": -0.85}, "angry customer"),
    ("hein", {"confused": True}, "confused customer"),
    ("my last order arrived broken", {"intents": ("complaint",)},
     "complaint in the middle of the flow"),
])
def test_handoff_triggers(book: config.FlowBook, text: str, cues: dict[str, object],
                          reason: str) -> None:
    state = started(book)
    out = answer(book, state, text, **cues)
    assert out.handoff_reason == reason and state.status == "handoff"


@pytest.mark.parametrize(("answers", "reason"), [
    (["for the office"], "enterprise: use_case = business"),
    (["home", "asap"], "urgent: wanted by 2026-11-23"),
    (["home", "next month", "500"], "enterprise: 500 units"),
    (["gift", "next month", "2, and we are a company"], "sales words: 'company'"),
])
def test_sales_triggers(book: config.FlowBook, answers: list[str], reason: str) -> None:
    state = started(book)
    for text in answers:
        out = answer(book, state, text)
    assert out.sales_reason == reason and out.stage == "hot" and state.status == "sales"


def test_options_are_buttons_where_the_platform_has_them(book: config.FlowBook) -> None:
    run = book.flows["sales-qualifier"]
    state = started(book, "fr")
    values = {"first_name": "Léa"}
    text, options, template = messages.compose(book, run, state, flow.Say("question", 0, True),
                                               values)
    assert options == [] and "1) Pour la maison · 2) Pour une entreprise" in text
    assert template == "flow:sales-qualifier:use_case" and "Léa" in text
    state.platform = "instagram"
    text, options, _ = messages.compose(book, run, state, flow.Say("question", 0), values)
    assert options == [{"title": "Pour la maison", "payload": "use_case:home"},
                       {"title": "Pour une entreprise", "payload": "use_case:business"},
                       {"title": "Pour offrir", "payload": "use_case:gift"}]
    assert "1)" not in text


def test_options_that_do_not_fit_meta_buttons_are_written_out(book: config.FlowBook) -> None:
    run = book.flows["sales-qualifier"]
    question = run.questions[0]
    long_label = replace(question.options[0], label={
        lang: Part("answer", (variant("For my home, my kitchen and my garden"),))
        for lang in ("en", "fr")})
    longer = replace(run, questions=(replace(question, options=(
        long_label, *question.options[1:])), *run.questions[1:]))
    state = started(book)
    state.platform = "instagram"
    text, options, _ = messages.compose(book, longer, state, flow.Say("question", 0), {})
    assert options == [] and "1) For my home, my kitchen and my garden · 2)" in text


def test_a_tapped_button_is_read_by_its_payload(book: config.FlowBook) -> None:
    question = book.flows["sales-qualifier"].questions[0]
    assert flow.choose(question, "A gift", "use_case:business") == "business"
    # A button of another question (an old one tapped late) is read as its text.
    assert flow.choose(question, "A gift", "timing:soon") == "gift"
    state = started(book)
    out = flow.advance(book, book.flows["sales-qualifier"], state, "Pour offrir", flow.Cues(),
                       TODAY, "use_case:home")
    assert out.answered == {"use_case": "home"}


def test_hostile_values_are_inserted_literally(book: config.FlowBook) -> None:
    run = book.flows["sales-qualifier"]
    state = started(book)
    for name in ("{0.__class__}", "${x}", "[b]x[/b]", "{agent}", "%(x)s"):
        text, _, _ = messages.compose(book, run, state, flow.Say("question", 0, True),
                                      {"first_name": name})
        assert name in text
    closing, _, _ = messages.compose(book, run, state, flow.Say("closing"),
                                     {"link": "https://x.example/{link}", "promo_code": "X1"})
    assert "https://x.example/{link}" in closing


def test_a_choice_picks_by_number_label_or_word(book: config.FlowBook) -> None:
    question = book.flows["sales-qualifier"].questions[0]
    assert flow.choose(question, "3") == "gift"
    assert flow.choose(question, "Pour la maison") == "home"
    assert flow.choose(question, "c'est pour mon bureau") == "business"
    assert flow.choose(question, "9") is None and flow.choose(question, "hmm") is None
