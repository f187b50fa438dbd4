"""The `[alerts]` section of rules.toml: what counts as a spike, a surge, an influencer, a
keyword worth waking someone for, and where to send alerts.

It lives in rules.toml because it is policy the supervisor tunes beside the rest of the
team's rules, and `workstation rules check` validates it with the rest (`rules.load` calls
`parse` with its own problem list, so every mistake is a `FILE:LINE: reason` line). The alert
scanner reads it on its own with `load`, which reports the same lines. Keywords are terms as
in the intent lexicons (folded accents, `*` for any ending), never regexes. The webhook's
secret is named by an environment variable, never written in the file.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path
from typing import Any

from workstation import tomllines
from workstation.signals.lexicon import Lexicon, TermError, parse_term

Fail = Callable[[tuple[str | int, ...], str], None]
_KEYS = {"window", "baseline", "sensitivity", "cooldown", "min_messages", "negative_below",
         "min_negative", "influencer_followers", "keywords", "webhook"}
_WEBHOOK_KEYS = {"url", "secret_env", "retries", "timeout", "give_up_after"}


class AlertConfigError(tomllines.TomlProblems):
    """The `[alerts]` section cannot be used; `problems` lists each as `FILE:LINE: reason`."""


@dataclass(frozen=True, slots=True)
class Webhook:
    """Where alerts are POSTed, signed with HMAC-SHA256."""

    url: str
    secret_env: str = ""
    """The environment variable holding the signing secret ('' sends unsigned)."""
    retries: int = 3
    """Attempts per scan before the alert waits for the next scan."""
    timeout: float = 5.0
    give_up_after: int = 10
    """Attempts in all after which an alert is no longer sent."""

    def secret(self) -> bytes:
        """The signing secret from the environment (empty when unset)."""
        return os.environ.get(self.secret_env, "").encode() if self.secret_env else b""


@dataclass(frozen=True, slots=True)
class AlertConfig:
    """How the scanner decides; the defaults apply when rules.toml has no `[alerts]`."""

    window: timedelta = timedelta(hours=1)
    """The recent stretch compared with the baseline."""
    baseline: timedelta = timedelta(days=7)
    """How far back the rolling baseline reaches: that many windows before the recent one."""
    sensitivity: float = 3.0
    """Standard deviations above the baseline's mean that make a spike or a surge."""
    cooldown: timedelta = timedelta(hours=1)
    """The same spike or surge (kind and platform) is not raised again before this."""
    min_messages: int = 20
    """A surge needs at least this many customer messages in the window."""
    negative_below: float = -0.3
    """A message whose sentiment is at or below this is negative."""
    min_negative: int = 10
    """A sentiment spike needs at least this many negative messages in the window."""
    influencer_followers: int = 50_000
    """A message from an account with at least this many followers is an influencer's."""
    keywords: tuple[str, ...] = ()
    webhook: Webhook | None = None
    lexicon: Lexicon = field(default_factory=Lexicon, compare=False, repr=False)
    """The keywords compiled, labelled with themselves."""


def parse(table: Any, fail: Fail) -> AlertConfig:
    """The `[alerts]` table, checked; problems go to `fail(path, reason)`."""
    from workstation.rules.load import duration

    if not isinstance(table, dict):
        fail(("alerts",), "alerts must be a table")
        return AlertConfig()
    for key in table:
        if key not in _KEYS:
            fail(("alerts", key), f"unknown key 'alerts.{key}'")
    base = AlertConfig()
    values: dict[str, Any] = {}
    for name in ("window", "baseline", "cooldown"):
        raw = table.get(name)
        if raw is None:
            continue
        span = duration(raw) if isinstance(raw, str) else None
        if span is None or span < timedelta(minutes=1):
            fail(("alerts", name), f'alerts.{name} must be a duration of at least "1m"')
        else:
            values[name] = span
    for name, low in (("min_messages", 1), ("min_negative", 1), ("influencer_followers", 1)):
        raw = table.get(name)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, int) or raw < low:
            fail(("alerts", name), f"alerts.{name} must be a whole number of at least {low}")
        else:
            values[name] = raw
    for name, low, high in (("sensitivity", 0.5, 20.0), ("negative_below", -1.0, 1.0)):
        raw = table.get(name)
        if raw is None:
            continue
        if isinstance(raw, bool) or not isinstance(raw, int | float) or not low <= raw <= high:
            fail(("alerts", name), f"alerts.{name} must be a number from {low} to {high}")
        else:
            values[name] = float(raw)
    window = values.get("window", base.window)
    if values.get("baseline", base.baseline) < 2 * window:
        fail(("alerts", "baseline"), "alerts.baseline must span at least two windows")
    lexicon = Lexicon()
    keywords = table.get("keywords", [])
    if not isinstance(keywords, list) or not all(isinstance(k, str) for k in keywords):
        fail(("alerts", "keywords"), "alerts.keywords must be a list of texts")
        keywords = []
    for term in keywords:
        try:
            parse_term(term)
            lexicon.add(term, term)
        except TermError as exc:
            fail(("alerts", "keywords"), f"alerts.keywords: {exc}")
    webhook = _webhook(table.get("webhook"), fail) if "webhook" in table else None
    return AlertConfig(**values, keywords=tuple(keywords), webhook=webhook, lexicon=lexicon)


def _webhook(table: Any, fail: Fail) -> Webhook | None:
    from workstation.rules.load import duration

    where = ("alerts", "webhook")
    if not isinstance(table, dict):
        fail(where, "alerts.webhook must be a table")
        return None
    for key in table:
        if key not in _WEBHOOK_KEYS:
            fail((*where, key), f"unknown key 'alerts.webhook.{key}'")
    url = table.get("url")
    if not isinstance(url, str) or not url.startswith(("https://", "http://")):
        fail((*where, "url"), "alerts.webhook.url must be an http:// or https:// address")
        return None
    secret_env = table.get("secret_env", "")
    if not isinstance(secret_env, str):
        fail((*where, "secret_env"), "alerts.webhook.secret_env must name an environment "
                                     "variable")
        secret_env = ""
    ints = {}
    for name, default in (("retries", 3), ("give_up_after", 10)):
        raw = table.get(name, default)
        if isinstance(raw, bool) or not isinstance(raw, int) or not 1 <= raw <= 100:
            fail((*where, name), f"alerts.webhook.{name} must be a whole number from 1 to 100")
            raw = default
        ints[name] = raw
    raw_timeout = table.get("timeout", "5s")
    timeout = duration(raw_timeout) if isinstance(raw_timeout, str) else None
    if timeout is None or not timedelta(0) < timeout <= timedelta(minutes=1):
        fail((*where, "timeout"), 'alerts.webhook.timeout must be a duration up to "1m"')
        timeout = timedelta(seconds=5)
    return Webhook(url, secret_env, timeout=timeout.total_seconds(), **ints)


def load(path: Path | None = None) -> AlertConfig:
    """The `[alerts]` section of a rules file (the one in force by default).

    Raises:
        AlertConfigError: the file is unreadable, not TOML, or the section is wrong.
    """
    from workstation.rules.load import default_path

    path = path or default_path()
    source, data = tomllines.read(path, AlertConfigError)
    problems: list[tuple[tuple[str | int, ...], str]] = []
    config = parse(data.get("alerts", {}), lambda p, m: problems.append((p, m)))
    if problems:
        raise AlertConfigError(tomllines.located(path, source, problems))
    return config
