"""The bot's words in a flow: a step's texts from flows.toml, rendered by the replies engine.

Each message is assembled as an in-memory template (greeting, question, options) and rendered
by the whitelist renderer, so a customer's name or any value goes in literally: `{agent}`,
`[b]` or `${x}` in a profile name stays text. Options are written into the question where
the platform has no quick-reply buttons, and returned apart where it has: each button's title
(the label) and payload (`question:option`, which the customer's tap sends back). Meta shows
at most 13 buttons of 20 characters; a question whose options do not fit is written out
instead, as it is on platforms without buttons.
"""

from __future__ import annotations

from collections.abc import Mapping

from workstation.replies import render
from workstation.replies.render import Part, variant
from workstation.replies.templates import Template

from .config import Flow, FlowBook, Question
from .flow import FlowState, Say, payload_of

MAX_BUTTONS = 13
MAX_TITLE = 20


def _template(flow: Flow, lang: str, parts: list[Part]) -> Template:
    names: list[str] = []
    for part in parts:
        for v in part.variants:
            names += [n for n in v.slot_names if n not in names]
    return Template(id=f"flow-{flow.id}", lang=lang, channel="dm", intents=(),
                    parts=tuple(parts), layout="lines", slot_names=tuple(names))


def labels(question: Question, lang: str) -> list[str]:
    """The options of a choice question as plain text, in the flow's language."""
    empty: dict[str, str] = {}
    out = []
    for option in question.options:
        part = option.label.get(lang) or next(iter(option.label.values()))
        out.append(render.render(_template_for_label(part), empty).text)
    return out


def _template_for_label(part: Part) -> Template:
    return Template(id="label", lang="", channel="dm", intents=(),
                    parts=(Part("answer", part.variants[:1]),), slot_names=())


def compose(book: FlowBook, flow: Flow, state: FlowState, say: Say, values: Mapping[str, str],
            *, seed: int = 0) -> tuple[str, list[dict[str, str]], str]:
    """The text of a bot message, its quick-reply options, and the wording's id.

    Args:
        book: flows.toml.
        flow: the flow.
        state: where the flow stands (language, tone, platform).
        say: what to say.
        values: slot values (first_name, name, handle, link, promo_code); untrusted.
        seed: picks the greeting's wording (the conversation's id keeps it stable).

    Returns:
        (text, quick-reply buttons as {title, payload}, template id for the outbox), the
        buttons empty when the platform has none, they would not fit, or the step has no
        options.
    """
    lang = state.lang
    parts: list[Part] = []
    options: list[dict[str, str]] = []
    if say.kind in ("question", "retry"):
        question = flow.questions[say.step]
        if say.first:
            greeting = flow.greeting.get((state.tone, lang)) or flow.greeting[("warm", lang)]
            parts.append(greeting)
        texts = question.ask if say.kind == "question" else question.retry
        parts.append(Part("question", texts[lang].variants))
        if question.options:
            titles = labels(question, lang)
            buttons = (state.platform in book.quick_replies and len(titles) <= MAX_BUTTONS
                       and all(len(t) <= MAX_TITLE for t in titles))
            if buttons:
                options = [{"title": t, "payload": payload_of(question, o)}
                           for t, o in zip(titles, question.options, strict=True)]
            else:
                line = " · ".join(f"{i}) {o.replace('{', '{{').replace('}', '}}')}"
                                  for i, o in enumerate(titles, start=1))
                parts.append(Part("options", (variant(line),)))
        template_id = f"flow:{flow.id}:{question.key}" + (":retry" if say.kind == "retry" else "")
    elif say.kind == "closing":
        parts.append(Part("answer", flow.closing[lang].variants))
        template_id = f"flow:{flow.id}:closing"
    else:
        parts.append(Part("answer", flow.sales[lang].variants))
        template_id = f"flow:{flow.id}:sales"
    template = _template(flow, lang, parts)
    choices = {p.name: seed % len(p.variants) for p in parts}
    rendered = render.render(template, values, choices)
    return rendered.text, options, template_id[:64]
