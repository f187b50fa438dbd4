"""The audit trail as a supervisor browses it: filters typed by people, pages of events.

`workstation.audit.list_events` is the query; this adds what a front end needs around it:
reading a date filter as people write it ("2026-11-20", "2026-11-20..2026-11-22", "7d",
"today"), a page of the newest matching events that knows whether there are more, and the
actors and actions known to the store, for completion.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, datetime, time, timedelta, tzinfo

from sqlalchemy import select
from sqlalchemy.engine import Engine

from workstation import audit, db, permissions
from workstation.audit import AuditView
from workstation.models import Agent, AuditEvent

PAGE = 500
"""Events shown at once: the newest matching ones; narrower filters reach older ones."""
_AGE = re.compile(r"(\d+)\s*([mhdw])")
_UNITS = {"m": "minutes", "h": "hours", "d": "days", "w": "weeks"}


class FilterError(ValueError):
    """A filter people typed cannot be read; the message says how to write it."""


@dataclass(frozen=True, slots=True)
class TrailFilter:
    """Which events to show; None means any."""

    actor: str | None = None
    conversation_id: int | None = None
    action: str | None = None
    """An exact action, or a prefix ending in `*` (`conversation.*`)."""
    since: datetime | None = None
    until: datetime | None = None
    """Exclusive."""

    @property
    def empty(self) -> bool:
        """Whether nothing is filtered."""
        return all(v is None for v in (self.actor, self.conversation_id, self.action,
                                        self.since, self.until))


@dataclass(frozen=True, slots=True)
class TrailPage:
    """The newest events matching a filter, newest first."""

    events: tuple[AuditView, ...]
    more: bool
    """Older matching events exist beyond the page."""


def parse_when(
    text: str, *, now: datetime, zone: tzinfo
) -> tuple[datetime | None, datetime | None]:
    """A period as people write it, as (since, until); days are local days in `zone`.

    `2026-11-20` is that day; `2026-11-20..2026-11-22` those days, inclusive (either end may
    be left out); `7d`, `12h`, `30m`, `2w` the time since that long ago; `today`, `yesterday`.

    Raises:
        FilterError: the text is none of these.
    """
    text = text.strip().lower()
    if not text:
        return None, None
    today = now.astimezone(zone).date()
    if text in ("today", "yesterday"):
        day = today - timedelta(days=1 if text == "yesterday" else 0)
        return _start(day, zone), _start(day + timedelta(days=1), zone)
    age = _AGE.fullmatch(text)
    if age:
        return now - timedelta(**{_UNITS[age.group(2)]: int(age.group(1))}), None
    first, sep, last = text.partition("..")
    since = _start(_day(first), zone) if first else None
    if not sep:
        return since, _start(_day(first) + timedelta(days=1), zone)
    until = _start(_day(last) + timedelta(days=1), zone) if last else None
    if since is not None and until is not None and until <= since:
        raise FilterError(f"the period {text!r} ends before it starts")
    return since, until


def parse_conversation(text: str) -> int | None:
    """A conversation filter: "42" or "#42"; None when empty.

    Raises:
        FilterError: not a conversation number.
    """
    text = text.strip().removeprefix("#")
    if not text:
        return None
    if not text.isdigit() or int(text) <= 0:
        raise FilterError("a conversation is a number, such as 42")
    return int(text)


def read_trail(engine: Engine, flt: TrailFilter, *, limit: int = PAGE,
               viewer: str | None = None) -> TrailPage:
    """The newest `limit` events matching `flt`, newest first.

    With `viewer`, someone below supervisor (`read_all_audit`) sees only their own events.
    """
    if viewer is not None:
        flt = own_events(engine, flt, viewer)
        if flt is None:
            return TrailPage((), False)
    events = audit.list_events(
        engine, conversation_id=flt.conversation_id, actor=flt.actor, since=flt.since,
        until=flt.until, action=flt.action, limit=limit + 1,
    )
    more = len(events) > limit
    return TrailPage(tuple(reversed(events[-limit:] if more else events)), more)


def own_events(engine: Engine, flt: TrailFilter, viewer: str) -> TrailFilter | None:
    """`flt` as `viewer` may read it: unchanged for supervisors and above (or on a store with
    no team), else narrowed to their own events; None when it asks for someone else's."""
    with db.read(engine) as conn:
        if permissions.allowed(conn, viewer, "read_all_audit"):
            return flt
    if flt.actor not in (None, viewer):
        return None
    return replace(flt, actor=viewer)


def known_names(engine: Engine) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """(actors, actions) found in the store: the team's logins and every actor and action
    of the trail, sorted, for completing filters."""
    a = AuditEvent.__table__.c  # type: ignore[attr-defined]
    people = Agent.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        actors = set(conn.execute(select(a.actor).distinct()).scalars())
        actors.update(conn.execute(select(people.name)).scalars())
        actions = set(conn.execute(select(a.action).distinct()).scalars())
    return tuple(sorted(actors)), tuple(sorted(actions))


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text.strip())
    except ValueError:
        raise FilterError(
            f"{text.strip()!r} is not a date: write 2026-11-20, 2026-11-20..2026-11-22, "
            "7d, 12h, today or yesterday") from None


def _start(day: date, zone: tzinfo) -> datetime:
    return datetime.combine(day, time(0), zone)
