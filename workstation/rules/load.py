"""Reading rules.toml: every mistake reported with its line, nothing half-applied.

`load` either returns a complete `RuleSet` or raises `RulesError` carrying every problem
found (unknown keys, wrong types, unknown intents, roles or templates, regexes RE2 refuses),
each as `FILE:LINE: reason`. Callers keep the last good rule set when a reload fails.
"""

from __future__ import annotations

import re
from dataclasses import replace
from collections.abc import Callable, Iterable
from datetime import date, time, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from workstation import paths
from workstation.priority import Priority
from workstation import tomllines
from workstation.rules.model import (
    CATEGORIES, INTENTS, KINDS, ROLES, VERDICTS, Action, Conditions, Cues, IntentDef,
    ModerationPolicy, Route, Rule, RuleSet, combine,
)
from workstation.signals.lexicon import Lexicon, TermError
from workstation.sla import Calendar, SlaPolicy, Target

_DURATION = re.compile(r"(?:(\d+)d)?(?:(\d+)h)?(?:(\d+)m)?(?:(\d+)s)?")
_HOURS = re.compile(r"(\d{1,2}):(\d{2})-(\d{1,2}):(\d{2})")
_DAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_PRIORITIES = {p.name.lower(): p for p in Priority}
_TOP = {"version", "vip", "negation", "intents", "moderation", "signals", "calendars", "sla",
        "routing", "assignment", "rules", "guardrails", "alerts"}
_CONDITION_SETS = {"platform", "kind", "lang", "campaign", "intent", "primary_intent", "category"}
_CONDITION_FLAGS = {"no_intent", "verified", "vip", "banned", "first_message", "business_hours",
                    "angry", "confused"}
_CONDITION_INTS = {"followers_at_least", "followers_below", "exchanges_at_least",
                   "messages_at_least"}
_ACTIONS = {"tag", "priority", "sla", "route", "assign", "escalate", "reply", "dm", "qualifier",
            "hide", "delete", "ban", "review", "lead", "remind", "stop"}


class RulesError(tomllines.TomlProblems):
    """rules.toml cannot be used; `problems` lists each as `FILE:LINE: reason`."""


def default_path() -> Path:
    """The rules file in force: `$WORKSTATION_RULES`, else the shipped one."""
    import os

    return Path(os.environ.get("WORKSTATION_RULES") or paths.shipped("rules.toml"))


def load(path: Path | None = None, *, template_ids: Iterable[str] | None = None,
         flow_ids: Iterable[str] | None = None) -> RuleSet:
    """Load and validate a rules file (the one in force by default).

    Args:
        path: the file to read.
        template_ids: known reply templates; when given, rules naming another are refused.
        flow_ids: the qualifier flows of flows.toml; when given, a `qualifier` must name one
            of them or a template (which is then sent as a DM).

    Raises:
        RulesError: the file is unreadable, not TOML, or breaks the schema.
    """
    path = path or default_path()
    source, data = tomllines.read(path, RulesError)
    return _build(path, source, data, template_ids, flow_ids)


def parse(source: str, path: Path, *, template_ids: Iterable[str] | None = None,
          flow_ids: Iterable[str] | None = None) -> RuleSet:
    """`load` for a text not (yet) on disk: what the file `path` would give if it held
    `source` (the rule editor previews a rule this way before writing anything).

    Raises:
        RulesError: the text is not TOML or breaks the schema (lines are `source`'s).
    """
    import tomllib

    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        raise RulesError([f"{path}:{tomllines.syntax_error_line(exc)}: {exc}"]) from None
    return _build(path, source, data, template_ids, flow_ids)


def _build(path: Path, source: str, data: dict[str, Any], template_ids: Iterable[str] | None,
           flow_ids: Iterable[str] | None) -> RuleSet:
    loader = _Loader(data, set(template_ids) if template_ids is not None else None,
                     set(flow_ids) if flow_ids is not None else None)
    ruleset = loader.build(path)
    if loader.problems:
        raise RulesError(tomllines.located(path, source, loader.problems))
    assert ruleset is not None
    return ruleset


def duration(text: str) -> timedelta | None:
    """Parse "1h30m", "15m", "2d"; None when it is not a duration."""
    match = _DURATION.fullmatch(text.strip()) if isinstance(text, str) else None
    if not match or not any(match.groups()):
        return None
    d, h, m, s = (int(g or 0) for g in match.groups())
    return timedelta(days=d, hours=h, minutes=m, seconds=s)


class _Loader:
    def __init__(self, data: dict[str, Any], template_ids: set[str] | None,
                 flow_ids: set[str] | None = None) -> None:
        self.data = data
        self.template_ids = template_ids
        self.flow_ids = flow_ids
        self.problems: list[tuple[tuple[str | int, ...], str]] = []
        self.rule_words = Lexicon()
        """Every rule's keywords in one matcher, labelled with the rule's index."""

    # -- small typed readers ----------------------------------------------------------------

    def fail(self, path: tuple[str | int, ...], message: str) -> None:
        self.problems.append((path, message))

    def keys(self, path: tuple[str | int, ...], table: Any, allowed: Iterable[str]) -> dict[str, Any]:
        if not isinstance(table, dict):
            self.fail(path, f"{_name(path)} must be a table")
            return {}
        allowed = set(allowed)
        for key in table:
            if key not in allowed:
                self.fail((*path, key), f"unknown key {_name((*path, key))!r}")
        return table

    def typed(self, path: tuple[str | int, ...], value: Any, kind: type | tuple[type, ...],
              what: str) -> Any:
        if isinstance(value, bool) and kind is not bool and bool not in _tuple(kind):
            self.fail(path, f"{_name(path)} must be {what}, not true/false")
            return None
        if not isinstance(value, kind):
            self.fail(path, f"{_name(path)} must be {what}")
            return None
        return value

    def strings(self, path: tuple[str | int, ...], value: Any) -> list[str]:
        if isinstance(value, str):
            return [value]
        if isinstance(value, list) and all(isinstance(v, str) for v in value):
            return list(value)
        self.fail(path, f"{_name(path)} must be a text or a list of texts")
        return []

    def choice(self, path: tuple[str | int, ...], value: Any, allowed: Iterable[str],
               what: str) -> str | None:
        allowed = list(allowed)
        if not isinstance(value, str) or value not in allowed:
            self.fail(path, f"{_name(path)}: unknown {what} {value!r} (expected one of "
                            f"{', '.join(allowed)})")
            return None
        return value

    def span(self, path: tuple[str | int, ...], value: Any) -> timedelta | None:
        result = duration(value) if isinstance(value, str) else None
        if result is None:
            self.fail(path, f"{_name(path)} must be a duration such as \"15m\", \"4h\" or \"1d\"")
        return result

    def terms(self, path: tuple[str | int, ...], lexicon: Lexicon, label: str, values: Any,
              add: Callable[[Lexicon, str, str, float], None], weight: float) -> None:
        for term in self.strings(path, values):
            try:
                add(lexicon, label, term, weight)
            except TermError as exc:
                self.fail(path, str(exc))

    # -- sections --------------------------------------------------------------------------

    def build(self, path: Path) -> RuleSet | None:
        data = self.keys((), self.data, _TOP)
        if data.get("version", 1) != 1:
            self.fail(("version",), "this program reads rules version 1")
        vip = self.keys(("vip",), data.get("vip", {}), {"followers", "verified"})
        followers = self.typed(("vip", "followers"), vip.get("followers", 50_000), int,
                               "a whole number")
        verified = self.typed(("vip", "verified"), vip.get("verified", True), bool,
                              "true or false")
        intents, lexicons = self.intents(data.get("intents", {}))
        negation, window, breaks, spares = self.negation(data.get("negation", {}), intents)
        calendars = self.calendars(data.get("calendars", {}))
        sla, default_sla = self.sla(data.get("sla", {}), calendars)
        routes, default_route = self.routing(data.get("routing", {}), intents, sla)
        signals = self.keys(("signals",), data.get("signals", {}), {"anger", "confusion"})
        assignment = self.keys(("assignment",), data.get("assignment", {}), {"roles"})
        auto_roles = self.strings(("assignment", "roles"), assignment.get("roles", []))
        for role in auto_roles:
            self.choice(("assignment", "roles"), role, ROLES, "role")
        rules = self.rules(data.get("rules", []), intents, sla, calendars)
        from workstation.alerts.config import parse as check_alerts

        check_alerts(data.get("alerts", {}), self.fail)  # read by the alert scanner
        guardrails = data.get("guardrails", {})
        if not isinstance(guardrails, dict):
            self.fail(("guardrails",), "guardrails must be a table")
            guardrails = {}
        ruleset = RuleSet(
            path=path, vip_followers=followers or 0, vip_verified=bool(verified),
            intents=intents, lexicons=lexicons, negation=negation, negation_window=window,
            negation_breaks=breaks, moderation=self.moderation(data.get("moderation", {})),
            anger=self.cues(("signals", "anger"), signals.get("anger", {}), anger=True),
            confusion=self.cues(("signals", "confusion"), signals.get("confusion", {})),
            calendars=calendars, sla=sla, default_sla=default_sla, routes=routes,
            default_route=default_route, auto_assign=frozenset(auto_roles), rules=rules,
            rule_words=self.rule_words,
            guardrails=guardrails, negation_spares=spares,
        )
        if self.problems:
            return None
        return replace(ruleset, matchers=combine(ruleset))

    def intents(self, table: Any) -> tuple[dict[str, IntentDef], dict[str, Lexicon]]:
        table = self.keys(("intents",), table, table.keys() if isinstance(table, dict) else ())
        intents: dict[str, IntentDef] = {}
        lexicons: dict[str, Lexicon] = {}
        for name, spec in table.items():
            path = ("intents", name)
            if not re.fullmatch(r"[a-z][a-z0-9_-]*", name):
                self.fail(path, f"intent name {name!r} must be a lower-case slug")
            spec = self.keys(path, spec, {"description", "fallback", "threshold", "weight",
                                          *(k for k in spec if len(k) == 2 or k == "any")}
                             if isinstance(spec, dict) else ())
            weight = self.typed((*path, "weight"), spec.get("weight", 1.0), (int, float),
                                "a number") or 1.0
            intents[name] = IntentDef(
                name=name,
                description=str(spec.get("description", "")),
                fallback=bool(self.typed((*path, "fallback"), spec.get("fallback", False), bool,
                                         "true or false")),
                threshold=float(self.typed((*path, "threshold"), spec.get("threshold", 1.0),
                                           (int, float), "a number") or 1.0),
                weight=float(weight),
            )
            for lang, words in spec.items():
                if len(lang) != 2 and lang != "any":
                    continue
                words = self.keys((*path, lang), words,
                                  {"keywords", "regex", "fuzzy", "strong", "weak", "unless"})
                lexicon = lexicons.setdefault(lang, Lexicon())
                # A word counts 1, a `strong` one 2, a `weak` one 0.5 (alone it is not enough);
                # the intent's `weight` only ranks intents (see signals/intents.py).
                self.terms((*path, lang, "keywords"), lexicon, name, words.get("keywords", []),
                           Lexicon.add, 1.0)
                self.terms((*path, lang, "strong"), lexicon, name, words.get("strong", []),
                           Lexicon.add, 2.0)
                self.terms((*path, lang, "weak"), lexicon, name, words.get("weak", []),
                           Lexicon.add, 0.5)
                self.terms((*path, lang, "fuzzy"), lexicon, name, words.get("fuzzy", []),
                           Lexicon.add_fuzzy, 1.0)
                self.terms((*path, lang, "regex"), lexicon, name, words.get("regex", []),
                           Lexicon.add_pattern, 1.0)
                # `unless` words veto the intent wherever they appear ("jk", "le fruit").
                self.terms((*path, lang, "unless"), lexicon, "!" + name, words.get("unless", []),
                           Lexicon.add, 0.0)
        for name in INTENTS:
            if name not in intents:
                self.fail(("intents",), f"intent {name!r} of the taxonomy has no lexicon")
        return intents, lexicons

    def negation(self, table: Any, intents: dict[str, IntentDef]
                 ) -> tuple[dict[str, Lexicon], int, frozenset[str], frozenset[str]]:
        table = self.keys(("negation",), table,
                          {"window", "breaks", "spares", *(k for k in table if len(k) == 2)}
                          if isinstance(table, dict) else ())
        window = self.typed(("negation", "window"), table.get("window", 5), int, "a whole number")
        breaks = frozenset(w.lower() for w in self.strings(("negation", "breaks"),
                                                            table.get("breaks", [])))
        spares = frozenset(self.strings(("negation", "spares"), table.get("spares", [])))
        for name in spares - intents.keys():
            self.fail(("negation", "spares"), f"unknown intent {name!r}")
        cues: dict[str, Lexicon] = {}
        for lang, terms in table.items():
            if len(lang) == 2:
                self.terms(("negation", lang), cues.setdefault(lang, Lexicon()), "negation",
                           terms, Lexicon.add, 1.0)
        return cues, window or 5, breaks, spares

    def moderation(self, table: Any) -> ModerationPolicy:
        path = ("moderation",)
        table = self.keys(path, table, {*CATEGORIES, "private_ok", "removal_reason", "appeal"})
        verdicts = {}
        for category in CATEGORIES:
            if category not in table:
                self.fail(path, f"moderation has no verdict for {category!r}")
                continue
            verdict = self.choice((*path, category), table[category], VERDICTS, "verdict")
            if verdict:
                verdicts[category] = verdict
        private = self.strings((*path, "private_ok"), table.get("private_ok", []))
        for category in private:
            if category not in CATEGORIES:
                self.fail((*path, "private_ok"), f"unknown moderation category {category!r}")
        texts = {}
        for key in ("removal_reason", "appeal"):
            value = table.get(key, {})
            if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
                self.fail((*path, key), f"moderation.{key} must map languages to texts")
                value = {}
            texts[key] = dict(value)
        return ModerationPolicy(verdicts, frozenset(private), texts["removal_reason"],
                                texts["appeal"])

    def cues(self, path: tuple[str | int, ...], table: Any, *, anger: bool = False) -> dict[str, Cues]:
        extra = {"sentiment_below", "caps_words"} if anger else set()
        table = self.keys(path, table, {*extra, *(k for k in table if len(k) == 2)}
                          if isinstance(table, dict) else ())
        below = self.typed((*path, "sentiment_below"), table.get("sentiment_below", -2.0),
                           (int, float), "a number") if anger else None
        caps = self.typed((*path, "caps_words"), table.get("caps_words", 0), int,
                          "a whole number") if anger else None
        found = {}
        for lang, terms in table.items():
            if len(lang) == 2:
                words = Lexicon()
                self.terms((*path, lang), words, "cue", terms, Lexicon.add, 1.0)
                found[lang] = Cues(words, below, caps or None)
        return found

    def calendars(self, table: Any) -> dict[str, Calendar]:
        table = self.keys(("calendars",), table, table.keys() if isinstance(table, dict) else ())
        calendars = {}
        for name, spec in table.items():
            path = ("calendars", name)
            spec = self.keys(path, spec, {"timezone", "holidays", *_DAYS})
            try:
                zone = ZoneInfo(str(spec.get("timezone", "UTC")))
            except (ZoneInfoNotFoundError, ValueError):
                self.fail((*path, "timezone"), f"unknown time zone {spec.get('timezone')!r}")
                continue
            hours = {}
            for index, day in enumerate(_DAYS):
                ranges = []
                for part in filter(None, (p.strip() for p in str(spec.get(day, "")).split(","))):
                    match = _HOURS.fullmatch(part)
                    parsed = _hours(match) if match else None
                    if parsed is None:
                        self.fail((*path, day), f"{day} hours {part!r} must look like 09:00-18:00")
                        continue
                    ranges.append(parsed)
                hours[index] = tuple(ranges)
            holidays = set()
            for text in self.strings((*path, "holidays"), spec.get("holidays", [])):
                try:
                    holidays.add(date.fromisoformat(text))
                except ValueError:
                    self.fail((*path, "holidays"), f"holiday {text!r} is not a YYYY-MM-DD date")
            if not any(hours.values()):
                self.fail(path, f"calendar {name!r} is never open")
            calendars[name] = Calendar(name, zone, hours, frozenset(holidays))
        return calendars

    def sla(self, table: Any, calendars: dict[str, Calendar]) -> tuple[dict[str, SlaPolicy], str]:
        table = self.keys(("sla",), table, table.keys() if isinstance(table, dict) else ())
        policies = {}
        for name, spec in table.items():
            if name == "default":
                continue
            path = ("sla", name)
            spec = self.keys(path, spec, {"first", "next", "calendar", "pause", "platforms",
                                          "warn"})
            first = self.span((*path, "first"), spec.get("first"))
            nxt = self.span((*path, "next"), spec.get("next", spec.get("first")))
            warn = self.span((*path, "warn"), spec.get("warn", "30m"))
            calendar = None
            if "calendar" in spec:
                calendar = calendars.get(spec["calendar"])
                if calendar is None:
                    self.fail((*path, "calendar"), f"unknown calendar {spec['calendar']!r}")
            pause = self.typed((*path, "pause"), spec.get("pause", False), bool, "true or false")
            if pause and "calendar" not in spec:
                self.fail((*path, "pause"), "pause = true needs a calendar")
            overrides = {}
            platforms = self.keys((*path, "platforms"), spec.get("platforms", {}),
                                  spec.get("platforms", {}).keys()
                                  if isinstance(spec.get("platforms"), dict) else ())
            for platform, target in platforms.items():
                target = self.keys((*path, "platforms", platform), target, {"first", "next"})
                p_first = self.span((*path, "platforms", platform, "first"),
                                    target.get("first", spec.get("first")))
                p_next = self.span((*path, "platforms", platform, "next"),
                                   target.get("next", spec.get("next", spec.get("first"))))
                if p_first and p_next:
                    overrides[platform] = Target(p_first, p_next)
            if first and nxt and warn:
                policies[name] = SlaPolicy(name, Target(first, nxt), overrides, calendar,
                                           bool(pause), warn)
        default = table.get("default", "")
        if default not in policies:
            self.fail(("sla", "default"), f"sla.default must name an SLA policy, not {default!r}")
        return policies, default

    def routing(self, table: Any, intents: dict[str, IntentDef],
                sla: dict[str, SlaPolicy]) -> tuple[dict[str, Route], Route]:
        table = self.keys(("routing",), table, {"default", *intents, *CATEGORIES})
        routes = {}
        for key, spec in table.items():
            path = ("routing", key)
            spec = self.keys(path, spec, {"role", "priority", "sla", "escalate"})
            role = self.choice((*path, "role"), spec.get("role", "agent"), ROLES, "role")
            priority = self.choice((*path, "priority"), spec.get("priority", "normal"),
                                   _PRIORITIES, "priority")
            policy = spec.get("sla", "")
            if policy and policy not in sla:
                self.fail((*path, "sla"), f"unknown SLA policy {policy!r}")
            escalate = self.typed((*path, "escalate"), spec.get("escalate", ""), str, "a reason")
            if role and priority:
                routes[key] = Route(role, _PRIORITIES[priority], policy, escalate or "")
        return routes, routes.pop("default", Route())

    def rules(self, items: Any, intents: dict[str, IntentDef], sla: dict[str, SlaPolicy],
              calendars: dict[str, Calendar]) -> tuple[Rule, ...]:
        if not isinstance(items, list):
            self.fail(("rules",), "rules must be written as [[rules]] tables")
            return ()
        rules, names = [], set()
        for index, spec in enumerate(items):
            path: tuple[str | int, ...] = ("rules", index)
            spec = self.keys(path, spec, {"name", "when", "do"})
            name = spec.get("name")
            if not isinstance(name, str) or not name:
                self.fail(path, "every rule needs a name")
                name = f"rule {index + 1}"
            elif name in names:
                self.fail((*path, "name"), f"two rules are named {name!r}")
            names.add(name)
            when = self.conditions((*path, "when"), spec.get("when", {}), intents, calendars,
                                   str(index))
            actions = self.actions((*path, "do"), spec.get("do", {}), sla)
            if not actions:
                self.fail(path, f"rule {name!r} does nothing (its `do` is empty)")
            stop = any(a.do == "stop" and a.value for a in actions)
            rules.append(Rule(name, when, tuple(a for a in actions if a.do != "stop"), stop))
        return tuple(rules)

    def conditions(self, path: tuple[str | int, ...], table: Any, intents: dict[str, IntentDef],
                   calendars: dict[str, Calendar], label: str) -> Conditions:
        allowed = {*_CONDITION_SETS, *_CONDITION_FLAGS, *_CONDITION_INTS, "sentiment_below",
                   "sentiment_above", "keywords", "fuzzy", "regex", "calendar",
                   "since_last_reply_over"}
        table = self.keys(path, table, allowed)
        values: dict[str, Any] = {}
        for key in _CONDITION_SETS & table.keys():
            items = self.strings((*path, key), table[key])
            known = {"intent": intents, "primary_intent": intents, "category": CATEGORIES,
                     "kind": KINDS}.get(key)
            for item in items:
                if known is not None and item not in known:
                    self.fail((*path, key), f"unknown {key.replace('primary_', '')} {item!r}")
            values[key] = frozenset(items)
        for key in _CONDITION_FLAGS & table.keys():
            values[key] = self.typed((*path, key), table[key], bool, "true or false")
        for key in _CONDITION_INTS & table.keys():
            values[key] = self.typed((*path, key), table[key], int, "a whole number")
        for key in ("sentiment_below", "sentiment_above"):
            if key in table:
                values[key] = self.typed((*path, key), table[key], (int, float), "a number")
        if "since_last_reply_over" in table:
            values["since_last_reply_over"] = self.span((*path, "since_last_reply_over"),
                                                        table["since_last_reply_over"])
        if "business_hours" in table:
            calendar = table.get("calendar", "")
            if calendar not in calendars:
                self.fail((*path, "calendar"), "business_hours needs `calendar` naming a calendar")
            values["calendar"] = calendar
        if {"keywords", "fuzzy", "regex"} & table.keys():
            words = self.rule_words
            self.terms((*path, "keywords"), words, label, table.get("keywords", []),
                       Lexicon.add, 1.0)
            self.terms((*path, "fuzzy"), words, label, table.get("fuzzy", []),
                       Lexicon.add_fuzzy, 1.0)
            self.terms((*path, "regex"), words, label, table.get("regex", []),
                       Lexicon.add_pattern, 1.0)
            values["words"] = True
        return Conditions(**values)

    def actions(self, path: tuple[str | int, ...], table: Any,
                sla: dict[str, SlaPolicy]) -> list[Action]:
        table = self.keys(path, table, _ACTIONS)
        actions = []
        for key, value in table.items():
            where = (*path, key)
            if key == "tag":
                for tag in self.strings(where, value):
                    actions.append(Action("tag", tag))
                continue
            if key in {"hide", "delete", "ban", "lead", "stop"}:
                value = self.typed(where, value, bool, "true or false")
            elif key == "priority":
                value = self.choice(where, value, _PRIORITIES, "priority")
            elif key == "route":
                value = self.choice(where, value, ROLES, "role")
            elif key == "sla":
                value = self.choice(where, value, sla, "SLA policy")
            elif key == "remind":
                value = self.span(where, value)
            elif key == "qualifier":
                value = self.typed(where, value, str, "a flow id (flows.toml) or a template id")
                if value:
                    self.qualifier(where, value)
            elif key in {"reply", "dm"}:
                value = self.typed(where, value, str, "a template id")
                if value and self.template_ids is not None and value not in self.template_ids:
                    self.fail(where, f"unknown template {value!r}")
            else:  # assign, escalate, review
                value = self.typed(where, value, str, "a text")
            if value not in (None, False):
                actions.append(Action(key, value))
        return actions


    def qualifier(self, where: tuple[str | int, ...], value: str) -> None:
        """A qualifier starts the flow of that id, else sends the template of that id; it is
        checked when the flows are known (a flows file that does not load is reported on
        its own)."""
        flows, templates = self.flow_ids, self.template_ids
        if flows is None or value in flows or templates is None or value in templates:
            return
        known = ", ".join(sorted(flows)) or "none"
        self.fail(where, f"unknown qualifier flow {value!r}: not a flow of flows.toml "
                         f"({known}) nor a template")


def _hours(match: re.Match[str]) -> tuple[time, time] | None:
    h1, m1, h2, m2 = (int(g) for g in match.groups())
    if h1 > 23 or m1 > 59 or h2 > 24 or m2 > 59 or (h2 == 24 and m2):
        return None
    start, end = time(h1, m1), time(0) if h2 == 24 else time(h2, m2)
    if end != time(0) and end <= start:
        return None
    return start, end


def _name(path: tuple[str | int, ...]) -> str:
    out = ""
    for part in path:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "rules file"


def _tuple(kind: type | tuple[type, ...]) -> tuple[type, ...]:
    return kind if isinstance(kind, tuple) else (kind,)
