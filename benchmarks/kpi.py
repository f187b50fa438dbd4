"""How long the KPI panel and the reports take to get their numbers on a large store.

    .venv/bin/workstation --db sqlite:////tmp/k.db demo --size 1000000    # ~1-3 min, once
    python benchmarks/kpi.py --db sqlite:////tmp/k.db
    python benchmarks/kpi.py --db postgresql://postgres@127.0.0.1/k --cli

The panel's worker calls `KpiPanel.view(scope)` every few seconds; this times exactly that,
cold (first call: rules.toml and kpis.toml are read) and warm (the refreshes), for all
platforms and for one platform, and `kpi.compute` as a report would call it (medians and p90s
of first response and resolution for every platform). Issue 8 asks for the panel's numbers
in < 300 ms.

Then the reports (`workstation report`): the assembly of each period's report (day and week:
triage, month: performance, quarter: strategy) and its pieces for the month (issue 8 asks a
monthly report in < 3 s), the HTML rendering, and one alert scan (which stores the alerts it
raises). With `--cli`, `workstation report --period month|quarter` runs as its own process,
as a person would run it.

The machine is shared, so CPU time is printed beside wall time: CPU time is what the work
costs, wall time what a person waits. On PostgreSQL the CPU time includes the server process
that ran the statements (read from /proc: the server must run on this machine).
"""

from __future__ import annotations

import argparse
import os
import resource
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import func, select, text

from workstation import db, kpi, kpi_config, rules
from workstation.models import Conversation, Message
from workstation.services.kpi_panel import KpiPanel

_TICKS = os.sysconf("SC_CLK_TCK")


class Cpu:
    """CPU seconds of this process, plus those of the PostgreSQL server process serving it."""

    def __init__(self, engine: Any) -> None:
        self.server: int | None = None
        if engine.dialect.name == "postgresql":
            with engine.connect() as conn:
                self.server = conn.execute(text("SELECT pg_backend_pid()")).scalar_one()

    def now(self) -> float:
        mine = time.process_time()
        if self.server is None:
            return mine
        fields = Path(f"/proc/{self.server}/stat").read_text().rsplit(")", 1)[1].split()
        return mine + (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime


def timed(cpu: Cpu, run: Callable[[], object], repeat: int) -> tuple[list[float], list[float]]:
    """Wall and CPU seconds of each of `repeat` runs."""
    walls, cpus = [], []
    for _ in range(repeat):
        wall, used = time.perf_counter(), cpu.now()
        run()
        walls.append(time.perf_counter() - wall)
        cpus.append(cpu.now() - used)
    return walls, cpus


def line(label: str, walls: list[float], cpus: list[float]) -> str:
    ms = [w * 1000 for w in walls]
    return (f"{label:<46} cpu median {statistics.median(cpus) * 1000:6.0f} ms "
            f"(best {min(cpus) * 1000:5.0f})  wall median {statistics.median(ms):6.0f} ms "
            f"(best {min(ms):5.0f}, worst {max(ms):5.0f})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--db", default="sqlite:////tmp/k.db", help="the store (a demo of 1M)")
    parser.add_argument("--repeat", type=int, default=7, help="warm runs of each measure")
    parser.add_argument("--cli", action="store_true",
                        help="also time `workstation report` as a process")
    args = parser.parse_args()
    engine = db.open_store(args.db)
    if engine.dialect.name == "postgresql":
        # One connection, so that one server process does (and counts) all the work.
        engine.dispose()
        engine = db.make_engine(args.db, pool_size=1, max_overflow=0)
    cpu = Cpu(engine)
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
          f"now = {now:%Y-%m-%d %H:%M} UTC (the newest conversation); "
          f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores")

    panel = KpiPanel(engine, clock=lambda: now)
    walls, cpus = timed(cpu, lambda: panel.view(""), 1)
    print(f"{'panel, first view (reads rules.toml, kpis.toml)':<46} cpu {cpus[0] * 1000:6.0f} ms"
          f"  wall {walls[0] * 1000:6.0f} ms")
    view = panel.view("")
    print(line("panel refresh, all platforms", *timed(cpu, lambda: panel.view(""), args.repeat)))
    print(line("panel refresh, one platform (instagram)",
               *timed(cpu, lambda: panel.view("instagram"), args.repeat)))
    book = kpi_config.load()
    policies = rules.load().sla
    platforms = tuple(s for s in view.lines if s)
    print(line("report: every platform's medians and p90s", *timed(cpu, lambda: kpi.compute(
        engine, now=now, days=book.days, zone=book.zone, policies=policies,
        spread_scopes=("", *platforms)), max(3, args.repeat // 2))))
    figures = {line.key: line.shown for line in view.lines[""]}
    print(f"figures (all platforms, {len(view.days)} days): " + ", ".join(
        f"{k}={v}" for k, v in figures.items()))
    reports(engine, cpu, now, policies, max(1, args.repeat // 3))
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")
    if args.cli:
        for period in ("month", "quarter"):
            cli(args.db, period, cpu if cpu.server is not None else None)
    print(f"load average at the end: {os.getloadavg()[0]:.1f}")


def reports(engine: Any, cpu: Cpu, now: Any, policies: Any, repeat: int) -> None:
    """Time each report and the pieces of the monthly one."""
    from workstation.alerts import scan
    from workstation.kpi_breakdowns import next_response, period_groups, top_posts
    from workstation.kpi_money import campaigns, lead_groups
    from workstation.reports import render
    from workstation.reports.data import build
    from workstation.reports.periods import resolve

    book = kpi_config.load()
    clock = lambda: now  # noqa: E731
    built = {}
    for period in ("day", "week", "month", "quarter"):
        def run(period: str = period) -> None:
            built[period] = build(engine, period, clock=clock, book=book, policies=policies)
        print(line(f"report --period {period} (data)", *timed(cpu, run, repeat)))
    print(line("report --period month, rendered as HTML",
               *timed(cpu, lambda: render(built["month"], "html"), repeat)))
    span = resolve("month", now, book.zone)
    print(f"month so far: {span.label}, {span.days} days")
    groups = period_groups(engine, span.start, span.end)
    leads = lead_groups(engine, span.start, span.end)
    pieces = {
        "  kpi.compute (scorecard, per platform)": lambda: kpi.compute(
            engine, now=span.end - timedelta(microseconds=1), days=span.days, zone=book.zone,
            policies=policies),
        "  next response times": lambda: next_response(engine, span.start, span.end,
                                                       policies),
        "  the period's conversations, one pass": lambda: period_groups(
            engine, span.start, span.end),
        "  the period's leads, one pass": lambda: lead_groups(engine, span.start, span.end),
        "  campaigns (ROI, CAC, LTV), given both": lambda: campaigns(
            engine, span.start, span.end, groups=groups, leads=leads),
        "  top posts, given the pass": lambda: top_posts(engine, span.start, span.end,
                                                         groups=groups),
    }
    for label, run in pieces.items():
        print(line(label, *timed(cpu, run, repeat)))
    from workstation.alerts.config import load as load_alerts

    alert_config = load_alerts()
    print(line("alert scan (spikes over the 7-day baseline)", *timed(
        cpu, lambda: scan(engine, clock=clock, config=alert_config), 1)))


def cli(url: str, period: str, cpu: Cpu | None) -> None:
    """`workstation report --period PERIOD` as its own process (it reads the real clock)."""
    command = [str(Path(sys.executable).with_name("workstation")), "--db", url, "report",
               "--period", period, "--format", "table", "--output", os.devnull]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    wall = time.perf_counter()
    subprocess.run(command, check=True)
    wall = time.perf_counter() - wall
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    used = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    server = " (its PostgreSQL server process not counted)" if cpu is not None else ""
    print(f"{'workstation report --period ' + period + ' (process)':<46} cpu {used * 1000:6.0f} ms"
          f"{server}  wall {wall * 1000:6.0f} ms  peak RSS {after.ru_maxrss / 1024:.0f} MB")


if __name__ == "__main__":
    main()
