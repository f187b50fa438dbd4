"""Variant rotation: replies that don't read robotic.

For each part of a template the rotation picks a wording that was not the last one this
contact received, nor the last one sent in this thread, and among those the one the team used
least over the past day, so the wordings spread evenly. Choices are remembered in the store
(`reply_variant_use`, written in the reply's transaction); ties are broken by a random
generator that tests seed, so a choice is reproducible.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import Connection, delete, func, select

from workstation.models import ReplyVariantUse

from .render import Slot, Variant
from .templates import Template

_T = ReplyVariantUse.__table__  # type: ignore[attr-defined]
DAY = timedelta(hours=24)
_RECENT = 200
"""How many of a contact's or thread's latest choices are read back; plenty for any template."""


@dataclass(frozen=True)
class History:
    """What rotation knows about earlier replies."""

    last_for_contact: Mapping[str, str] = field(default_factory=dict)
    """Part name to the key of the wording this contact received last."""
    last_in_thread: Mapping[str, str] = field(default_factory=dict)
    """Part name to the key of the wording sent last in this conversation."""
    today: Mapping[str, Mapping[str, int]] = field(default_factory=dict)
    """Part name to {wording key: times the team used it over the past day} for the template."""


def choose(
    template: Template,
    history: History,
    rng: random.Random,
    filled: Collection[str] = (),
) -> dict[str, int]:
    """Pick one wording per part.

    Args:
        template: the template being rendered.
        history: earlier choices for this contact, thread and template.
        rng: breaks ties; seed it for reproducible choices.
        filled: slots that have a value; wordings needing a slot without value or fallback
            are avoided while another wording can do without it.

    Returns:
        Part name to variant index.
    """
    choices: dict[str, int] = {}
    for part in template.parts:
        indexes = list(range(len(part.variants)))
        if len(indexes) > 1:
            usable = [i for i in indexes if _usable(part.variants[i], filled)] or indexes
            indexes = _fresh(part.name, part.variants, usable, history)
            counts = history.today.get(part.name, {})
            fewest = min(counts.get(part.variants[i].key, 0) for i in indexes)
            indexes = [i for i in indexes if counts.get(part.variants[i].key, 0) == fewest]
        choices[part.name] = indexes[0] if len(indexes) == 1 else rng.choice(indexes)
    return choices


def _usable(variant: Variant, filled: Collection[str]) -> bool:
    return all(
        s.fallback is not None or s.name in filled
        for s in variant.segments
        if isinstance(s, Slot)
    )


def _fresh(
    part: str, variants: tuple[Variant, ...], usable: list[int], history: History
) -> list[int]:
    """Usable wordings that repeat neither the thread's last nor the contact's last one.

    When both cannot be avoided (two wordings, each the last of one of them), the thread wins:
    a repetition inside one conversation is the one a reader notices.
    """
    thread = history.last_in_thread.get(part)
    contact = history.last_for_contact.get(part)
    both = [i for i in usable if variants[i].key not in (thread, contact)]
    if both:
        return both
    return [i for i in usable if variants[i].key != thread] or usable


def load_history(
    conn: Connection,
    template: Template,
    *,
    conversation_id: int,
    contact_id: int | None,
    now: datetime,
) -> History:
    """Read the choices rotation needs, with three indexed queries.

    Args:
        conn: a connection of the reply's transaction (or a read one for a preview).
        template: the template about to be rendered.
        conversation_id: the thread.
        contact_id: the customer, when known.
        now: the current time; "today" is the 24 hours before it.
    """
    parts = [p.name for p in template.parts]
    thread = _latest(conn, _T.c.conversation_id == conversation_id, parts)
    contact = _latest(conn, _T.c.contact_id == contact_id, parts) if contact_id else {}
    query = (
        select(_T.c.part, _T.c.variant, func.count())
        .where(_T.c.template_id == template.id, _T.c.lang == template.lang,
               _T.c.used_at >= now - DAY)
        .group_by(_T.c.part, _T.c.variant)
    )
    today: dict[str, dict[str, int]] = {}
    for part, key, count in conn.execute(query):
        today.setdefault(part, {})[key] = count
    return History(last_for_contact=contact, last_in_thread=thread, today=today)


def _latest(conn: Connection, where: object, parts: list[str]) -> dict[str, str]:
    query = (
        select(_T.c.part, _T.c.variant)
        .where(where, _T.c.part.in_(parts))  # type: ignore[arg-type]
        .order_by(_T.c.id.desc())
        .limit(_RECENT)
    )
    latest: dict[str, str] = {}
    for part, key in conn.execute(query):
        latest.setdefault(part, key)
    return latest


def remember(
    conn: Connection,
    template_id: str,
    lang: str,
    keys: Mapping[str, str],
    *,
    outbox_id: int,
    conversation_id: int,
    contact_id: int | None,
    now: datetime,
) -> None:
    """Record the wordings of a queued reply, in the reply's transaction.

    Args:
        conn: the reply's write transaction.
        template_id: the template rendered.
        lang: its language.
        keys: part name to wording key, for the parts that have several wordings.
        outbox_id: the reply, so that cancelling it forgets its wordings.
        conversation_id: the thread.
        contact_id: the customer, when known.
        now: when the reply was queued.
    """
    rows = [
        {"outbox_id": outbox_id, "conversation_id": conversation_id, "contact_id": contact_id,
         "template_id": template_id, "lang": lang, "part": part, "variant": key,
         "used_at": now}
        for part, key in keys.items()
    ]
    if rows:
        conn.execute(_T.insert(), rows)


def forget(conn: Connection, outbox_id: int) -> None:
    """Drop the recorded wordings of a reply that will never be sent."""
    conn.execute(delete(_T).where(_T.c.outbox_id == outbox_id))
