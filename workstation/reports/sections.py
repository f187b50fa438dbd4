"""Report sections built from the business figures: conversion, campaigns, cohorts, kinds.

Split from `reports.data`, which queries the store, so that each section's table reads as
one function: which columns, in which unit, and the note that explains the formula.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from workstation.kpi_breakdowns import Group
from workstation.kpi_money import CampaignFigures, Cohort, SourceLeads
from workstation.reports.model import Chart, Section, Table

_MONEY_COLUMNS = ("Campaign", "Kind", "Spend", "Creator fees", "Revenue", "Customers",
                  "CAC", "LTV", "LTV ÷ CAC", "ROI", "Impressions", "Engagement rate",
                  "Conversations", "Leads")
_MONEY_UNITS = ("text", "text", "money", "money", "money", "count", "money", "money", "text",
                "ratio", "count", "percent", "count", "count")


def _money_row(f: CampaignFigures) -> tuple[object, ...]:
    ratio = f"{f.ltv / f.cac:.1f}×" if f.ltv is not None and f.cac else None
    return (f.campaign, f.kind, f.spend, f.creator_fees, f.revenue, f.customers, f.cac, f.ltv,
            ratio, f.roi, f.impressions, f.engagement_rate, f.conversations, f.leads)


def campaign_money(figures: Sequence[CampaignFigures]) -> Section:
    """CAC against LTV and ROI, per campaign."""
    paid = [f for f in figures if f.spend or f.creator_fees]
    return Section("campaigns", "Campaigns: cost, return, CAC against LTV", tables=(Table(
        "Per campaign", _MONEY_COLUMNS, _MONEY_UNITS, tuple(_money_row(f) for f in figures),
        note="ROI = (revenue − spend − creator fees) ÷ spend. CAC = (spend + creator fees) ÷ "
             "customers (the imported figure, else the campaign's leads that became "
             "customers). LTV = mean value of the campaign's customers in the store, else "
             "revenue per customer. Campaign rows count whole when their period overlaps "
             "the report's." if figures else
             "No campaign: import figures with `workstation campaigns import FILE`."),),
        charts=(Chart("ROI per campaign (%)", tuple(f.campaign[:24] for f in paid),
                      tuple(None if f.roi is None else f.roi * 100 for f in paid),
                      "percent"),) if paid else ())


def promo_codes(figures: Sequence[CampaignFigures]) -> Section:
    """Promo-code redemptions per campaign, and leads that quoted a code."""
    rows = tuple((f.campaign, f.promo_code, f.redemptions, f.promo_leads)
                 for f in figures if f.promo_code or f.redemptions or f.promo_leads)
    return Section("promo", "Promo-code redemptions", tables=(Table(
        "Per campaign", ("Campaign", "Code", "Redemptions", "Leads quoting a code"),
        ("text", "text", "count", "count"), rows,
        note="Redemptions as imported with the campaign figures; leads from the store."
        if rows else "No promo code in the period's campaigns or leads."),))


def conversion(kinds: Sequence[Group], platforms: Sequence[SourceLeads]) -> Section:
    """Conversation → lead per kind (DM, comment, mention), and leads from each platform."""
    kind_rows = tuple((g.key, g.conversations, g.leads,
                       g.leads * 100 / g.conversations if g.conversations else None)
                      for g in kinds)
    lead_rows = tuple((p.platform, p.leads, p.customers,
                       p.customers * 100 / p.leads if p.leads else None, p.with_promo_code)
                      for p in platforms)
    return Section("conversion", "DM and lead conversion", tables=(
        Table("Conversation → lead, per kind", ("Kind", "Conversations", "With a lead",
                                                 "Lead conversion"),
              ("text", "count", "count", "percent"), kind_rows),
        Table("Leads from social, per platform", ("Platform", "Leads", "Customers",
                                                   "Lead → customer", "With a promo code"),
              ("text", "count", "count", "percent", "count"), lead_rows,
              note="" if lead_rows else "No lead was found in the period."),
    ))


def groups(title: str, rows: Sequence[Group], limit: int = 20) -> Section:
    """Volume, responsiveness, sentiment and leads per campaign or agent."""
    shown = rows[:limit]
    label = title.split()[-1]
    return Section(f"by-{label}", f"Volume and sentiment {title.lower()}", tables=(Table(
        title, (label.capitalize(), "Conversations", "Response rate", "First response (mean)",
                "Escalated", "Sentiment", "Leads"),
        ("text", "count", "percent", "duration", "count", "score", "count"),
        tuple((g.key or "(none)", g.conversations, g.response_rate, g.first_response_mean,
               g.escalated, g.sentiment, g.leads) for g in shown),
        note=f"The {limit} largest of {len(rows)}." if len(rows) > limit else ""),),
        charts=(Chart(f"Conversations {title.lower()}", tuple((g.key or "(none)")[:24]
                                                            for g in shown[:12]),
                      tuple(float(g.conversations) for g in shown[:12])),))


def cohorts(rows: Sequence[Cohort]) -> Section:
    """Customers won per month and their lifetime value."""
    return Section("cohorts", "LTV cohorts", tables=(Table(
        "Customers per month won", ("Month", "Customers", "Value", "LTV"),
        ("text", "count", "money", "money"),
        tuple((f"{c.month:%b %Y}", c.customers, c.value, c.ltv) for c in rows),
        note="Leads that became customers, by the month the lead was found (the year to the "
             "period's end); LTV = their total value ÷ their number."
        if rows else "No customer from social in the year to the period's end."),),
        charts=(Chart("LTV per cohort", tuple(f"{c.month:%b %y}" for c in rows),
                      tuple(c.ltv for c in rows), "money"),) if rows else ())


def kinds(totals: Mapping[str, CampaignFigures]) -> Section:
    """ROI of UGC and influencer campaigns beside paid and organic ones."""
    rows = tuple(_money_row(f)[1:] for f in totals.values())
    return Section("kinds", "UGC and influencer ROI", tables=(Table(
        "Per kind of campaign", _MONEY_COLUMNS[1:], _MONEY_UNITS[1:], rows,
        note="Campaigns added up by kind as imported (paid, organic, ugc, influencer)."
        if rows else "No campaign figures: import them with `workstation campaigns import`."),))
