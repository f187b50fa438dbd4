"""The return of campaigns: engagement, ROI, CAC against LTV, leads and promo codes.

The brief asks the tool to prove the return of every campaign. Money comes from the imported
campaign rows (`workstation.campaigns`), people from the store: conversations and leads carry
the campaign tag of the post they started under. Formulas (the brief's):

- engagement rate = (likes + comments + shares) ÷ impressions × 100, from the campaign rows
  when they give impressions, else from the store's posts of the campaign;
- ROI = (attributed revenue − campaign spend − creator fees) ÷ campaign spend (a ratio;
  reports show it as a percentage), None without spend;
- CAC = (spend + creator fees) ÷ attributed customers: the rows' `customers` when given, else
  the campaign's leads in the store that became customers;
- LTV = the mean value of the campaign's customers in the store (`lead.value`), else the
  attributed revenue per customer; a campaign pays when LTV > CAC.

Campaign rows count whole when their period overlaps the report's (no pro-rating: a
campaign's spend is not spread evenly over its days).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import and_, case, func, literal_column, select
from sqlalchemy.engine import Engine

from . import db
from .kpi_breakdowns import PeriodGroups, engagement_by_campaign, period_groups
from .models import CampaignResult, Conversation, Lead, LeadStage

_R = CampaignResult.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_L = Lead.__table__.c  # type: ignore[attr-defined]
_CUSTOMER = LeadStage.CUSTOMER.value
_EMPTY = literal_column("''")
"""One literal, not a bound parameter: PostgreSQL matches GROUP BY expressions by text."""


@dataclass(frozen=True, slots=True)
class CampaignFigures:
    """One campaign over a period: what it cost, what it drew, what it brought in."""

    campaign: str
    kind: str
    spend: float = 0.0
    creator_fees: float = 0.0
    revenue: float = 0.0
    impressions: int = 0
    engagement: int = 0
    """Likes + comments + shares."""
    customers: int = 0
    customers_from: str = "store"
    """"csv" when the campaign rows gave the customers, "store" when leads were counted."""
    conversations: int = 0
    leads: int = 0
    promo_code: str = ""
    redemptions: int = 0
    """Promo-code uses reported in the campaign rows."""
    promo_leads: int = 0
    """Leads in the store that quoted a promo code."""
    customer_value: float | None = None
    """Mean `lead.value` of the campaign's customers in the store, when any has one."""

    @property
    def cost(self) -> float:
        """Spend + creator fees."""
        return self.spend + self.creator_fees

    @property
    def roi(self) -> float | None:
        """(revenue − spend − creator fees) ÷ spend; None without spend."""
        return (self.revenue - self.cost) / self.spend if self.spend else None

    @property
    def cac(self) -> float | None:
        """(spend + creator fees) ÷ customers; None without customers."""
        return self.cost / self.customers if self.customers else None

    @property
    def ltv(self) -> float | None:
        """Customer lifetime value: the store's mean, else revenue per customer."""
        if self.customer_value is not None:
            return self.customer_value
        return self.revenue / self.customers if self.customers else None

    @property
    def engagement_rate(self) -> float | None:
        """(likes + comments + shares) ÷ impressions × 100."""
        return self.engagement * 100 / self.impressions if self.impressions else None

    @property
    def lead_conversion(self) -> float | None:
        """Leads ÷ conversations × 100."""
        return self.leads * 100 / self.conversations if self.conversations else None


@dataclass(frozen=True, slots=True)
class Cohort:
    """The customers won in one month and what they are worth."""

    month: date
    customers: int
    value: float
    """Sum of their lead values."""

    @property
    def ltv(self) -> float | None:
        """Mean value per customer."""
        return self.value / self.customers if self.customers else None


@dataclass(frozen=True, slots=True)
class SourceLeads:
    """Leads found on one platform in a period."""

    platform: str
    leads: int
    customers: int
    with_promo_code: int


@dataclass(frozen=True)
class LeadGroups:
    """Leads found in a period, added up per campaign and platform (one pass over them)."""

    rows: list[tuple[str, str, int, int, int]]
    """(campaign, platform, leads, customers, leads with a promo code); a lead's campaign and
    platform are its own, else its conversation's."""

    def by_campaign(self) -> dict[str, tuple[int, int, int]]:
        """Campaign -> (leads, customers, with a promo code)."""
        return _sums((r[0], r[2:]) for r in self.rows)

    def by_platform(self) -> dict[str, tuple[int, int, int]]:
        """Platform -> (leads, customers, with a promo code)."""
        return _sums((r[1], r[2:]) for r in self.rows)


def lead_groups(engine: Engine, start: datetime, end: datetime) -> LeadGroups:
    """The leads created in [start, end), in one pass (see `LeadGroups`)."""
    campaign = func.coalesce(func.nullif(_L.campaign, _EMPTY), _C.campaign)
    platform = func.coalesce(func.nullif(_L.source_platform, _EMPTY), _C.platform)
    query = (
        select(campaign, platform, func.count(),
               func.sum(case((_L.stage == _CUSTOMER, 1), else_=0)),
               func.sum(case((and_(_L.promo_codes != " ", _L.promo_codes != ""), 1), else_=0)))
        .select_from(Lead.__table__.join(  # type: ignore[attr-defined]
            Conversation.__table__, _C.id == _L.conversation_id))  # type: ignore[attr-defined]
        .where(_L.created_at >= start, _L.created_at < end)
        .group_by(campaign, platform)
    )
    with db.read(engine, jit=False) as conn:
        return LeadGroups([(str(c), str(p), int(n), int(k or 0), int(q or 0))
                           for c, p, n, k, q in conn.execute(query)])


def _sums(pairs: Iterable[tuple[str, tuple[int, ...]]]) -> dict[str, tuple[int, int, int]]:
    totals: dict[str, tuple[int, int, int]] = {}
    for key, (n, customers, promo) in pairs:
        a, b, c = totals.get(key, (0, 0, 0))
        totals[key] = (a + n, b + customers, c + promo)
    return totals


def campaigns(engine: Engine, start: datetime, end: datetime, *,
              groups: PeriodGroups | None = None,
              leads: LeadGroups | None = None) -> list[CampaignFigures]:
    """Every campaign with imported rows overlapping [start, end), or with conversations in it.

    Args:
        engine: the store.
        start: the period's first moment.
        end: the moment after its last.
        groups: the period's conversations (`kpi_breakdowns.period_groups`), when the caller
            has them already.
        leads: the period's leads (`lead_groups`), likewise.
    """
    first, last = start.date(), end.date()
    groups = groups or period_groups(engine, start, end)
    by_campaign = (leads or lead_groups(engine, start, end)).by_campaign()
    campaign = func.coalesce(func.nullif(_L.campaign, _EMPTY), _C.campaign)
    value_q = (  # lifetime value: every customer of the campaign, whenever won
        select(campaign.label("campaign"), func.avg(_L.value))
        .select_from(Lead.__table__.join(  # type: ignore[attr-defined]
            Conversation.__table__, _C.id == _L.conversation_id))  # type: ignore[attr-defined]
        .where(_L.stage == _CUSTOMER, _L.value > 0)
        .group_by(campaign)
    )
    rows_q = (
        select(_R.campaign, func.max(_R.kind), func.sum(_R.spend), func.sum(_R.creator_fees),
               func.sum(_R.revenue), func.sum(_R.impressions),
               func.sum(_R.likes + _R.comments + _R.shares),
               func.sum(_R.customers), func.count(_R.customers), func.max(_R.promo_code),
               func.sum(_R.redemptions))
        .where(_R.period_start < last if end.time() == datetime.min.time() else
               _R.period_start <= last, _R.period_end >= first)
        .group_by(_R.campaign)
    )
    with db.read(engine, jit=False) as conn:
        values = dict(conn.execute(value_q).all())
        rows = {r[0]: r for r in conn.execute(rows_q)}
    conversations = groups.conversations_by_campaign()
    engaged = engagement_by_campaign(engine, start, end, groups=groups)
    result = []
    for name in sorted(set(rows) | set(conversations)):
        row = rows.get(name)
        lead_count, stored_customers, promo_leads = by_campaign.get(name, (0, 0, 0))
        csv_customers = row is not None and row[8] > 0
        impressions = int(row[5] or 0) if row else 0
        engagement = int(row[6] or 0) if row else 0
        if not impressions:
            engagement, impressions = engaged.get(name, (0, 0))
        result.append(CampaignFigures(
            campaign=name, kind=str(row[1]) if row else "organic",
            spend=float(row[2] or 0) if row else 0.0,
            creator_fees=float(row[3] or 0) if row else 0.0,
            revenue=float(row[4] or 0) if row else 0.0,
            impressions=impressions, engagement=engagement,
            customers=int(row[7] or 0) if row is not None and csv_customers else stored_customers,
            customers_from="csv" if csv_customers else "store",
            conversations=int(conversations.get(name, 0)),
            leads=lead_count,
            promo_code=str(row[9] or "") if row else "",
            redemptions=int(row[10] or 0) if row else 0,
            promo_leads=promo_leads,
            customer_value=float(values[name]) if values.get(name) is not None else None,
        ))
    return result


def by_kind(figures: Iterable[CampaignFigures]) -> dict[str, CampaignFigures]:
    """Campaigns added up per kind (paid, organic, ugc, influencer), for UGC/influencer ROI."""
    totals: dict[str, CampaignFigures] = {}
    for f in figures:
        t = totals.get(f.kind) or CampaignFigures(campaign=f.kind, kind=f.kind)
        totals[f.kind] = CampaignFigures(
            campaign=f.kind, kind=f.kind, spend=t.spend + f.spend,
            creator_fees=t.creator_fees + f.creator_fees, revenue=t.revenue + f.revenue,
            impressions=t.impressions + f.impressions, engagement=t.engagement + f.engagement,
            customers=t.customers + f.customers, conversations=t.conversations + f.conversations,
            leads=t.leads + f.leads, redemptions=t.redemptions + f.redemptions,
            promo_leads=t.promo_leads + f.promo_leads)
    return dict(sorted(totals.items()))


def leads_by_platform(engine: Engine, start: datetime, end: datetime, *,
                      leads: LeadGroups | None = None) -> list[SourceLeads]:
    """Leads created in [start, end) per platform of the conversation they came from
    (`leads`: the period's, when the caller has them already), the most first."""
    totals = (leads or lead_groups(engine, start, end)).by_platform()
    return sorted((SourceLeads(p, n, c, k) for p, (n, c, k) in totals.items()),
                  key=lambda s: (-s.leads, s.platform))


def ltv_cohorts(engine: Engine, start: datetime, end: datetime) -> list[Cohort]:
    """Customers per month their lead was found in [start, end), with their total value.

    Months are UTC calendar months: cohorts are a quarterly view, where a few hours at a
    month's edge do not matter.
    """
    query = (
        select(_L.created_at, _L.value)
        .where(_L.stage == _CUSTOMER, _L.created_at >= start, _L.created_at < end)
    )
    cohorts: dict[date, tuple[int, float]] = {}
    with db.read(engine) as conn:  # customers are few (thousands): grouped here, not in SQL
        for created, value in conn.execute(query):
            month = date(created.year, created.month, 1)
            n, total = cohorts.get(month, (0, 0.0))
            cohorts[month] = (n + 1, total + float(value or 0))
    return [Cohort(m, n, v) for m, (n, v) in sorted(cohorts.items())]
