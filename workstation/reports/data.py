"""What each report says: the data of the weekly triage, monthly performance and quarterly
strategy reports, assembled from the KPI computations.

A day or week report is the *triage* (alerts, top posts, escalations waiting for a human),
a month report the *performance* (engagement, DM and lead conversion, leads from social,
promo codes, CAC per campaign), a quarter report the *strategy* (LTV cohorts, UGC and
influencer ROI). Each opens with the kpis.toml scorecard and the responsiveness figures of
the period. Nothing here formats: renderers do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.engine import Engine

from workstation import db, kpi
from workstation.alerts.views import recent
from workstation.clock import Clock, utcnow
from workstation.kpi_breakdowns import (
    Durations, PeriodGroups, breakdowns, next_response, period_groups, top_posts,
)
from workstation.kpi_config import KpiBook, KpiConfigError, format_value
from workstation.kpi_config import load as load_book
from workstation.kpi_money import (
    CampaignFigures, LeadGroups, by_kind, campaigns, lead_groups, leads_by_platform,
    ltv_cohorts,
)
from workstation.models import Agent, Conversation
from workstation.reports import sections as sec
from workstation.reports.model import Chart, Report, Section, Table
from workstation.reports.periods import Period, resolve
from workstation.sla import SlaPolicy

TITLES = {"triage": "Weekly triage", "performance": "Monthly performance",
          "strategy": "Quarterly strategy"}
REPORT_OF = {"day": "triage", "week": "triage", "month": "performance", "quarter": "strategy"}
WAITING = 20
"""Escalations listed as waiting for a human, most urgent first."""
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_AG = Agent.__table__.c  # type: ignore[attr-defined]


def build(engine: Engine, period: str, *, start: datetime | None = None,
          end: datetime | None = None, clock: Clock = utcnow, book: KpiBook | None = None,
          policies: Mapping[str, SlaPolicy] | None = None) -> Report:
    """The report of a period (see `periods.resolve` for `start` and `end`, local days).

    Args:
        engine: the store.
        period: day, week, month or quarter.
        start: first day (a date) of the period; the current period when None.
        end: last day included.
        clock: now.
        book: the KPI definitions; kpis.toml in force when None.
        policies: SLA policies; rules.toml's when None.

    Raises:
        ValueError: an unknown period or an empty range.
    """
    problems: list[str] = []
    if book is None:
        try:
            book = load_book()
        except KpiConfigError as exc:
            problems.extend(exc.problems)
    if policies is None:
        from workstation.rules import RulesError, load

        try:
            policies = load().sla
        except RulesError as exc:
            problems.extend(exc.problems)
            policies = {}
    zone = book.zone if book is not None else None
    from zoneinfo import ZoneInfo

    zone = zone or ZoneInfo("UTC")
    now = clock()
    span = resolve(period, now, zone, start.date() if start else None,
                   end.date() if end else None)
    kind = REPORT_OF[period]
    report = kpi.compute(engine, now=span.end - timedelta(microseconds=1), days=span.days,
                         zone=zone, policies=policies)
    nxt = next_response(engine, span.start, span.end, policies)
    # One pass over the period's conversations and one over its leads serve every section.
    groups = period_groups(engine, span.start, span.end)
    leads = lead_groups(engine, span.start, span.end)
    money = campaigns(engine, span.start, span.end, groups=groups, leads=leads)
    sections = [_scorecard(book, report, _extras(nxt, money)),
                _responsiveness(span, report, nxt)]
    if kind == "triage":
        sections += [_alerts(engine, span), _posts(engine, span, groups),
                     _waiting(engine, now)]
    elif kind == "performance":
        sections += [_posts(engine, span, groups),
                     *_performance(engine, span, money, groups, leads)]
    else:
        sections += _strategy(engine, span, money, groups, leads)
    title = "Daily triage" if period == "day" else TITLES[kind]
    return Report(kind=kind, title=title, period=span.label, period_kind=period,
                  start=span.start, end=span.end, zone=str(zone), generated_at=now,
                  sections=tuple(sections), problems=tuple(problems))


def _extras(nxt: Durations, money: list[CampaignFigures]) -> dict[str, float | None]:
    """The report-only metrics of kpis.toml (`kpi_config.REPORT_ONLY`) over the period."""
    total = by_kind([replace(f, kind="all") for f in money]).get("all")
    return {
        "next_response_mean": nxt.mean,
        "engagement_rate": total.engagement_rate if total else None,
        "roi": total.roi * 100 if total and total.roi is not None else None,
        "cac": total.cac if total else None,
    }


def _scorecard(book: KpiBook | None, report: kpi.KpiReport,
               extras: Mapping[str, float | None]) -> Section:
    figures = report.scopes[""]
    rows = []
    for d in book.kpis if book is not None else ():
        value = (extras.get(d.metric) if d.metric in extras else
                 figures.metric(d.metric) if d.metric else None)
        met = d.target.met(value)
        rows.append((d.name, format_value(d.unit, value, signed=d.metric == "sentiment")
                     if d.metric else "outside the store", d.target.shown,
                     "–" if met is None else "met" if met else "missed",
                     d.baseline_text, d.owner, d.cadence, d.deadline.isoformat()))
    return Section("scorecard", "KPIs against their targets", tables=(Table(
        "Scorecard", ("KPI", "Value", "Target", "Status", "Baseline", "Owner", "Cadence",
                      "Deadline"), ("text",) * 8, tuple(rows),
        note="Targets, owners and deadlines from kpis.toml." if rows else
        "kpis.toml could not be read."),))


def _responsiveness(span: Period, report: kpi.KpiReport, nxt: Durations) -> Section:
    rows = []
    for scope, f in report.scopes.items():
        m = f.metric
        rows.append((scope or "all platforms", f.tally.conversations, m("response_rate"),
                     m("first_response_mean"), m("first_response_median"),
                     m("first_response_p90"), nxt.mean if not scope else None,
                     m("sla_hit_rate"), m("escalation_rate"), m("resolution_time_median"),
                     m("csat"), m("sentiment")))
    days = tuple(f"{d:%d %b}" for d in report.days)
    table = Table(
        "Responsiveness per platform",
        ("Platform", "Conversations", "Response rate", "First response (mean)",
         "First response (median)", "First response (p90)", "Next response (mean)",
         "SLA hit rate", "Escalation rate", "Resolution (median)", "CSAT", "Sentiment"),
        ("text", "count", "percent", "duration", "duration", "duration", "duration",
         "percent", "percent", "duration", "percent", "score"),
        tuple(rows),
        note=(f"Next responses: {nxt.count:,}, median "
              f"{format_value('duration', nxt.spread.median)}, p90 "
              f"{format_value('duration', nxt.spread.p90)}. Medians and p90 are computed for "
              "all platforms; first and next responses count open hours only under SLA "
              "policies that pause outside their calendar."))
    return Section("responsiveness", "Volume and responsiveness", tables=(table,), charts=(
        Chart("Conversations per day", days, report.series("volume")),
        Chart("Mean sentiment per day", days, report.series("sentiment"), "score", "line"),
        Chart("Mean first response per day", days, report.series("first_response_mean"),
              "duration", "line"),
    ))


def _alerts(engine: Engine, span: Period) -> Section:
    alerts = recent(engine, since=span.start, until=span.end, limit=200)
    rows = tuple((f"{a.raised_at.astimezone(span.zone):%d %b %H:%M}", a.severity, a.kind,
                  a.title, " ".join(str(i) for i in a.conversation_ids[:10]))
                 for a in alerts)
    return Section("alerts", "Alerts", tables=(Table(
        "Reputation alerts raised", ("Raised", "Severity", "Kind", "Alert", "Conversations"),
        ("text",) * 5, rows, note="" if rows else "No alert was raised in the period."),))


def _posts(engine: Engine, span: Period, groups: PeriodGroups) -> Section:
    posts = top_posts(engine, span.start, span.end, 5, groups=groups)
    rows = tuple((p.platform, p.campaign, p.caption[:80], p.url, p.likes, p.comments, p.shares,
                  p.impressions, p.engagement_rate) for p in posts)
    return Section("posts", "Top 5 posts by engagement", tables=(Table(
        "Top posts", ("Platform", "Campaign", "Caption", "Link", "Likes", "Comments", "Shares",
                      "Impressions", "Engagement rate"),
        ("text",) * 4 + ("count",) * 4 + ("percent",), rows,
        note="Engagement = likes + comments + shares; rate = engagement ÷ impressions × 100. "
             "Comments are those of the period; likes and shares as last synced."),),
        charts=(Chart("Engagement of the top posts", tuple(f"{p.platform} {p.campaign}"[:24]
                                                            for p in posts),
                      tuple(float(p.engagement) for p in posts)),))


def _waiting(engine: Engine, now: datetime) -> Section:
    query = (
        select(_C.id, _C.platform, _C.role, _C.escalation_reason, _C.awaiting_since,
               _C.sla_due_at, _AG.name)
        .select_from(Conversation.__table__.outerjoin(  # type: ignore[attr-defined]
            Agent.__table__, _AG.id == _C.assignee_id))  # type: ignore[attr-defined]
        .where(_C.escalated, _C.status == "open", _C.awaiting_since.is_not(None))
        .order_by(_C.sla_due_at.is_(None), _C.sla_due_at, _C.id)
        .limit(WAITING)
    )
    with db.read(engine) as conn:
        rows = conn.execute(query).all()
    table = tuple((r.id, r.platform, r.role, r.escalation_reason,
                   (now - r.awaiting_since).total_seconds(),
                   "overdue" if r.sla_due_at is not None and r.sla_due_at <= now else
                   (r.sla_due_at - now).total_seconds() if r.sla_due_at else None,
                   r.name or "unassigned") for r in rows)
    return Section("escalations", "Escalations waiting for a human", tables=(Table(
        "Waiting now", ("Conversation", "Platform", "Role", "Reason", "Waiting for",
                        "Due in", "Assignee"),
        ("id", "text", "text", "text", "duration", "duration", "text"), table,
        note=f"Open escalated conversations whose customer waits for our answer, as of "
             f"{now:%Y-%m-%d %H:%M} UTC, most urgent first."
             if table else "No escalated conversation is waiting."),))


def _performance(engine: Engine, span: Period, figures: list[CampaignFigures],
                 groups: PeriodGroups, leads: LeadGroups) -> list[Section]:
    cuts = breakdowns(engine, span.start, span.end, ("kind", "campaign", "agent"),
                      groups=groups)
    return [sec.conversion(cuts["kind"],
                           leads_by_platform(engine, span.start, span.end, leads=leads)),
            sec.campaign_money(figures),
            sec.promo_codes(figures),
            sec.groups("Per campaign", cuts["campaign"]),
            sec.groups("Per agent", cuts["agent"])]


def _strategy(engine: Engine, span: Period, figures: list[CampaignFigures],
              groups: PeriodGroups, leads: LeadGroups) -> list[Section]:
    year_before = span.start - timedelta(days=365)
    return [sec.cohorts(ltv_cohorts(engine, year_before, span.end)),
            sec.kinds(by_kind(figures)),
            sec.campaign_money(figures),
            sec.conversion(groups.cut("kind"),
                           leads_by_platform(engine, span.start, span.end, leads=leads))]
