"""How long the KPI panel and the reports take to get their numbers on a large store.

    .venv/bin/workstation --db sqlite:////tmp/k.db demo --size 1000000    # ~1-3 min, once
    python benchmarks/kpi.py --db sqlite:////tmp/k.db

The panel's worker calls `KpiPanel.view(scope)` every few seconds; this times exactly that,
cold (first call: rules.toml and kpis.toml are read) and warm (the refreshes), for all
platforms and for one platform, and `kpi.compute` as a report would call it (medians and p90s
of first response and resolution for every platform). The goal: the panel's numbers in well
under a second (issue 8 asks < 300 ms). CPU time is printed beside wall time because this
machine is shared: CPU time is what the query costs, wall time what an agent waits.

Then the reports (`workstation report`): the assembly of each period's report (day and week:
triage, month: performance, quarter: strategy) and its pieces for the month (issue 8 asks a
monthly report in < 3 s), the HTML rendering, and one alert scan.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
from typing import Any
from datetime import timedelta

from sqlalchemy import func, select

from workstation import db, kpi, kpi_config, rules
from workstation.models import Conversation, Message
from workstation.services.kpi_panel import KpiPanel


def timed(run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(time.process_time() - cpu)
    return walls, cpus


def line(label: str, walls: list[float], cpus: list[float]) -> str:
    ms = [w * 1000 for w in walls]
    return (f"{label:<44} median {statistics.median(ms):6.0f} ms  best {min(ms):6.0f} ms  "
            f"worst {max(ms):6.0f} ms  (cpu median {statistics.median(cpus) * 1000:.0f} ms)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/k.db", help="the store (a demo of 1M)")
    parser.add_argument("--repeat", type=int, default=7, help="warm runs of each measure")
    args = parser.parse_args()
    engine = db.open_store(args.db)
    c = Conversation.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        conversations = conn.execute(select(func.count()).select_from(Conversation)).scalar_one()
        messages = conn.execute(select(func.count()).select_from(Message)).scalar_one()
        latest = conn.execute(select(func.max(c.created_at))).scalar_one()
    if not conversations:
        raise SystemExit(f"{args.db} is empty: build it with "
                         f"`workstation --db {args.db} demo --size 1000000`")
    now = latest + timedelta(minutes=1)
    print(f"store: {args.db}: {messages:,} messages, {conversations:,} conversations; "
          f"now = {now:%Y-%m-%d %H:%M} UTC (the newest conversation)")

    panel = KpiPanel(engine, clock=lambda: now)
    walls, cpus = timed(lambda: panel.view(""), 1)
    print(f"{'panel, first view (reads rules.toml, kpis.toml)':<44} "
          f"{walls[0] * 1000:6.0f} ms  (cpu {cpus[0] * 1000:.0f} ms)")
    view = panel.view("")
    print(line("panel refresh, all platforms", *timed(lambda: panel.view(""), args.repeat)))
    print(line("panel refresh, one platform (instagram)",
               *timed(lambda: panel.view("instagram"), args.repeat)))
    book = kpi_config.load()
    policies = rules.load().sla
    platforms = tuple(s for s in view.lines if s)
    print(line("report: every platform's medians and p90s", *timed(lambda: kpi.compute(
        engine, now=now, days=book.days, zone=book.zone, policies=policies,
        spread_scopes=("", *platforms)), max(3, args.repeat // 2))))
    figures = {line.key: line.shown for line in view.lines[""]}
    print(f"figures (all platforms, {len(view.days)} days): " + ", ".join(
        f"{k}={v}" for k, v in figures.items()))
    reports(engine, now, policies, max(1, args.repeat // 3))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")


def reports(engine: Any, now: Any, policies: Any, repeat: int) -> None:
    """Time each report and the pieces of the monthly one."""
    from workstation.alerts import scan
    from workstation.kpi_breakdowns import breakdowns, next_response, top_posts
    from workstation.kpi_money import campaigns, leads_by_platform
    from workstation.reports import render
    from workstation.reports.data import build
    from workstation.reports.periods import resolve

    book = kpi_config.load()
    clock = lambda: now  # noqa: E731
    built = {}
    for period in ("day", "week", "month", "quarter"):
        def run(period: str = period) -> None:
            built[period] = build(engine, period, clock=clock, book=book, policies=policies)
        print(line(f"report --period {period} (data)", *timed(run, repeat)))
    print(line("report --period month, rendered as HTML",
               *timed(lambda: render(built["month"], "html"), repeat)))
    span = resolve("month", now, book.zone)
    print(f"month so far: {span.label}, {span.days} days")
    pieces = {
        "  kpi.compute (scorecard, per platform)": lambda: kpi.compute(
            engine, now=span.end - timedelta(microseconds=1), days=span.days, zone=book.zone,
            policies=policies),
        "  next response times": lambda: next_response(engine, span.start, span.end,
                                                       policies),
        "  breakdowns (kind, campaign, agent)": lambda: breakdowns(
            engine, span.start, span.end, ("kind", "campaign", "agent")),
        "  top posts": lambda: top_posts(engine, span.start, span.end),
        "  campaigns (ROI, CAC, LTV)": lambda: campaigns(engine, span.start, span.end),
        "  leads per platform": lambda: leads_by_platform(engine, span.start, span.end),
    }
    for label, run in pieces.items():
        print(line(label, *timed(run, repeat)))
    from workstation.alerts.config import load as load_alerts

    alert_config = load_alerts()
    print(line("alert scan (spikes over the 7-day baseline)", *timed(
        lambda: scan(engine, clock=clock, config=alert_config), 1)))


if __name__ == "__main__":
    main()
