"""Applying the policy to one message: moderation verdict, escalation matrix, ordered rules.

Pure: everything it needs arrives in a `Context` (the event, its signals, the state of its
thread), so `triage` can run it without a store and ingest can run it with one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from workstation.events import Event
from workstation.frozen import quick_init
from workstation.priority import Priority
from workstation.rules.model import Action, Conditions, Route, Rule, RuleSet

VERDICT_RANK = {"allow": 0, "review": 1, "hide": 2, "delete": 3, "ban": 4}
ROLE_RANK = {"bot": 0, "agent": 1, "senior": 2, "supervisor": 3, "admin": 4}
_PRIORITIES = {p.name.lower(): p for p in Priority}
_MODERATING = {"hide": "hide", "delete": "delete", "ban": "ban", "review": "review"}
_THREAD_CONDITIONS = ("banned", "first_message", "exchanges_at_least", "messages_at_least",
                      "since_last_reply_over")
"""The conditions that read `Context.thread` (see `holds`)."""


@quick_init
@dataclass(frozen=True, slots=True)
class Thread:
    """What the store knows of the message's conversation before this message."""

    exchanges: int = 0
    """Round trips so far: customer messages that got an answer."""
    messages: int = 0
    """Customer messages so far."""
    last_reply_at: datetime | None = None
    banned: bool = False


@quick_init
@dataclass(frozen=True, slots=True)
class Context:
    """Everything a rule can look at."""

    event: Event
    lang: str
    sentiment: float
    intents: tuple[str, ...]
    categories: tuple[str, ...]
    vip: bool
    angry: bool
    confused: bool
    words: frozenset[int]
    """Indexes of the rules whose keywords, fuzzy terms or regex matched the message."""
    thread: Thread = field(default_factory=Thread)


@dataclass
class Decision:
    """The policy's answer, built up by the matrix and then the rules."""

    moderation: str = "allow"
    priority: Priority = Priority.NORMAL
    role: str = "agent"
    sla: str = ""
    escalate: bool = False
    reason: str = ""
    tags: list[str] = field(default_factory=list)
    fired: list[str] = field(default_factory=list)
    actions: list[Action] = field(default_factory=list)
    read_thread: bool = field(default=False, compare=False)
    """Whether a rule tested reads the thread's state: with another thread, another answer
    may come (how the answer was reached, not part of it)."""


def moderation_verdict(rules: RuleSet, categories: tuple[str, ...], kind: str) -> str:
    """The strongest verdict the moderation policy gives the message's categories."""
    verdict = "allow"
    for category in categories:
        if kind == "dm" and category in rules.moderation.private_ok:
            continue
        candidate = rules.moderation.verdicts.get(category, "allow")
        if VERDICT_RANK[candidate] > VERDICT_RANK[verdict]:
            verdict = candidate
    return verdict


def route(rules: RuleSet, intents: tuple[str, ...], categories: tuple[str, ...]) -> Decision:
    """The escalation matrix: the most demanding route among the message's intents."""
    routes = [rules.routes[k] for k in (*intents, *categories) if k in rules.routes]
    if not routes:
        routes = [rules.default_route]
    decision = Decision()
    first: Route | None = None
    for candidate in routes:
        if first is None or (ROLE_RANK[candidate.role], candidate.priority) > (
            ROLE_RANK[first.role], first.priority
        ):
            first = candidate
        if candidate.escalate and not decision.escalate:
            decision.escalate, decision.reason = True, candidate.escalate
    assert first is not None
    decision.role = first.role
    decision.priority = max(r.priority for r in routes)
    decision.sla = first.sla or rules.default_sla
    return decision


def holds(when: Conditions, ctx: Context, rules: RuleSet, index: int) -> bool:
    """Whether every condition of rule `index` holds for the message."""
    event = ctx.event
    checks = (
        (when.platform, event.platform), (when.kind, event.kind), (when.lang, ctx.lang),
        (when.campaign, event.post.campaign if event.post else ""),
    )
    for allowed, value in checks:
        if allowed is not None and value not in allowed:
            return False
    if when.intent is not None and not when.intent.intersection(ctx.intents):
        return False
    if when.primary_intent is not None and (not ctx.intents
                                            or ctx.intents[0] not in when.primary_intent):
        return False
    if when.no_intent is not None and when.no_intent != (not ctx.intents):
        return False
    if when.category is not None and not when.category.intersection(ctx.categories):
        return False
    if when.sentiment_below is not None and not ctx.sentiment < when.sentiment_below:
        return False
    if when.sentiment_above is not None and not ctx.sentiment > when.sentiment_above:
        return False
    if when.words and index not in ctx.words:
        return False
    author = event.author
    if when.followers_at_least is not None and author.followers < when.followers_at_least:
        return False
    if when.followers_below is not None and author.followers >= when.followers_below:
        return False
    flags = ((when.verified, author.verified), (when.vip, ctx.vip),
             (when.banned, ctx.thread.banned), (when.angry, ctx.angry),
             (when.confused, ctx.confused), (when.first_message, ctx.thread.messages == 0))
    for wanted, actual in flags:
        if wanted is not None and wanted != actual:
            return False
    if when.exchanges_at_least is not None and ctx.thread.exchanges < when.exchanges_at_least:
        return False
    if when.messages_at_least is not None and ctx.thread.messages + 1 < when.messages_at_least:
        return False
    if when.business_hours is not None:
        if when.business_hours != rules.calendars[when.calendar].is_open(event.created_at):
            return False
    if when.since_last_reply_over is not None and ctx.thread.last_reply_at is not None:
        if event.created_at - ctx.thread.last_reply_at <= when.since_last_reply_over:
            return False
    return True


@dataclass(frozen=True, slots=True)
class Gates:
    """The rules filed under the one thing each needs above all, so that `decide` tests
    only the rules a message could fire: a rule with keywords waits for its keywords, one on
    a category for that category, one on intents for one of them. With hundreds of rules
    that each name a few keywords, a message tests the handful whose words it holds."""

    always: tuple[int, ...]
    """Rules with none of the conditions below: tested for every message."""
    category: dict[str, tuple[int, ...]]
    intent: dict[str, tuple[int, ...]]
    flag: dict[str, tuple[int, ...]]
    """`angry`, `confused`, `vip`, `intents` (some intent), `no_intent` (none)."""
    words: frozenset[int]
    """Rules gated by their keywords: tested when `Context.words` names them."""
    thread: frozenset[int] = frozenset()
    """Rules with a condition on the thread (banned, first message, exchanges, messages, time
    since our last reply): a decision that tested none of them holds in any thread."""
    source: tuple[Rule, ...] = ()
    """The rules indexed (a copy of the rule set with other rules builds its own)."""


def gates(rules: RuleSet) -> Gates:
    """The `Gates` of a rule set, built on first use and kept with it."""
    built = rules.gates
    if built is None or built.source is not rules.rules:
        built = _build_gates(rules)
        object.__setattr__(rules, "gates", built)  # a cache of derived data, not a change
    return built


def _build_gates(rules: RuleSet) -> Gates:
    always: list[int] = []
    category: dict[str, list[int]] = {}
    intent: dict[str, list[int]] = {}
    flag: dict[str, list[int]] = {}
    words: set[int] = set()
    thread: set[int] = set()
    for index, rule in enumerate(rules.rules):
        when = rule.when
        if any(getattr(when, name) is not None for name in _THREAD_CONDITIONS):
            thread.add(index)
        if when.words:
            words.add(index)
        elif when.category is not None:
            for name in when.category:
                category.setdefault(name, []).append(index)
        elif when.intent is not None or when.primary_intent is not None:
            # A primary intent is one of the intents: either set gates the rule.
            for name in when.intent if when.intent is not None else when.primary_intent or ():
                intent.setdefault(name, []).append(index)
        elif when.angry or when.confused or when.vip:
            flag.setdefault("angry" if when.angry else "confused" if when.confused else "vip",
                            []).append(index)
        elif when.no_intent is not None:
            flag.setdefault("no_intent" if when.no_intent else "intents", []).append(index)
        else:
            always.append(index)
    return Gates(tuple(always), {k: tuple(v) for k, v in category.items()},
                 {k: tuple(v) for k, v in intent.items()},
                 {k: tuple(v) for k, v in flag.items()}, frozenset(words), frozenset(thread),
                 rules.rules)


def candidates(rules: RuleSet, ctx: Context) -> list[int]:
    """Indexes, in file order, of the rules whose gate the message passes (see `Gates`);
    every other rule has a condition that fails for it."""
    g = gates(rules)
    found = set(g.always)
    if ctx.words:
        found.update(g.words.intersection(ctx.words))
    for name in ctx.categories:
        found.update(g.category.get(name, ()))
    for name in ctx.intents:
        found.update(g.intent.get(name, ()))
    flags = g.flag
    if flags:
        for name, on in (("angry", ctx.angry), ("confused", ctx.confused), ("vip", ctx.vip),
                         ("intents", bool(ctx.intents)), ("no_intent", not ctx.intents)):
            if on:
                found.update(flags.get(name, ()))
    return sorted(found)


def decide(rules: RuleSet, ctx: Context) -> Decision:
    """Moderation policy, then the matrix, then every rule that holds, in order."""
    decision = route(rules, ctx.intents, ctx.categories)
    decision.moderation = moderation_verdict(rules, ctx.categories, ctx.event.kind)
    every = rules.rules
    tested = candidates(rules, ctx)
    thread = gates(rules).thread
    decision.read_thread = bool(thread) and not thread.isdisjoint(tested)
    for index in tested:
        rule = every[index]
        if not holds(rule.when, ctx, rules, index):
            continue
        decision.fired.append(rule.name)
        for action in rule.actions:
            _apply(decision, action)
        if rule.stop:
            break
    return decision


def _apply(decision: Decision, action: Action) -> None:
    value = action.value
    if action.do == "tag":
        if value not in decision.tags:
            decision.tags.append(value)
    elif action.do == "priority":
        decision.priority = _PRIORITIES[value]
    elif action.do == "route":
        decision.role = value
    elif action.do == "sla":
        decision.sla = value
    elif action.do == "escalate":
        decision.escalate = True
        decision.reason = decision.reason or value
    if action.do in _MODERATING:
        verdict = _MODERATING[action.do]
        if VERDICT_RANK[verdict] > VERDICT_RANK[decision.moderation]:
            decision.moderation = verdict
    decision.actions.append(action)
