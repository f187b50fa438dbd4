"""flows.toml: the bot's qualifier flows and the leads policy, loaded and validated.

The file is written by the team, so every mistake is reported at once as `FILE:LINE: reason`
and a file with any mistake is refused whole (`current()` keeps the last good one in force,
as rules.toml does). Texts are parsed with the replies engine's slot syntax when the file is
loaded: a bad brace is caught by `workstation leads check`, never in front of a customer.
"""

from __future__ import annotations

import os
from datetime import timedelta
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from workstation import paths, tomllines
from workstation.stages import LeadStage
from workstation.replies import slots
from workstation.replies.render import Part, SlotSyntaxError, variant
from workstation.rules.load import duration
from workstation.rules.model import ROLES

from .model import (  # noqa: F401  (re-exported: the package's names for flows.toml)
    EXPECTS, FLOW_SLOTS, LANGS, OFFERS, TONES, Flow, FlowBook, Offer, Option, Question,
)
from .words import Phrases


class FlowsError(tomllines.TomlProblems):
    """flows.toml cannot be used; `problems` lists each as `FILE:LINE: reason`."""


def default_path() -> Path:
    """The flows file in force: `$WORKSTATION_FLOWS`, else the shipped one."""
    return Path(os.environ.get("WORKSTATION_FLOWS") or paths.shipped("flows.toml"))


def load(path: Path | None = None) -> FlowBook:
    """Load and validate a flows file (the one in force by default).

    Raises:
        FlowsError: the file is unreadable, not TOML, or breaks the schema.
    """
    return tomllines.load(path or default_path(), FlowsError, _Reader())


_LIVE: dict[str, Any] = {}


def current(path: Path | None = None) -> FlowBook:
    """The flows in force, reloaded when the file changes; a broken edit keeps the last good
    file (its problems are in `problems()`), and with none ever good the bot runs no flow."""
    path = path or default_path()
    try:
        stamp = path.stat().st_mtime_ns
    except OSError:
        stamp = -1
    key = str(path)
    cached = _LIVE.get(key)
    if cached is not None and cached[0] == stamp:
        return cached[1]
    try:
        book, problems = load(path), []
    except FlowsError as exc:
        book, problems = (cached[1] if cached else FlowBook()), exc.problems
    _LIVE[key] = (stamp, book, problems)
    return book


def problems(path: Path | None = None) -> list[str]:
    """What is wrong with the flows file, as last read by `current()`."""
    current(path)
    return list(_LIVE.get(str(path or default_path()), (0, None, []))[2])


Where = tuple[str | int, ...]


class _Reader:
    def __init__(self) -> None:
        self.problems: list[tuple[Where, str]] = []

    def fail(self, where: Where, reason: str) -> None:
        self.problems.append((where, reason))

    def table(self, where: Where, value: Any, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(where, f"{_name(where)} must be a table")
            return {}
        for key in value:
            if key not in allowed:
                self.fail((*where, key), f"unknown key {_name((*where, key))!r}")
        return value

    def number(self, where: Where, value: Any, default: float, low: float,
               whole: bool = False) -> Any:
        if value is None:
            return default
        kinds = (int,) if whole else (int, float)
        if isinstance(value, bool) or not isinstance(value, kinds) or value < low:
            kind = "a whole number" if whole else "a number"
            self.fail(where, f"{_name(where)} must be {kind}, {low:g} or more")
            return default
        return value

    def words(self, where: Where, value: Any) -> Phrases:
        if value is None:
            return Phrases(())
        if not isinstance(value, list) or not all(isinstance(v, str) and v.strip()
                                                  for v in value):
            self.fail(where, f"{_name(where)} must be a list of words or phrases")
            return Phrases(())
        return Phrases(value)

    def slugs(self, where: Where, value: Any, allowed: tuple[str, ...] | None = None
              ) -> frozenset[str]:
        if value is None:
            return frozenset()
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(where, f"{_name(where)} must be a list of names")
            return frozenset()
        for item in value:
            if allowed is not None and item not in allowed:
                self.fail(where, f"{_name(where)}: unknown value {item!r} "
                                 f"(expected one of {', '.join(allowed)})")
        return frozenset(value)

    def span(self, where: Where, value: Any, default: timedelta) -> timedelta:
        if value is None:
            return default
        found = duration(value) if isinstance(value, str) else None
        if found is None:
            self.fail(where, f'{_name(where)} must be a duration such as "20h" or "3d"')
            return default
        return found

    def text(self, where: Where, value: Any, lines: bool = False) -> Part | None:
        """A text (or a list of wordings; of lines with `lines`) in slot syntax, checked like
        a template's part."""
        if lines and isinstance(value, list) and all(isinstance(v, str) for v in value):
            value = "\n".join(value)
        items = value if isinstance(value, list) else [value]
        if not items or not all(isinstance(v, str) and v.strip() for v in items):
            self.fail(where, f"{_name(where)} must be a text or a list of texts")
            return None
        parsed = []
        for item in items:
            try:
                parsed.append(variant(item))
            except SlotSyntaxError as exc:
                self.fail(where, f"{_name(where)}: {exc.reason}")
                return None
            unknown = [n for n in parsed[-1].slot_names if n not in FLOW_SLOTS]
            if unknown:
                self.fail(where, f"{_name(where)}: unknown slot {{{unknown[0]}}} "
                                 f"(flows may use {', '.join(FLOW_SLOTS)})")
                return None
        return Part(str(where[-1]), tuple(parsed))

    def languages(self, where: Where, value: Any, lines: bool = False) -> dict[str, Part]:
        table = self.table(where, value, set(LANGS))
        out = {}
        for lang in LANGS:
            if lang not in table:
                if isinstance(value, dict):
                    self.fail(where, f"{_name(where)} needs a text in {lang!r}")
                continue
            part = self.text((*where, lang), table[lang], lines)
            if part is not None:
                out[lang] = part
        return out

    def book(self, path: Path, data: dict[str, Any]) -> FlowBook:
        data = self.table((), data, {"version", "bot", "sales", "reminders", "form",
                                     "attribution", "ugc", "tone", "flows"})
        if data.get("version", 1) != 1:
            self.fail(("version",), "version must be 1")
        bot = self.table(("bot",), data.get("bot", {}), {
            "max_questions", "start_within", "off_script_limit", "quick_replies", "handoff_template",
            "angry_below", "handoff_intents", "handoff_tags", "handoff_words", "opt_out_words"})
        sales = self.table(("sales",), data.get("sales", {}), {
            "role", "urgent_within", "quantity_at_least", "budget_at_least", "words"})
        role = sales.get("role", "senior")
        if role not in ROLES or role == "bot":
            self.fail(("sales", "role"), f"sales.role must be one of {', '.join(ROLES[1:])}")
            role = "senior"
        reminders = self.table(("reminders",), data.get("reminders", {}),
                               {"stages", "delay", "max", "template"})
        form = self.table(("form",), data.get("form", {}), {"base_url"})
        form_url = form.get("base_url", "")
        if form_url and not _https(form_url):
            self.fail(("form", "base_url"), "form.base_url must be an https:// address")
            form_url = ""
        attribution = self.table(("attribution",), data.get("attribution", {}), {"promo_codes"})
        codes = attribution.get("promo_codes", [])
        if not isinstance(codes, list) or not all(isinstance(c, str) and c.strip().isalnum()
                                                  for c in codes):
            self.fail(("attribution", "promo_codes"),
                      "attribution.promo_codes must be a list of codes (letters and digits)")
            codes = []
        ugc = self.table(("ugc",), data.get("ugc", {}), {"template", "words", "yes", "no",
                                                         "usage_months", "credit", "withdraw"})
        tone = self.table(("tone",), data.get("tone", {}), {"formal_platforms"})
        book = FlowBook(
            path=path,
            max_questions=self.number(("bot", "max_questions"), bot.get("max_questions"), 5, 1,
                                      True),
            start_within=self.span(("bot", "start_within"), bot.get("start_within"),
                                   timedelta(days=2)),
            off_script_limit=self.number(("bot", "off_script_limit"),
                                         bot.get("off_script_limit"), 2, 1, True),
            quick_replies=self.slugs(("bot", "quick_replies"), bot.get("quick_replies")),
            handoff_template=str(bot.get("handoff_template", "human-handoff")),
            angry_below=float(self.number(("bot", "angry_below"), bot.get("angry_below"), -0.8,
                                          -1.0)),
            handoff_intents=self.slugs(("bot", "handoff_intents"), bot.get("handoff_intents")),
            handoff_tags=self.slugs(("bot", "handoff_tags"), bot.get("handoff_tags")),
            handoff_words=self.words(("bot", "handoff_words"), bot.get("handoff_words")),
            opt_out_words=self.words(("bot", "opt_out_words"), bot.get("opt_out_words")),
            sales_role=role,
            urgent_within=self.span(("sales", "urgent_within"), sales.get("urgent_within"),
                                    timedelta(days=3)),
            quantity_at_least=self.number(("sales", "quantity_at_least"),
                                          sales.get("quantity_at_least"), 50, 1, True),
            budget_at_least=float(self.number(("sales", "budget_at_least"),
                                              sales.get("budget_at_least"), 1000, 0)),
            sales_words=self.words(("sales", "words"), sales.get("words")),
            reminder_stages=self.slugs(("reminders", "stages"),
                                       reminders.get("stages", ["qualifying", "hot"]),
                                       tuple(s.value for s in LeadStage)),
            reminder_delay=self.span(("reminders", "delay"), reminders.get("delay"),
                                     timedelta(hours=20)),
            reminder_max=self.number(("reminders", "max"), reminders.get("max"), 2, 0, True),
            reminder_template=str(reminders.get("template", "lead-reminder")),
            form_url=form_url,
            promo_codes=tuple(c.strip().upper() for c in codes),
            ugc_template=str(ugc.get("template", "ugc-rights-dm")),
            ugc_words=self.words(("ugc", "words"), ugc.get("words")),
            ugc_yes=self.words(("ugc", "yes"), ugc.get("yes")),
            ugc_no=self.words(("ugc", "no"), ugc.get("no")),
            ugc_usage_months=self.number(("ugc", "usage_months"), ugc.get("usage_months"), 12,
                                         1, True),
            ugc_credit=self.words(("ugc", "credit"), ugc.get("credit")),
            ugc_withdraw=self.words(("ugc", "withdraw"), ugc.get("withdraw")),
            formal_platforms=self.slugs(("tone", "formal_platforms"),
                                        tone.get("formal_platforms")),
        )
        flows = self.table(("flows",), data.get("flows", {}), set(data.get("flows", {}) or {}))
        built = {}
        for flow_id, spec in flows.items():
            flow = self.flow(flow_id, spec, book)
            if flow is not None:
                built[flow_id] = flow
        object.__setattr__(book, "flows", built)
        return book

    def flow(self, flow_id: str, spec: Any, book: FlowBook) -> Flow | None:
        where: Where = ("flows", flow_id)
        before = len(self.problems)
        spec = self.table(where, spec, {"description", "greeting", "questions", "closing",
                                        "sales", "offer", "hot_within"})
        greeting: dict[tuple[str, str], Part] = {}
        tones = self.table((*where, "greeting"), spec.get("greeting", {}), set(TONES))
        for tone in TONES:
            if tone not in tones:
                self.fail((*where, "greeting"), f"{_name(where)}.greeting needs {tone!r}")
                continue
            for lang, part in self.languages((*where, "greeting", tone), tones[tone]).items():
                greeting[(tone, lang)] = Part("greeting", part.variants)
        questions = spec.get("questions", [])
        if not isinstance(questions, list) or not 2 <= len(questions) <= 4:
            self.fail(where, f"{_name(where)} needs 2 to 4 [[{_name(where)}.questions]]")
            questions = [] if not isinstance(questions, list) else questions
        built = [q for i, raw in enumerate(questions)
                 if (q := self.question((*where, "questions", i), raw)) is not None]
        offer_spec = self.table((*where, "offer"), spec.get("offer", {}),
                                {"kind", "url", "promo_code"})
        kind = offer_spec.get("kind", "form")
        if kind not in OFFERS:
            self.fail((*where, "offer", "kind"), f"offer.kind must be one of {', '.join(OFFERS)}")
        url = offer_spec.get("url", "")
        if kind in ("call", "guide") and not _https(url):
            self.fail((*where, "offer", "url"), f"a {kind} offer needs an https:// url")
        if kind == "form" and not book.form_url:
            self.fail((*where, "offer", "kind"), "a form offer needs [form] base_url")
        code = offer_spec.get("promo_code", "")
        if kind == "promo" and not (isinstance(code, str) and code.isalnum()):
            self.fail((*where, "offer", "promo_code"), "a promo offer needs a promo_code")
        closing = self.languages((*where, "closing"), spec.get("closing"), lines=True)
        sales = self.languages((*where, "sales"), spec.get("sales"))
        hot = self.span((*where, "hot_within"), spec.get("hot_within"), timedelta(days=14))
        if len(self.problems) > before:
            return None
        return Flow(flow_id, greeting, tuple(built), closing, sales,
                    Offer(kind, url, code), hot)

    def question(self, where: Where, raw: Any) -> Question | None:
        spec = self.table(where, raw, {"key", "expect", "ask", "retry", "options"})
        key, expect = spec.get("key"), spec.get("expect")
        if not isinstance(key, str) or not slots.SLOT_NAME.fullmatch(key):
            self.fail(where, f"{_name(where)} needs a key (lower-case letters, digits, _)")
        if expect not in EXPECTS:
            self.fail((*where, "expect"), f"expect must be one of {', '.join(EXPECTS)}")
        ask = self.languages((*where, "ask"), spec.get("ask"))
        retry = self.languages((*where, "retry"), spec.get("retry"))
        options = []
        raw_options = spec.get("options", [])
        if expect == "choice" and (not isinstance(raw_options, list) or len(raw_options) < 2):
            self.fail(where, "a choice question needs at least two options")
        for i, item in enumerate(raw_options if isinstance(raw_options, list) else []):
            place = (*where, "options")
            item = self.table(place, item, {"key", "label", "words", "sales"})
            label = self.languages(place, item.get("label"))
            if not isinstance(item.get("key"), str) or not item.get("key"):
                self.fail(place, f"option {i + 1} needs a key")
                continue
            sales = item.get("sales", False)
            options.append(Option(item["key"], label, self.words(place, item.get("words", [])),
                                  bool(sales)))
        if not isinstance(key, str) or expect not in EXPECTS:
            return None
        return Question(key, expect, ask, retry, tuple(options))


def _https(url: Any) -> bool:
    if not isinstance(url, str):
        return False
    parts = urlsplit(url)
    return parts.scheme == "https" and bool(parts.hostname) and " " not in url


def _name(where: Where) -> str:
    out = ""
    for part in where:
        out += f"[{part + 1}]" if isinstance(part, int) else (f".{part}" if out else part)
    return out or "flows file"
