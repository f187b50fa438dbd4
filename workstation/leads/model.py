"""The shape of flows.toml once validated: flows, questions, options and the leads policy.

Kept apart from the loader (`config`) so the flow logic and the messages depend on plain
frozen data, not on TOML reading.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import timedelta
from pathlib import Path

from workstation.replies.render import Part

from .words import Phrases

LANGS = ("en", "fr")
"""Every text of a flow is given in each of these languages."""
TONES = ("warm", "playful", "formal")
EXPECTS = ("choice", "quantity", "amount", "date", "contact", "text")
"""What an answer must contain: an option, a number, a sum, a day, an e-mail or phone, words."""
OFFERS = ("form", "call", "guide", "promo")
FLOW_SLOTS = ("first_name", "name", "handle", "link", "promo_code")
"""Slots a flow's texts may use; customer values are inserted literally by the renderer."""


@dataclass(frozen=True)
class Option:
    """One choice of a `choice` question."""

    key: str
    label: dict[str, Part]
    words: Phrases
    sales: bool = False
    """Choosing it sends the lead to sales at once (an enterprise customer)."""


@dataclass(frozen=True)
class Question:
    """A screening question, asked in the customer's language."""

    key: str
    expect: str
    ask: dict[str, Part]
    retry: dict[str, Part]
    options: tuple[Option, ...] = ()


@dataclass(frozen=True)
class Offer:
    """What the closing message gives: a form, a call to book, a guide, a promo code."""

    kind: str
    url: str = ""
    promo_code: str = ""


@dataclass(frozen=True)
class Flow:
    """One qualifier flow."""

    id: str
    greeting: dict[tuple[str, str], Part]
    """(tone, lang) to the greeting's wordings."""
    questions: tuple[Question, ...]
    closing: dict[str, Part]
    sales: dict[str, Part]
    offer: Offer
    hot_within: timedelta


@dataclass(frozen=True)
class FlowBook:
    """flows.toml, validated."""

    path: Path | None = None
    flows: dict[str, Flow] = field(default_factory=dict)
    max_questions: int = 5
    start_within: timedelta = timedelta(days=2)
    """A rule's qualifier on a message older than this (history being imported) is ignored."""
    off_script_limit: int = 2
    quick_replies: frozenset[str] = frozenset()
    handoff_template: str = "human-handoff"
    angry_below: float = -0.8
    handoff_intents: frozenset[str] = frozenset()
    handoff_tags: frozenset[str] = frozenset()
    handoff_words: Phrases = field(default_factory=lambda: Phrases(()))
    opt_out_words: Phrases = field(default_factory=lambda: Phrases(()))
    sales_role: str = "senior"
    urgent_within: timedelta = timedelta(days=3)
    quantity_at_least: int = 50
    budget_at_least: float = 1000.0
    sales_words: Phrases = field(default_factory=lambda: Phrases(()))
    reminder_stages: frozenset[str] = frozenset({"qualifying", "hot"})
    reminder_delay: timedelta = timedelta(hours=20)
    reminder_max: int = 2
    reminder_template: str = "lead-reminder"
    form_url: str = ""
    promo_codes: tuple[str, ...] = ()
    ugc_template: str = "ugc-rights-dm"
    ugc_words: Phrases = field(default_factory=lambda: Phrases(()))
    ugc_yes: Phrases = field(default_factory=lambda: Phrases(()))
    ugc_no: Phrases = field(default_factory=lambda: Phrases(()))
    ugc_usage_months: int = 12
    """How long a yes lets the brand use the content, from the day it was given."""
    ugc_credit: Phrases = field(default_factory=lambda: Phrases(()))
    """Words after which a yes names the credit wanted ("credit me as", "sous le nom")."""
    ugc_withdraw: Phrases = field(default_factory=lambda: Phrases(()))
    """Words that withdraw a consent given ("remove my photo", "je retire mon accord")."""
    formal_platforms: frozenset[str] = frozenset()
