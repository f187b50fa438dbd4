"""Template suggestions: the five templates most likely to answer a conversation, and why.

Ranking mixes the conversation's intents, its language and channel, the fuzzy similarity of
the customer's last message to each template's example triggers, and what worked before: the
customer messages that past replies answered in conversations resolved well (a good resolution
code or a good CSAT). Everything that does not depend on the message is computed once when
the index is built, so a suggestion costs a few milliseconds, typed keystroke or not: history
becomes, per template, a table of word weights and a handful of exemplar messages.
"""

from __future__ import annotations

import math
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import fuzz, process

from .normalize import tokens
from .templates import Registry, Template

GOOD_RESOLUTIONS = ("answered", "info-given", "order-placed", "refunded", "replaced")
"""Resolution codes that count a conversation as well resolved."""
GOOD_CSAT = 4
"""A CSAT at or above this counts as well resolved whatever the code; below 3 never does."""
WEIGHTS = {"intent": 0.35, "trigger": 0.30, "history": 0.20, "language": 0.10, "channel": 0.05}
"""How much each signal weighs in a suggestion's score (they add up to 1)."""
EXEMPLARS = 12
"""Distinct past messages kept per template for fuzzy matching."""
_MATCH_WORDS = 12
"""Words of the customer's message used for matching (the opening says what it is about)."""
_MAX_TEXT = 1000
"""Characters of a message read for matching; a 1 MB message costs no more than a tweet."""
_INFER_MIN = 0.5
"""Share of a past reply's words a template must contain to be credited with it."""
_RARE = 12
"""A word found in more templates than this says nothing about which template a reply used."""


@dataclass(frozen=True, slots=True)
class PastReply:
    """A reply of ours in a well-resolved conversation, and the message it answered."""

    inbound: str
    reply: str
    template_id: str = ""
    """The template it was rendered from, when known; otherwise inferred from its words."""


@dataclass(frozen=True, slots=True)
class Query:
    """What a suggestion is asked for: the customer's last message and where the reply goes."""

    text: str
    lang: str = ""
    channel: str = "public"
    intents: tuple[str, ...] = ()
    """The conversation's intents, most likely first."""


@dataclass(frozen=True, slots=True)
class Suggestion:
    """A template worth proposing, with its score in [0, 1] and the reasons for it."""

    template_id: str
    lang: str
    channel: str
    title: str
    score: float
    reasons: tuple[str, ...]

    @property
    def reason(self) -> str:
        """The reasons as one line."""
        return "; ".join(self.reasons)


class SuggestionIndex:
    """Templates and history, precomputed for fast suggestions.

    Build it in a worker (it reads the whole history once) and keep it; rebuild it now and then
    to learn from new conversations.
    """

    def __init__(self, registry: Registry, past: Iterable[PastReply] = ()) -> None:
        self.registry = registry
        self.templates: list[Template] = list(registry)
        self._triggers: dict[tuple[str, str], list[str]] = {}
        for t in self.templates:
            texts = [" ".join(tokens(trigger)) for trigger in t.triggers]
            self._triggers[(t.id, t.lang)] = [x for x in texts if x]
        self.history = _History(self.templates, past)

    def suggest(self, query: Query, limit: int = 5) -> list[Suggestion]:
        """The best `limit` templates for `query`, best first, each with its reasons.

        Args:
            query: the customer's last message, the thread's language, channel and intents.
            limit: how many suggestions to return.

        Returns:
            Templates with a positive score, at most `limit`.
        """
        words = tokens(query.text[:_MAX_TEXT])[:_MATCH_WORDS]
        text = " ".join(words)
        langs = set(self.registry.languages())
        candidates = [
            t for t in self.templates
            if t.fits(query.channel) and (query.lang not in langs or t.lang == query.lang)
        ]
        trigger_scores = self._trigger_scores(text, candidates)
        history = self.history.scores(words, text, {t.id for t in candidates})
        ranked = []
        for t in candidates:
            reasons = []
            intent = _intent_score(t, query.intents)
            if intent >= 1:
                reasons.append(f"intent {query.intents[0]}")
            elif intent > 0:
                reasons.append(f"intent {next(i for i in query.intents if i in t.intents)}")
            trigger, example = trigger_scores.get((t.id, t.lang), (0.0, ""))
            if trigger >= 0.6:
                reasons.append(f"like the trigger “{example}” ({trigger:.0%})")
            past, examples = history.get(t.id, (0.0, 0))
            if past >= 0.3 and examples:
                reasons.append(f"answered {examples} similar message(s) in well-resolved"
                               " conversations")
            language = 1.0 if t.lang == query.lang else 0.5
            channel = 1.0 if t.channel == query.channel else 0.6
            score = (WEIGHTS["intent"] * intent + WEIGHTS["trigger"] * trigger
                     + WEIGHTS["history"] * past + WEIGHTS["language"] * language
                     + WEIGHTS["channel"] * channel)
            if intent == 0 and trigger < 0.6 and past < 0.3:
                continue
            reasons.append(f"{t.lang}, {t.channel}")
            ranked.append(Suggestion(t.id, t.lang, t.channel, t.title, round(score, 4),
                                     tuple(reasons)))
        ranked.sort(key=lambda s: (-s.score, s.template_id, s.lang))
        return ranked[:limit]

    def _trigger_scores(
        self, text: str, candidates: list[Template]
    ) -> dict[tuple[str, str], tuple[float, str]]:
        if not text:
            return {}
        choices: list[str] = []
        owners: list[tuple[Template, int]] = []
        for t in candidates:
            for i, trigger in enumerate(self._triggers[(t.id, t.lang)]):
                choices.append(trigger)
                owners.append((t, i))
        best: dict[tuple[str, str], tuple[float, str]] = {}
        for _, score, index in process.extract(
            text, choices, scorer=fuzz.token_set_ratio, processor=None, limit=None,
            score_cutoff=50,
        ):
            template, i = owners[index]
            key = (template.id, template.lang)
            if score / 100 > best.get(key, (0.0, ""))[0]:
                best[key] = (score / 100, template.triggers[i])
        return best


def _intent_score(template: Template, intents: tuple[str, ...]) -> float:
    if not intents or not template.intents:
        return 0.0
    if intents[0] in template.intents:
        return 1.0
    return 0.6 if any(i in template.intents for i in intents[1:]) else 0.0


class _History:
    """Per template: weighted words of the messages it answered well, and exemplars."""

    def __init__(self, templates: list[Template], past: Iterable[PastReply]) -> None:
        self.ids = {t.id for t in templates}
        owners: dict[str, set[str]] = defaultdict(set)
        for t in templates:
            for part in t.parts:
                for v in part.variants:
                    for word in tokens(v.text):
                        owners[word].add(t.id)
        self._owners = {w: ids for w, ids in owners.items() if len(ids) <= _RARE}
        counts: dict[str, Counter[str]] = defaultdict(Counter)
        seen: dict[str, Counter[str]] = defaultdict(Counter)
        examples: Counter[str] = Counter()
        inferred: dict[str, str] = {}
        for item in past:
            template_id = item.template_id if item.template_id in self.ids else ""
            if not template_id:
                if item.reply not in inferred:
                    inferred[item.reply] = self._infer(item.reply[:_MAX_TEXT])
                template_id = inferred[item.reply]
            words = tokens(item.inbound[:_MAX_TEXT])[:_MATCH_WORDS]
            if not template_id or not words:
                continue
            examples[template_id] += 1
            counts[template_id].update(set(words))
            seen[template_id][" ".join(words)] += 1
        self.examples = dict(examples)
        spread = Counter(w for c in counts.values() for w in c)
        total = max(len(counts), 1)
        self.idf = {w: math.log(1 + total / n) for w, n in spread.items()}
        self.weights: dict[str, list[tuple[str, float]]] = defaultdict(list)
        for template_id, words in counts.items():
            n = examples[template_id]
            for word, c in words.items():
                self.weights[word].append((template_id, c / n * self.idf[word]))
        self.exemplars: list[str] = []
        self.exemplar_owner: list[str] = []
        for template_id, texts in seen.items():
            for text, _ in texts.most_common(EXEMPLARS):
                self.exemplars.append(text)
                self.exemplar_owner.append(template_id)

    def _infer(self, reply: str) -> str:
        words = set(tokens(reply))
        if not words:
            return ""
        hits: Counter[str] = Counter()
        for word in words:
            for template_id in self._owners.get(word, ()):
                hits[template_id] += 1
        if not hits:
            return ""
        template_id, count = hits.most_common(1)[0]
        return template_id if count / len(words) >= _INFER_MIN else ""

    def scores(
        self, words: tuple[str, ...], text: str, allowed: set[str]
    ) -> dict[str, tuple[float, int]]:
        """Template id to (history score in [0, 1], examples behind it)."""
        if not words or not self.weights:
            return {}
        unique = set(words)
        norm = sum(self.idf.get(w, math.log(2)) for w in unique) or 1.0
        profile: Counter[str] = Counter()
        for word in unique:
            for template_id, weight in self.weights.get(word, ()):
                profile[template_id] += weight
        fuzzy: dict[str, float] = {}
        for _, score, index in process.extract(
            text, self.exemplars, scorer=fuzz.token_sort_ratio, processor=None, limit=20,
            score_cutoff=60,
        ):
            owner = self.exemplar_owner[index]
            fuzzy[owner] = max(fuzzy.get(owner, 0.0), score / 100)
        out = {}
        for template_id in allowed:
            value = max(min(profile.get(template_id, 0.0) / norm, 1.0),
                        fuzzy.get(template_id, 0.0))
            if value > 0:
                out[template_id] = (value, self.examples.get(template_id, 0))
        return out
