"""Guardrails: the checks a reply must pass before it may enter the outbox.

A reply is blocked, with the reason, when it would expose private data in public, admit
liability on a safety or legal thread, exceed the platform's length limit, let the bot ask one
question too many, or send a DM outside the platform's messaging window. Each check works on
English and French replies alike (word lists of both languages always apply, since a thread's
language can be mislabelled) and each can be switched off or tuned in rules.toml's
`[guardrails]` table (see `guardrail_config`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from .detectors import Finding, digits, find_private_data, x_length
from .guardrail_config import (
    KINDS,
    GuardrailConfig,
    GuardrailConfigError,
    Window,
    default_config,
    load_config,
    load_config_file,
)
from .normalize import fold

__all__ = [
    "KINDS", "GuardrailConfig", "GuardrailConfigError", "ReplyContext", "Violation",
    "WindowState", "check", "count_questions", "default_config", "dm_window_state",
    "load_config", "load_config_file",
]

LABELS = {
    "card": "a card number",
    "iban": "bank details (IBAN)",
    "password": "a password",
    "health": "health information",
    "phone": "a phone number",
    "email": "an e-mail address",
    "address": "a postal address",
}
_QUESTION = re.compile(r"[?？¿]+")
_PLATFORM_NAMES = {"x": "X", "tiktok": "TikTok", "instagram": "Instagram",
                   "facebook": "Facebook", "linkedin": "LinkedIn"}


@dataclass(frozen=True, slots=True)
class Violation:
    """Why a reply is blocked: a stable code for programs and a reason for people."""

    code: str
    reason: str

    def __str__(self) -> str:
        return self.reason


@dataclass(frozen=True)
class ReplyContext:
    """What the guardrails need to know about where a reply goes and who sends it."""

    platform: str
    channel: str
    """public (a reply under the comment or mention) or dm."""
    kind: str = "comment"
    """The conversation's kind: comment, mention or dm."""
    intents: tuple[str, ...] = ()
    author_kind: str = "agent"
    """agent (a person) or bot."""
    now: datetime | None = None
    last_inbound_at: datetime | None = None
    """The customer's latest message in the thread; the DM window runs from it."""
    bot_questions_asked: int = 0
    """Questions the bot has already asked in the thread."""
    contact_email: str = ""
    contact_phone: str = ""


class WindowState(StrEnum):
    """Whether a DM may be sent now, and how."""

    NONE = "none"
    """The platform has no messaging window."""
    STANDARD = "standard"
    HUMAN_AGENT = "human_agent"
    """Only with the human-agent tag, and only by a person."""
    CLOSED = "closed"


def check(text: str, ctx: ReplyContext, config: GuardrailConfig | None = None) -> list[Violation]:
    """Every guardrail `text` breaks when sent as described by `ctx`.

    Args:
        text: the reply, exactly as it would be sent.
        ctx: the platform, channel, thread and sender.
        config: the guardrails' settings; the defaults when None.

    Returns:
        The violations, empty when the reply may be sent.
    """
    config = config or default_config()
    found: list[Violation] = []
    if config.private_data:
        found += _private_data(text, ctx, config)
    sensitive = set(ctx.intents) & config.liability_intents
    if config.liability and config.liability_matcher and sensitive:
        match = config.liability_matcher.search(fold(text))
        if match:
            topic = " and ".join(sorted(sensitive))
            found.append(Violation("liability", f"this is a {topic} conversation: the reply must"
                                   f" not admit fault or liability (\"{match.group()}\")"))
    if config.length:
        found += _length(text, ctx, config)
    if config.bot and ctx.author_kind == "bot":
        asked = count_questions(text)
        if asked and ctx.bot_questions_asked + asked > config.max_questions:
            found.append(Violation(
                "bot.questions",
                f"the bot has already asked {ctx.bot_questions_asked} question(s) here and may"
                f" ask {config.max_questions} at most; hand over to a person"
                f" (template {config.handoff_template!r})",
            ))
    if config.dm_window and ctx.channel == "dm":
        found += _window(ctx, config)
    return found


def _private_data(text: str, ctx: ReplyContext, config: GuardrailConfig) -> list[Violation]:
    found: list[Violation] = []
    folded = fold(text)
    if ctx.channel == "public":
        findings = find_private_data(
            text, allowed_domains=config.brand_domains, allowed_phones=config.brand_phones,
            allowed_addresses=config.brand_addresses,
        )
        # The customer's own details on file, however the reply writes them.
        if ctx.contact_email and ctx.contact_email.casefold() in text.casefold():
            findings.append(Finding("email", _masked(ctx.contact_email)))
        phone = digits(ctx.contact_phone)
        if len(phone) >= 6 and phone[-9:] in digits(text):
            findings.append(Finding("phone", _masked(phone)))
        for finding in findings:
            if finding.kind in config.public_kinds:
                found.append(Violation(
                    f"private_data.{finding.kind}",
                    f"a public reply must not contain {LABELS[finding.kind]} ({finding.masked})",
                ))
        redirected = bool(config.dm_matcher and config.dm_matcher.search(folded))
        for kind in KINDS:
            matcher = config.term_matchers.get(kind)
            if kind not in config.public_kinds or matcher is None:
                continue
            match = matcher.search(folded)
            if match is None:
                continue
            if kind in config.allow_asking_in_dm:
                if redirected:
                    continue
                hint = "; ask for it in a private message instead"
            else:
                hint = ""
            found.append(Violation(f"private_data.{kind}",
                                   f"a public reply must not ask for or mention"
                                   f" {LABELS[kind]} (\"{match.group()}\"){hint}"))
    for kind in sorted(config.never_ask):
        matcher = config.term_matchers.get(kind)
        match = matcher.search(folded) if matcher else None
        if match and ctx.channel != "public":
            found.append(Violation(f"private_data.{kind}",
                                   f"never ask for {LABELS[kind]}, not even in a private"
                                   f" message (\"{match.group()}\")"))
    return _unique(found)


def _masked(value: str) -> str:
    return value[:2] + "…" + value[-2:] if len(value) > 4 else "…"


def _unique(violations: list[Violation]) -> list[Violation]:
    seen: set[str] = set()
    out = []
    for violation in violations:
        if violation.code not in seen:
            seen.add(violation.code)
            out.append(violation)
    return out


def _length(text: str, ctx: ReplyContext, config: GuardrailConfig) -> list[Violation]:
    limit = config.limit(ctx.platform, ctx.channel)
    weighted = ctx.platform in config.weighted
    size = x_length(text) if weighted else len(text)
    if size <= limit:
        return []
    name = _PLATFORM_NAMES.get(ctx.platform, ctx.platform)
    where = "a public reply" if ctx.channel == "public" else "a private message"
    unit = "weighted characters" if weighted else "characters"
    return [Violation("length", f"the reply is {size} {unit}; {name} allows {limit} in {where}")]


def dm_window_state(ctx: ReplyContext, config: GuardrailConfig | None = None) -> WindowState:
    """Whether a DM may be sent in this thread now, and with which tag.

    The sender worker asks the same question before a send, since a queued DM can outlive its
    window.
    """
    config = config or default_config()
    rule = config.windows.get(ctx.platform)
    if rule is None:
        return WindowState.NONE
    if ctx.last_inbound_at is None or ctx.now is None:
        return WindowState.CLOSED
    age = ctx.now - ctx.last_inbound_at
    if ctx.kind != "dm":
        return _open(age, rule.private_reply_hours)
    if age <= timedelta(hours=rule.standard_hours):
        return WindowState.STANDARD
    if age <= timedelta(hours=rule.human_agent_hours):
        return WindowState.HUMAN_AGENT
    return WindowState.CLOSED


def _open(age: timedelta, hours: float) -> WindowState:
    return WindowState.STANDARD if age <= timedelta(hours=hours) else WindowState.CLOSED


def _window(ctx: ReplyContext, config: GuardrailConfig) -> list[Violation]:
    state = dm_window_state(ctx, config)
    if state in (WindowState.NONE, WindowState.STANDARD):
        return []
    if state is WindowState.HUMAN_AGENT and ctx.author_kind != "bot":
        return []
    rule: Window = config.windows[ctx.platform]
    name = _PLATFORM_NAMES.get(ctx.platform, ctx.platform)
    if ctx.last_inbound_at is None or ctx.now is None:
        return [Violation("dm_window", f"{name} lets a brand send a private message only after"
                                       " the customer wrote; they have not written here")]
    hours = (ctx.now - ctx.last_inbound_at).total_seconds() / 3600
    if ctx.kind != "dm":
        return [Violation("dm_window", f"{name} allows a private reply to a comment for"
                                       f" {rule.private_reply_hours:g} hours; this one is"
                                       f" {hours:.0f} hours old")]
    if state is WindowState.HUMAN_AGENT:
        return [Violation("dm_window", f"the customer's last message is {hours:.0f} hours old:"
                                       f" past {rule.standard_hours:g} hours only a person may"
                                       " answer (human-agent tag), not the bot")]
    return [Violation("dm_window", f"{name} DMs must be sent within {rule.standard_hours:g}"
                                   f" hours of the customer's last message"
                                   f" ({rule.human_agent_hours:g} with the human-agent tag);"
                                   f" it is {hours:.0f} hours old")]


def count_questions(text: str) -> int:
    """How many questions a message asks (runs of question marks)."""
    return len(_QUESTION.findall(text))
