"""A qualifier flow, step by step: pure logic, no store.

`start` opens a flow; `advance` reads one customer message against the question waiting for
an answer and says what happens next: the next question, the same question once more, the
closing offer, sales, or a person. The caller (`runner`) writes the outcome to the store and
sends the messages. Keeping this pure lets every path be tested without ingest.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import Any

from . import contact_details, dates, numbers
from .config import Flow, FlowBook, Option, Question
from .words import Phrases, words

MAX_ANSWER_TEXT = 200


@dataclass
class FlowState:
    """Where a flow stands; mirrors a `qualifier_state` row."""

    flow: str
    lang: str
    tone: str
    platform: str
    step: int = 0
    status: str = "active"
    asked: int = 0
    retries: int = 0
    off_script: int = 0
    answers: dict[str, Any] = field(default_factory=dict)
    end_reason: str = ""


@dataclass(frozen=True, slots=True)
class Cues:
    """What triage read in the customer's message."""

    sentiment: float = 0.0
    angry: bool = False
    confused: bool = False
    intents: tuple[str, ...] = ()
    tags: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Say:
    """A bot message to send: `kind` is question, retry, closing, sales or handoff."""

    kind: str
    step: int = 0
    first: bool = False
    """The first question carries the greeting."""


@dataclass
class Outcome:
    """What one customer message did to the flow."""

    say: list[Say] = field(default_factory=list)
    answered: dict[str, Any] = field(default_factory=dict)
    unclear: bool = False
    stage: str | None = None
    """The lead's new stage, if it changes."""
    sales_reason: str = ""
    handoff_reason: str = ""


def start(flow: Flow, *, platform: str, lang: str, tone: str) -> tuple[FlowState, Outcome]:
    """Open a flow: the greeting and the first question."""
    state = FlowState(flow.id, lang, tone, platform, asked=1)
    return state, Outcome(say=[Say("question", 0, first=True)], stage="qualifying")


def advance(book: FlowBook, flow: Flow, state: FlowState, text: str, cues: Cues,
            today: date, payload: str = "") -> Outcome:
    """Read a customer message as the answer to the waiting question; `state` is updated.

    `payload` is a quick-reply button's payload when the customer tapped one (the text is
    then the button's title)."""
    out = Outcome()
    if state.status != "active":
        return out
    folded = words(text)
    reason = handoff_reason(book, folded, cues)
    if reason:
        return _hand_over(state, out, reason)
    question = flow.questions[state.step]
    value = parse_answer(question, text, today, payload)
    if value is None:
        out.unclear = True
        state.off_script += 1
        if state.off_script >= book.off_script_limit:
            return _hand_over(state, out, "answered off-script twice")
        if state.retries < 1 and state.asked < book.max_questions:
            state.retries += 1
            state.asked += 1
            out.say.append(Say("retry", state.step))
            return out
        value = {"unclear": text[:MAX_ANSWER_TEXT]}
    state.answers[question.key] = value
    out.answered[question.key] = value
    sales = _sales_reason(book, question, value, folded, text, today)
    if sales:
        state.status, state.end_reason = "sales", sales
        out.sales_reason, out.stage = sales, "hot"
        out.say.append(Say("sales"))
        return out
    state.step += 1
    state.retries = 0
    if state.step < len(flow.questions) and state.asked < book.max_questions:
        state.asked += 1
        out.say.append(Say("question", state.step))
        return out
    state.status = "done"
    state.end_reason = ("all questions answered" if state.step >= len(flow.questions)
                        else "question budget reached")
    out.say.append(Say("closing"))
    out.stage = "hot" if _is_hot(flow, state.answers, today) else "qualified"
    return out


def handoff_reason(book: FlowBook, folded: str, cues: Cues) -> str:
    """Why the customer should get a person now ('' when the bot may go on)."""
    if book.handoff_words.find(folded):
        return "asked for a person"
    if cues.angry or cues.sentiment < book.angry_below:
        return "angry customer"
    if cues.confused:
        return "confused customer"
    tag = next((t for t in cues.tags if t in book.handoff_tags), None)
    if tag:
        return f"{tag} customer"
    intent = next((i for i in cues.intents if i in book.handoff_intents), None)
    if intent:
        return f"{intent} in the middle of the flow"
    return ""


def _hand_over(state: FlowState, out: Outcome, reason: str) -> Outcome:
    state.status, state.end_reason = "handoff", reason
    out.handoff_reason = reason
    out.say.append(Say("handoff"))
    return out


def parse_answer(question: Question, text: str, today: date, payload: str = "") -> Any:
    """The answer's value for the question's `expect`; None when it is not an answer."""
    expect = question.expect
    if expect == "choice":
        return choose(question, text, payload)
    if expect == "quantity":
        return numbers.quantity(text)
    if expect == "amount":
        found = numbers.amount(text)
        return None if found is None else {"value": found.value, "currency": found.currency,
                                           "high": found.high}
    if expect == "date":
        when = dates.parse(text, today)
        return None if when is None else {"date": when.day.isoformat(), "urgent": when.urgent}
    if expect == "contact":
        email, phone = contact_details.email(text), contact_details.phone(text)
        if not email and not phone:
            return None
        return {k: v for k, v in (("email", email), ("phone", phone)) if v}
    letters = sum(c.isalpha() for c in text)
    return text.strip()[:MAX_ANSWER_TEXT] if letters >= 2 else None


def payload_of(question: Question, option: Option) -> str:
    """What a quick-reply button of this option sends back when tapped."""
    return f"{question.key}:{option.key}"[:1000]


def choose(question: Question, text: str, payload: str = "") -> str | None:
    """The option an answer picks: the quick-reply button tapped (its payload, when it is one
    of this question's), its number ("2"), its label, or one of its words."""
    for option in question.options:
        if payload and payload == payload_of(question, option):
            return option.key
    stripped = text.strip().rstrip(".!)").strip()
    if stripped.isdigit() and 1 <= int(stripped) <= len(question.options):
        return question.options[int(stripped) - 1].key
    folded = words(text)
    for option in question.options:
        labels = Phrases(v.text for part in option.label.values() for v in part.variants)
        if labels.find(folded) or option.words.find(folded):
            return option.key
    return None


def _sales_reason(book: FlowBook, question: Question, value: Any, folded: str, text: str,
                  today: date) -> str:
    if question.expect == "choice":
        option = next((o for o in question.options if o.key == value), None)
        if option is not None and option.sales:
            return f"enterprise: {question.key} = {option.key}"
    if question.expect == "date" and isinstance(value, dict) and "date" in value:
        ahead = date.fromisoformat(value["date"]) - today
        if value.get("urgent") or ahead < book.urgent_within:
            return f"urgent: wanted by {value['date']}"
    if question.expect == "quantity" and isinstance(value, int) and (
            value >= book.quantity_at_least):
        return f"enterprise: {value} units"
    if question.expect == "amount" and isinstance(value, dict) and "value" in value and (
            (value.get("high") or value["value"]) >= book.budget_at_least):
        return f"enterprise: budget {value['value']:g}"
    word = book.sales_words.find(folded)
    if word:
        return f"sales words: {word!r}"
    return ""


def _is_hot(flow: Flow, answers: dict[str, Any], today: date) -> bool:
    for question in flow.questions:
        value = answers.get(question.key)
        if question.expect == "date" and isinstance(value, dict) and "date" in value:
            if date.fromisoformat(value["date"]) - today <= flow.hot_within:
                return True
    return False
