"""A minimal valid rules file that tests extend with the part they exercise."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.rules import RuleSet, load

INTENT_WORDS = {
    "purchase": ["how much", "combien", "prix"], "shipping": ["delivery", "livraison"],
    "refund": ["refund*", "rembours*"], "complaint": ["disappointed", "decu*"],
    "warranty": ["broken", "en panne"], "safety": ["glass in", "brul*"],
    "legal": ["lawyer", "avocat"], "praise": ["love", "merci"], "question": ["what"],
    "ugc": ["my setup"], "partnership": ["collab*"],
}

BASE = """
version = 1
[vip]
followers = 50000
verified = true
[negation]
window = 4
en = ["no need to"]
fr = ["pas besoin de"]
breaks = ["but", "mais", "just"]
[moderation]
spam = "hide"
profanity = "hide"
pii_self = "hide"
hate = "delete"
doxxing = "delete"
threat = "ban"
harassment = "review"
private_ok = ["pii_self"]
[signals.anger]
sentiment_below = -0.8
caps_words = 3
en = ["never again"]
[signals.confusion]
en = ["i don't understand"]
[calendars.office]
timezone = "Europe/Paris"
mon = "09:00-18:00"
tue = "09:00-18:00"
wed = "09:00-18:00"
thu = "09:00-18:00"
fri = "09:00-18:00"
holidays = ["2026-12-25"]
[sla]
default = "support"
[sla.support]
first = "4h"
next = "8h"
calendar = "office"
pause = true
[sla.lead]
first = "30m"
next = "1h"
platforms.x = { first = "15m" }
[sla.urgent]
first = "30m"
[routing]
default = { role = "agent", priority = "normal", sla = "support" }
purchase = { role = "agent", priority = "high", sla = "lead" }
safety = { role = "supervisor", priority = "urgent", sla = "urgent", escalate = "safety" }
praise = { role = "agent", priority = "low" }
"""


def intents_toml() -> str:
    lines = []
    for name, words in INTENT_WORDS.items():
        en = [w for w in words if w.isascii()]
        lines.append(f"[intents.{name}]")
        if name == "question":
            lines.append("fallback = true")
        lines.append(f"en.keywords = {en!r}".replace("'", '"'))
        lines.append(f"fr.keywords = {words!r}".replace("'", '"'))
    return "\n".join(lines) + "\n"


@pytest.fixture
def write_rules(tmp_path: Path):
    """Write BASE + the intents + `extra` to a file; return its path."""

    def write(extra: str = "", base: str = BASE) -> Path:
        path = tmp_path / "rules.toml"
        path.write_text(base + intents_toml() + extra, encoding="utf-8")
        return path

    return write


@pytest.fixture
def rules_with(write_rules):
    """Load BASE + intents + `extra`."""

    def build(extra: str = "") -> RuleSet:
        return load(write_rules(extra))

    return build
