"""How long the KPI panel takes to get its numbers on a large store.

    .venv/bin/workstation --db sqlite:////tmp/k.db demo --size 1000000    # ~1-3 min, once
    python benchmarks/kpi.py --db sqlite:////tmp/k.db

The panel's worker calls `KpiPanel.view(scope)` every few seconds; this times exactly that,
cold (first call: rules.toml and kpis.toml are read) and warm (the refreshes), for all
platforms and for one platform, and `kpi.compute` as a report would call it (medians and p90s
of first response and resolution for every platform). The goal: the panel's numbers in well
under a second (issue 8 asks < 300 ms). CPU time is printed beside wall time because this
machine is shared: CPU time is what the query costs, wall time what an agent waits.
"""

from __future__ import annotations

import argparse
import resource
import statistics
import time
from collections.abc import Callable
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
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"peak RSS of this process: {rss:.0f} MB")


if __name__ == "__main__":
    main()
