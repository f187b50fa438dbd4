"""KPIs cut other ways than `kpi.compute` does: next responses, campaigns, agents, posts.

The panel needs the first-response family per platform and day, fast, every few seconds;
reports need more cuts, once: how fast the *next* replies of a thread come, volume and
sentiment per campaign and per agent, and which posts drew the most engagement. Next
responses are one statement over the replies that answered (the `ix_message_response`
index, with the wait stored on each); every other cut comes from one pass over the period's
conversations (`period_groups`), which a report makes once. A monthly report stays within a
second or two on a million messages.

Definitions:
- *next response time*: for each answer of ours after the first, the time since the first
  customer message it answers (the earliest one after our previous answer; the bot's
  messages do not answer, see `response_times`); counted in open hours when the
  conversation's SLA policy pauses outside its calendar, like first responses;
- *engagement* of a post: its likes + shares (the platform's counters, as last synced) + its
  comments: the messages of the comment threads opened under it in the period, ours included
  as the platforms count them (the threads' stored `message_count`: no message is read);
  *engagement rate*: engagement ÷ impressions × 100.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import Engine

from . import db
from .kpi import (
    LOOKBACK, NEEDS_REPLY, Spread, open_clocks, parse_values, spread_of, values_text,
)
from .models import Agent, Conversation, Lead, Message, Post
from .sla import SlaPolicy
from .sqltime import at_least_zero, epoch

_C = Conversation.__table__.c  # type: ignore[attr-defined]
_M = Message.__table__.c  # type: ignore[attr-defined]
_L = Lead.__table__.c  # type: ignore[attr-defined]
_P = Post.__table__.c  # type: ignore[attr-defined]
_A = Agent.__table__.c  # type: ignore[attr-defined]
CUTS = ("platform", "campaign", "agent", "kind")
"""What `breakdown` can group conversations by."""
_COLUMN = {"platform": 0, "kind": 1, "campaign": 2, "agent": 3}
"""Where each cut's key sits in a row of `PeriodGroups`."""


@dataclass(frozen=True, slots=True)
class Durations:
    """A family of durations in seconds: how many, mean, median, 90th percentile."""

    count: int = 0
    mean: float | None = None
    spread: Spread = Spread()


@dataclass(frozen=True, slots=True)
class Group:
    """The figures of one group of the period's conversations."""

    key: str
    """The platform, campaign, agent's login or kind ('' for none: no campaign, unassigned)."""
    conversations: int
    needs_reply: int
    responded: int
    response_seconds: float
    escalated: int
    sentiment: float
    """Mean sentiment, -1 to +1."""
    leads: int

    @property
    def response_rate(self) -> float | None:
        """Replies ÷ conversations needing one × 100."""
        return self.responded * 100 / self.needs_reply if self.needs_reply else None

    @property
    def first_response_mean(self) -> float | None:
        """Mean first response time, around the clock, in seconds."""
        return self.response_seconds / self.responded if self.responded else None


@dataclass(frozen=True, slots=True)
class PostFigures:
    """A post of ours and the engagement it drew."""

    post_id: int
    platform: str
    external_id: str
    url: str
    caption: str
    campaign: str
    likes: int
    shares: int
    comments: int
    """Messages of the threads opened under it in the period."""
    impressions: int

    @property
    def engagement(self) -> int:
        """Likes + comments + shares."""
        return self.likes + self.comments + self.shares

    @property
    def engagement_rate(self) -> float | None:
        """Engagement ÷ impressions × 100; None without impressions."""
        return self.engagement * 100 / self.impressions if self.impressions else None


def next_response(
    engine: Engine, start: datetime, end: datetime,
    policies: Mapping[str, SlaPolicy] | None = None,
) -> Durations:
    """Next response times of the conversations that started in [start, end).

    Each reply that answered a waiting customer carries how long they had waited
    (`message.response_seconds`, see `response_times`); the first of a thread is its first
    response (see `kpi.compute`), the others are next responses. Only threads with two round
    trips or more have one (the stored exchange count): the others' replies are not read.
    """
    dialect = engine.dialect.name
    conv = (select(_C.id, _C.sla_policy, _C.first_response_at)
            .where(_C.created_at >= start, _C.created_at < end, _C.exchange_count >= 2,
                   _C.first_response_at.is_not(None))
            .cte("nr_conv"))
    replies = (  # through the partial index `ix_message_response`: answers only
        select(conv.c.sla_policy.label("policy"), epoch(dialect, _M.created_at).label("at"),
               _M.response_seconds.label("waited"))
        .join(conv, conv.c.id == _M.conversation_id)
        .where(_M.response_seconds.is_not(None), _M.created_at > conv.c.first_response_at)
        .cte("nr_replies")
        .prefix_with("MATERIALIZED")  # times computed once, not at each node of the clock
    )
    r = replies.c
    wall = r.waited
    whens = [(r.policy.in_(names), clock.sql(r.at) - clock.sql(r.at - r.waited))
             for names, clock in open_clocks(policies or {}, start - LOOKBACK, end)]
    durations = (
        select(at_least_zero(dialect, case(*whens, else_=wall) if whens else wall).label("v"))
        .cte("nr_durations").prefix_with("MATERIALIZED")
    )
    return _durations(engine, durations.c.v, durations)


def _durations(engine: Engine, column: Any, source: Any) -> Durations:
    query = select(func.count(column), func.sum(column),
                   values_text(engine.dialect.name, column)).select_from(source)
    with db.read(engine, jit=False) as conn:
        count, total, values = conn.execute(query).one()
    return Durations(count, total / count if count else None, spread_of(parse_values(values)))


@dataclass(frozen=True)
class PeriodGroups:
    """[start, end)'s conversations added up per platform, kind, campaign, agent and post:
    one pass over the period, from which every breakdown, the conversations of each campaign
    and the comments drawn by each post are read (a few hundred combinations at most)."""

    rows: list[tuple[Any, ...]]
    """(platform, kind, campaign, agent's login, post id, conversations, needing a reply,
    answered, seconds to the first answer, escalated, sum of sentiments, with a lead,
    messages)."""

    def cut(self, by: str) -> list[Group]:
        """The groups of one of `CUTS`, the largest first.

        Raises:
            ValueError: `by` is not one of `CUTS`.
        """
        if by not in CUTS:
            raise ValueError(f"cannot break KPIs down by {by!r}")
        column = _COLUMN[by]
        sums: dict[str, list[float]] = {}
        for row in self.rows:
            total = sums.setdefault(row[column] or "", [0.0] * 7)
            for i, value in enumerate(row[5:12]):
                total[i] += value
        return sorted(
            (Group(k, int(v[0]), int(v[1]), int(v[2]), v[3], int(v[4]),
                   v[5] / v[0] if v[0] else 0.0, int(v[6])) for k, v in sums.items()),
            key=lambda g: (-g.conversations, g.key))

    def conversations_by_campaign(self) -> dict[str, int]:
        """Conversations per campaign (those under no campaign left out)."""
        counts: dict[str, int] = {}
        for row in self.rows:
            if row[2]:
                counts[row[2]] = counts.get(row[2], 0) + int(row[5])
        return counts

    def comments_by_post(self) -> dict[int, int]:
        """Messages of the threads opened under each post, from the stored counts."""
        counts: dict[int, int] = {}
        for row in self.rows:
            if row[4] is not None:
                counts[row[4]] = counts.get(row[4], 0) + int(row[12])
        return counts


def period_groups(engine: Engine, start: datetime, end: datetime) -> PeriodGroups:
    """[start, end)'s conversations in one pass (see `PeriodGroups`).

    First response times here run from the conversation's arrival, around the clock:
    per-group figures show where time goes, `kpi.compute` gives the exact business-hours ones.
    """
    dialect = engine.dialect.name
    needs = case((_C.moderation.in_(NEEDS_REPLY), 1), else_=0)
    answered = and_(_C.moderation.in_(NEEDS_REPLY), _C.first_response_at.is_not(None))
    has_lead = select(_L.id).where(_L.conversation_id == _C.id).exists()
    wait = epoch(dialect, _C.first_response_at) - epoch(dialect, _C.created_at)
    keys = (_C.platform, _C.kind, _C.campaign, _C.assignee_id, _C.post_id)
    query = (
        select(
            *keys, func.count(), func.sum(needs), func.sum(case((answered, 1), else_=0)),
            func.coalesce(func.sum(case((answered, at_least_zero(dialect, wait)))), 0.0),
            func.sum(case((_C.escalated, 1), else_=0)), func.sum(_C.sentiment),
            func.sum(case((has_lead, 1), else_=0)), func.sum(_C.message_count),
        )
        .where(_C.created_at >= start, _C.created_at < end)
        .group_by(*keys)
    )
    with db.read(engine, jit=False) as conn:
        rows = conn.execute(query).all()
        names = dict(conn.execute(select(_A.id, _A.name)).all())
    return PeriodGroups([
        (platform, kind, campaign, names.get(agent, ""), post,
         *(float(v or 0) for v in figures))
        for platform, kind, campaign, agent, post, *figures in rows])


def breakdown(engine: Engine, start: datetime, end: datetime, by: str) -> list[Group]:
    """Volume, replies, escalations, sentiment and leads of [start, end)'s conversations
    grouped by `by` (one of `CUTS`), the largest group first.

    Raises:
        ValueError: `by` is not one of `CUTS`.
    """
    return breakdowns(engine, start, end, (by,))[by]


def breakdowns(engine: Engine, start: datetime, end: datetime, cuts: tuple[str, ...] = CUTS,
               *, groups: PeriodGroups | None = None) -> dict[str, list[Group]]:
    """Several breakdowns of [start, end)'s conversations from one pass over the period
    (`groups`, when the caller already has it).

    Raises:
        ValueError: a cut is not one of `CUTS`.
    """
    for by in cuts:
        if by not in CUTS:
            raise ValueError(f"cannot break KPIs down by {by!r}")
    groups = groups or period_groups(engine, start, end)
    return {by: groups.cut(by) for by in cuts}


def post_figures(engine: Engine, start: datetime, end: datetime, *,
                 groups: PeriodGroups | None = None) -> list[PostFigures]:
    """The posts that drew comments in [start, end), with their counters."""
    comments = (groups or period_groups(engine, start, end)).comments_by_post()
    if not comments:
        return []
    with db.read(engine, jit=False) as conn:
        rows = conn.execute(
            select(_P.id, _P.platform, _P.external_id, _P.url, _P.caption, _P.campaign,
                   _P.likes, _P.shares, _P.impressions).where(_P.id.in_(sorted(comments)))
        ).all()
    return [PostFigures(*r[:8], comments[r.id], r.impressions) for r in rows]


def top_posts(engine: Engine, start: datetime, end: datetime, limit: int = 5, *,
              groups: PeriodGroups | None = None) -> list[PostFigures]:
    """The posts that drew the most engagement in [start, end), most first."""
    posts = post_figures(engine, start, end, groups=groups)
    return sorted(posts, key=lambda p: (-p.engagement, p.post_id))[:limit]


def engagement_by_campaign(engine: Engine, start: datetime, end: datetime, *,
                           groups: PeriodGroups | None = None) -> dict[str, tuple[int, int]]:
    """Per campaign, (likes + comments + shares, impressions) of its posts that drew
    comments in [start, end)."""
    totals: dict[str, tuple[int, int]] = {}
    for p in post_figures(engine, start, end, groups=groups):
        engaged, seen = totals.get(p.campaign, (0, 0))
        totals[p.campaign] = (engaged + p.engagement, seen + p.impressions)
    return totals
