"""The guardrails' configuration: the `[guardrails]` table of rules.toml, validated.

A team tunes its guardrails (word lists, length limits, messaging windows, the bot's question
budget) in rules.toml like the rest of its policy. This module turns that table into a frozen
`GuardrailConfig`, with the shipped defaults for anything the table leaves out, and reports
every mistake with its key (and its line, when read from a file). A list given in the file
replaces the default list for that key; nothing else is merged.
"""

from __future__ import annotations

import difflib
import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from workstation import paths

from . import lexicons
from .detectors import digits
from .normalize import fold, phrase_pattern
from workstation.tomllines import SourceMap, syntax_error_line, syntax_error_reason

KINDS = ("card", "iban", "password", "health", "phone", "email", "address")
"""Kinds of private data the guardrails know."""
CHANNELS = ("public", "dm")


class GuardrailConfigError(ValueError):
    """The `[guardrails]` table is invalid; `problems` lists (key path, reason) pairs."""

    def __init__(self, problems: list[tuple[str, str]], lines: list[str] | None = None) -> None:
        self.problems = problems
        self.lines = lines or [f"{key}: {reason}" for key, reason in problems]
        super().__init__("; ".join(self.lines[:3]))


@dataclass(frozen=True)
class Window:
    """A platform's DM window, in hours after the customer's last message."""

    standard_hours: float = 24
    human_agent_hours: float = 168
    """With the human-agent tag: a person (never the bot) may answer this long."""
    private_reply_hours: float = 168
    """A private reply to a public comment is allowed this long after the comment."""


def _default_limits() -> dict[str, dict[str, int]]:
    return {
        "x": {"public": 280, "dm": 10000},
        "tiktok": {"public": 150, "dm": 1000},
        "instagram": {"public": 2200, "dm": 1000},
        "facebook": {"public": 8000, "dm": 2000},
        "linkedin": {"public": 1250, "dm": 2000},
    }


def _meta() -> dict[str, Window]:
    return {"instagram": Window(), "facebook": Window()}


@dataclass(frozen=True)
class GuardrailConfig:
    """Every guardrail's switch and settings, with compiled matchers."""

    brand_domains: frozenset[str] = frozenset({"brulerielumen.fr", "brulerielumen.com"})
    brand_phones: frozenset[str] = frozenset({"33240000000"})
    """Digits only, with the country code."""
    brand_addresses: tuple[str, ...] = ("12 rue des torrefacteurs",)
    """Folded."""
    private_data: bool = True
    public_kinds: frozenset[str] = frozenset(KINDS)
    allow_asking_in_dm: frozenset[str] = frozenset({"phone", "email", "address"})
    never_ask: frozenset[str] = frozenset({"password", "card"})
    terms: dict[str, dict[str, list[str]]] = field(
        default_factory=lambda: {k: dict(v) for k, v in lexicons.PRIVATE_TERMS.items()}
    )
    dm_words: dict[str, list[str]] = field(default_factory=lambda: dict(lexicons.DM_WORDS))
    liability: bool = True
    liability_intents: frozenset[str] = frozenset({"safety", "legal"})
    liability_phrases: dict[str, list[str]] = field(
        default_factory=lambda: dict(lexicons.LIABILITY)
    )
    length: bool = True
    default_limit: dict[str, int] = field(default_factory=lambda: {"public": 2000, "dm": 2000})
    limits: dict[str, dict[str, int]] = field(default_factory=_default_limits)
    weighted: frozenset[str] = frozenset({"x"})
    """Platforms that count length the way X does (URLs 23, wide characters 2)."""
    bot: bool = True
    max_questions: int = 3
    handoff_template: str = "human-handoff"
    dm_window: bool = True
    windows: dict[str, Window] = field(default_factory=_meta)
    term_matchers: dict[str, re.Pattern[str] | None] = field(
        init=False, repr=False, compare=False
    )
    """Kind of private data to a matcher of its words, all languages together."""
    dm_matcher: re.Pattern[str] | None = field(init=False, repr=False, compare=False)
    liability_matcher: re.Pattern[str] | None = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        kinds: dict[str, list[str]] = {}
        for by_kind in self.terms.values():
            for kind, words in by_kind.items():
                kinds.setdefault(kind, []).extend(words)
        matchers = {k: phrase_pattern(v) for k, v in kinds.items()}
        object.__setattr__(self, "term_matchers", matchers)
        object.__setattr__(self, "dm_matcher", phrase_pattern(
            [w for words in self.dm_words.values() for w in words]))
        object.__setattr__(self, "liability_matcher", phrase_pattern(
            [p for phrases in self.liability_phrases.values() for p in phrases]))

    def limit(self, platform: str, channel: str) -> int:
        """The longest reply `platform` takes on `channel`."""
        return self.limits.get(platform, {}).get(channel) or self.default_limit[channel]


def default_config() -> GuardrailConfig:
    """The guardrails with every default, as when rules.toml has no `[guardrails]` table."""
    return GuardrailConfig()


def load_config_file(path: Path | str | None = None) -> GuardrailConfig:
    """Read the `[guardrails]` table of a rules file (the shipped rules.toml by default).

    Raises:
        GuardrailConfigError: the file cannot be parsed or the table is invalid; `lines` holds
            each problem as `FILE:LINE: reason`.
    """
    file = Path(path) if path is not None else paths.shipped("rules.toml")
    stat = file.stat()
    signature = (stat.st_mtime_ns, stat.st_size)
    cached = _CACHE.get(file)
    if cached is not None and cached[0] == signature:
        return cached[1]
    source = file.read_text("utf-8")
    try:
        data = tomllib.loads(source)
    except tomllib.TOMLDecodeError as exc:
        reason = syntax_error_reason(exc)
        raise GuardrailConfigError(
            [("", reason)], [f"{file}:{syntax_error_line(exc)}: {reason}"]
        ) from None
    try:
        config = load_config(data.get("guardrails", {}))
    except GuardrailConfigError as exc:
        where = SourceMap(source)
        lines = [
            f"{file}:{where.line_of('guardrails', *key.split('.'))}: guardrails.{key}: {reason}"
            for key, reason in exc.problems
        ]
        raise GuardrailConfigError(exc.problems, lines) from None
    _CACHE[file] = (signature, config)
    return config


_CACHE: dict[Path, tuple[tuple[int, int], GuardrailConfig]] = {}
"""Configs already read, by file, with the modification time and size they were read at."""


def load_config(table: dict[str, Any]) -> GuardrailConfig:
    """Validate the `[guardrails]` table of rules.toml into a `GuardrailConfig`.

    Args:
        table: the parsed table (`tomllib` output); missing keys take the defaults.

    Raises:
        GuardrailConfigError: unknown keys, wrong types or values, each with its key path.
    """
    v = _Validator()
    default = GuardrailConfig()
    table = v.table(table, "", ("brand_domains", "brand_phones", "brand_addresses",
                                "private_data", "liability", "length", "bot", "dm_window"))
    kw: dict[str, Any] = {}
    if "brand_domains" in table:
        kw["brand_domains"] = frozenset(s.lower() for s in v.strings(table, "brand_domains"))
    if "brand_phones" in table:
        kw["brand_phones"] = frozenset(digits(s) for s in v.strings(table, "brand_phones"))
    if "brand_addresses" in table:
        kw["brand_addresses"] = tuple(fold(s) for s in v.strings(table, "brand_addresses"))
    pd = v.table(table.get("private_data", {}), "private_data",
                 ("enabled", "public_kinds", "allow_asking_in_dm", "never_ask", "terms",
                  "dm_words"))
    kw["private_data"] = v.boolean(pd, "enabled", "private_data", default.private_data)
    for key in ("public_kinds", "allow_asking_in_dm", "never_ask"):
        if key in pd:
            kw[key] = frozenset(v.strings(pd, key, "private_data", choices=KINDS))
    if "terms" in pd:
        terms = {lang: dict(kinds) for lang, kinds in default.terms.items()}
        for lang, kinds in v.table(pd["terms"], "private_data.terms", None).items():
            kinds = v.table(kinds, f"private_data.terms.{lang}", KINDS)
            for kind in kinds:
                terms.setdefault(lang, {})[kind] = v.strings(
                    kinds, kind, f"private_data.terms.{lang}")
        kw["terms"] = terms
    if "dm_words" in pd:
        kw["dm_words"] = v.by_language(pd["dm_words"], "private_data.dm_words")
    li = v.table(table.get("liability", {}), "liability", ("enabled", "intents", "phrases"))
    kw["liability"] = v.boolean(li, "enabled", "liability", default.liability)
    if "intents" in li:
        kw["liability_intents"] = frozenset(v.strings(li, "intents", "liability"))
    if "phrases" in li:
        kw["liability_phrases"] = v.by_language(li["phrases"], "liability.phrases")
    le = v.table(table.get("length", {}), "length", ("enabled", "default", "limits", "weighted"))
    kw["length"] = v.boolean(le, "enabled", "length", default.length)
    if "default" in le:
        limit = v.limits(le["default"], "length.default")
        kw["default_limit"] = {**default.default_limit, **limit}
    if "limits" in le:
        kw["limits"] = {
            platform: v.limits(value, f"length.limits.{platform}")
            for platform, value in v.table(le["limits"], "length.limits", None).items()
        }
    if "weighted" in le:
        kw["weighted"] = frozenset(v.strings(le, "weighted", "length"))
    bot = v.table(table.get("bot", {}), "bot", ("enabled", "max_questions", "handoff_template"))
    kw["bot"] = v.boolean(bot, "enabled", "bot", default.bot)
    kw["max_questions"] = v.integer(bot, "max_questions", "bot", default.max_questions)
    if "handoff_template" in bot:
        kw["handoff_template"] = v.string(bot, "handoff_template", "bot")
    dw = v.table(table.get("dm_window", {}), "dm_window", ("enabled", "platforms"))
    kw["dm_window"] = v.boolean(dw, "enabled", "dm_window", default.dm_window)
    if "platforms" in dw:
        kw["windows"] = {
            platform: v.window(value, f"dm_window.platforms.{platform}")
            for platform, value in v.table(dw["platforms"], "dm_window.platforms", None).items()
        }
    if v.problems:
        raise GuardrailConfigError(v.problems)
    return GuardrailConfig(**kw)


_SLUG = re.compile(r"[a-z0-9][a-z0-9_-]{0,31}")


class _Validator:
    def __init__(self) -> None:
        self.problems: list[tuple[str, str]] = []

    def fail(self, key: str, reason: str) -> None:
        self.problems.append((key, reason))

    def table(self, value: Any, key: str, allowed: tuple[str, ...] | None) -> dict[str, Any]:
        if not isinstance(value, dict):
            self.fail(key, "must be a table")
            return {}
        for name in value:
            path = f"{key}.{name}" if key else name
            if allowed is not None and name not in allowed:
                close = difflib.get_close_matches(name, list(allowed), n=1)
                hint = f" (did you mean {close[0]!r}?)" if close else ""
                self.fail(path, f"unknown key{hint}; expected one of {', '.join(allowed)}")
            elif allowed is None and not _SLUG.fullmatch(name):
                self.fail(path, "must be a lower-case name such as 'instagram' or 'en'")
        return {k: v for k, v in value.items() if allowed is None or k in allowed}

    def strings(self, table: dict[str, Any], name: str, key: str = "",
                choices: tuple[str, ...] | None = None) -> list[str]:
        path = f"{key}.{name}" if key else name
        value = table.get(name)
        if not isinstance(value, list) or not all(isinstance(s, str) and s for s in value):
            self.fail(path, "must be a list of non-empty strings")
            return []
        if choices is not None:
            bad = [s for s in value if s not in choices]
            if bad:
                self.fail(path, f"{bad[0]!r} is not one of {', '.join(choices)}")
                return [s for s in value if s in choices]
        return list(value)

    def by_language(self, value: Any, key: str) -> dict[str, list[str]]:
        table = self.table(value, key, None)
        return {lang: self.strings(table, lang, key) for lang in table}

    def boolean(self, table: dict[str, Any], name: str, key: str, default: bool) -> bool:
        value = table.get(name, default)
        if not isinstance(value, bool):
            self.fail(f"{key}.{name}", "must be true or false")
            return default
        return value

    def integer(self, table: dict[str, Any], name: str, key: str, default: int) -> int:
        value = table.get(name, default)
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= 1_000_000:
            self.fail(f"{key}.{name}", "must be a whole number, 0 or more")
            return default
        return value

    def string(self, table: dict[str, Any], name: str, key: str) -> str:
        value = table.get(name)
        if not isinstance(value, str):
            self.fail(f"{key}.{name}", "must be text")
            return ""
        return value

    def limits(self, value: Any, key: str) -> dict[str, int]:
        table = self.table(value, key, CHANNELS)
        return {ch: self.integer(table, ch, key, 0) for ch in table if ch in CHANNELS}

    def window(self, value: Any, key: str) -> Window:
        names = ("standard_hours", "human_agent_hours", "private_reply_hours")
        table = self.table(value, key, names)
        hours: dict[str, float] = {}
        for name in names:
            if name not in table:
                continue
            number = table[name]
            if isinstance(number, bool) or not isinstance(number, int | float) or number < 0:
                self.fail(f"{key}.{name}", "must be a number of hours, 0 or more")
            else:
                hours[name] = float(number)
        return Window(**hours)
