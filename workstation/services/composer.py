"""What the composer needs beyond `replies.compose`: which templates to offer, and a preview.

Templates are offered in two groups: the suggestions for the thread (by intent, language,
the customer's words and what worked before) and then every other template that fits the
channel, the thread's language first; `search` narrows them as the agent types, forgiving
accents and typos. `preview` renders a draft and adds what the screen shows around it: the
template's slots and parts (for tab and rotation) and the length against the platform's limit.

The suggestion index reads the store's history once (seconds on a large store), so it is
built in a worker with `learn` and kept per store; until then an index of the templates
alone answers at once.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass

from rapidfuzz import fuzz, process
from sqlalchemy import Engine, select

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.models import Conversation
from workstation.replies import guardrails, slots
from workstation.replies import templates as templates_mod
from workstation.replies.detectors import x_length
from workstation.replies.normalize import STOP_WORDS, fold, tokens
from workstation.replies.render import PLACEHOLDER_CLOSE, PLACEHOLDER_OPEN
from workstation.replies.suggest import SuggestionIndex

from .replies import Draft, compose
from .suggestions import past_replies, suggest_for

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_WORD = re.compile(r"[a-z0-9]+")
SEARCH_CUTOFF = 75
"""Mean word similarity (0-100) a template needs to be listed by `search`."""
HISTORY = 20_000
"""Past replies the composer's suggestion index learns from (about a second to read)."""
_INDEXES: dict[str, SuggestionIndex] = {}
"""Suggestion indexes learnt from history, by store URL."""
_QUICK: dict[int, SuggestionIndex] = {}
"""Indexes of the templates alone, by registry identity."""


@dataclass(frozen=True, slots=True)
class TemplateOption:
    """A template the composer can offer."""

    id: str
    lang: str
    channel: str
    title: str
    reason: str = ""
    """Why it is suggested; empty for a template that is only listed."""
    words: tuple[str, ...] = ()
    """Folded words of the id, title, intents and triggers, for `search`."""
    text: str = ""
    """The same, as one folded text, for matching a phrase."""

    @property
    def suggested(self) -> bool:
        """Whether it comes from the suggestions."""
        return bool(self.reason)


@dataclass(frozen=True, slots=True)
class SlotInfo:
    """A slot of the chosen template, as the composer's inputs show it."""

    name: str
    description: str
    value: str
    """The value the rendering used (typed, or read from the thread); '' when empty."""
    fallback: bool
    """Whether every use of the slot has a fallback, so it may stay empty."""


@dataclass(frozen=True, slots=True)
class PartInfo:
    """A part of the chosen template, and how many wordings it rotates between."""

    name: str
    variants: int
    chosen: int


@dataclass(frozen=True)
class Preview:
    """A rendered draft with everything the composer shows around it."""

    draft: Draft
    template_title: str = ""
    slots: tuple[SlotInfo, ...] = ()
    parts: tuple[PartInfo, ...] = ()
    length: int = 0
    """The reply's length as the platform counts it."""
    limit: int = 0
    """The platform's limit for this channel."""

    @property
    def empty_slots(self) -> tuple[str, ...]:
        """Slots still shown as ‹name› in the text."""
        marks = self.draft.text
        return tuple(s.name for s in self.slots
                     if f"{PLACEHOLDER_OPEN}{s.name}{PLACEHOLDER_CLOSE}" in marks)


def learn(engine: Engine, *, limit: int | None = HISTORY) -> SuggestionIndex:
    """Build the suggestion index from the store's history and keep it for `options`.

    Args:
        engine: the store.
        limit: past replies read at most (None: all of them; ~9 s at a million messages).
    """
    index = SuggestionIndex(templates_mod.cached(), past_replies(engine, limit=limit))
    _INDEXES[str(engine.url)] = index
    return index


def learnt(engine: Engine) -> bool:
    """Whether `learn` has built an index for this store in this process."""
    return str(engine.url) in _INDEXES


def _index(engine: Engine) -> SuggestionIndex:
    learnt = _INDEXES.get(str(engine.url))
    if learnt is not None:
        return learnt
    registry = templates_mod.cached()
    quick = _QUICK.get(id(registry))
    if quick is None:
        quick = _QUICK[id(registry)] = SuggestionIndex(registry)
    return quick


def options(engine: Engine, conversation_id: int, channel: str,
            lang: str) -> tuple[TemplateOption, ...]:
    """Templates to offer for a conversation: suggestions first, then the rest.

    Raises:
        NotFound: no such conversation.
    """
    index = _index(engine)
    suggested = suggest_for(engine, conversation_id, index, channel=channel)
    by_key = {(t.id, t.lang): t for t in index.registry}
    out: list[TemplateOption] = []
    seen: set[tuple[str, str]] = set()
    for s in suggested:
        out.append(_option(by_key[(s.template_id, s.lang)], s.reason))
        seen.add((s.template_id, s.lang))
    rest = [t for t in index.registry if t.fits(channel) and (t.id, t.lang) not in seen]
    rest.sort(key=lambda t: (t.lang != lang, t.id, t.lang))
    out.extend(_option(t, "") for t in rest)
    return tuple(out)


def _option(template: templates_mod.Template, reason: str) -> TemplateOption:
    text = " ".join((template.id.replace("-", " "), template.title, " ".join(template.intents),
                     " ".join(template.triggers)))
    words = dict.fromkeys((*_WORD.findall(fold(text)), *tokens(text)))
    return TemplateOption(template.id, template.lang, template.channel, template.title, reason,
                          tuple(words), fold(text))


def search(offered: tuple[TemplateOption, ...], query: str,
           limit: int = 30) -> tuple[TemplateOption, ...]:
    """The offered templates that match what the agent typed, best first.

    Each typed word is matched to the template's closest word (a prefix counts as a match, a
    typo or two is forgiven) and the template scores the mean, with a share for the whole
    query found as a phrase; common words ("où", "my") count only in the phrase. An empty
    query keeps the offered order.
    """
    typed = _WORD.findall(fold(query))
    content = [w for w in typed if w not in STOP_WORDS and len(w) > 1] or typed
    if not content:
        return offered[:limit]
    scored = []
    for position, option in enumerate(offered):
        total = 0.0
        for word in content:
            best = process.extractOne(word, option.words, scorer=fuzz.ratio, processor=None)
            prefix = any(w.startswith(word) for w in option.words) and len(word) >= 2
            total += 100.0 if prefix else (best[1] if best else 0.0)
        score = total / len(content)
        if score < SEARCH_CUTOFF:
            continue
        score = 0.8 * score + 0.2 * fuzz.partial_ratio(" ".join(typed), option.text)
        if score >= SEARCH_CUTOFF:
            scored.append((-score, not option.suggested, position, option))
    scored.sort(key=lambda item: item[:3])
    return tuple(item[3] for item in scored[:limit])


def preview(
    engine: Engine,
    conversation_id: int,
    *,
    template_id: str = "",
    lang: str = "",
    channel: str,
    values: Mapping[str, str] | None = None,
    choices: Mapping[str, int] | None = None,
    text: str = "",
    agent: str | None = None,
    clock: Clock = utcnow,
) -> Preview:
    """Render and check what the composer holds; nothing is stored.

    Args:
        engine: the store.
        conversation_id: the thread.
        template_id: the chosen template; '' for a reply written freehand.
        lang: the template's language ('' for the thread's).
        channel: public or dm.
        values: slot values the agent typed.
        choices: the wording of each part; None lets rotation choose.
        text: freehand text, or the rendering as edited; '' while the template rules.
        agent: the sending agent's login.
        clock: the current time.

    Raises:
        NotFound: no such conversation, template or agent.
    """
    draft = compose(
        engine, conversation_id, template_id or None, values=dict(values or {}),
        text=text if (text or not template_id) else None, channel=channel, lang=lang or None,
        agent=agent, choices=dict(choices) if choices else None, clock=clock,
    )
    slot_infos: tuple[SlotInfo, ...] = ()
    part_infos: tuple[PartInfo, ...] = ()
    title = ""
    if template_id:
        template = templates_mod.cached().pick(template_id, draft.lang)
        title = template.title
        slot_infos = tuple(_slot_info(template, name, draft) for name in template.slot_names)
        part_infos = tuple(PartInfo(p.name, len(p.variants), draft.choices.get(p.name, 0))
                           for p in template.parts)
    config = guardrails.load_config_file()
    platform = _platform(engine, conversation_id)
    weighted = platform in config.weighted
    return Preview(draft, title, slot_infos, part_infos,
                   x_length(draft.text) if weighted else len(draft.text),
                   config.limit(platform, draft.channel))


def _slot_info(template: templates_mod.Template, name: str, draft: Draft) -> SlotInfo:
    spec = slots.spec_for(name, template.slots)
    uses = [seg for part in template.parts for v in part.variants for seg in v.segments
            if not isinstance(seg, str) and seg.name == name]
    return SlotInfo(name, spec.description, draft.values.get(name, ""),
                    bool(uses) and all(seg.fallback is not None for seg in uses))


def _platform(engine: Engine, conversation_id: int) -> str:
    with db.read(engine) as conn:
        return str(conn.execute(select(_C.platform).where(_C.id == conversation_id)).scalar_one())
