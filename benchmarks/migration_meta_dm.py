"""Migration 0013 (Meta DM threads keyed by the customer) on a large store.

    python benchmarks/migration_meta_dm.py sqlite:////tmp/copy.db [--share 1.0]

Takes a store at the newest revision (a copy: this rewrites it), gives `--share` of its
Instagram and Facebook DM conversations the Graph-style keys an older connector wrote (`t_…`),
so that customers with several DM conversations get merged and the others renamed, takes the
store back to the revision before 0013 and upgrades it. Prints how many were renamed and
merged, and the upgrade's wall and CPU time.
"""

from __future__ import annotations

import argparse
import os
import time

from alembic import command
from alembic.script import ScriptDirectory
from sqlalchemy import String, cast, func, literal, select, update

from workstation import audit, db, migrate
from workstation.models import Conversation

_C = Conversation.__table__.c  # type: ignore[attr-defined]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="store URL (a copy: the benchmark rewrites it)")
    parser.add_argument("--share", type=float, default=1.0,
                        help="share of the Meta DM conversations given a Graph key")
    args = parser.parse_args()
    engine = db.open_store(args.url)
    meta_dms = (_C.platform.in_(("instagram", "facebook")), _C.kind == "dm")
    with db.write(engine) as conn:
        total = conn.execute(select(func.count()).where(*meta_dms)).scalar_one()
        chosen = select(_C.id).where(*meta_dms).order_by(_C.id).limit(int(total * args.share))
        legacy = conn.execute(update(Conversation.__table__).where(  # type: ignore[attr-defined]
            _C.id.in_(chosen.scalar_subquery())).values(
            thread_key=literal("t_") + cast(_C.id, String))).rowcount
        config = migrate._config(conn)
        before = ScriptDirectory.from_config(config).get_revision("0013").down_revision
        command.stamp(config, before)
    print(f"{legacy:,} of {total:,} Meta DM conversations keyed t_<id>; store at {before}")
    wall, cpu = time.perf_counter(), os.times()
    migrate.upgrade(engine)
    spent = os.times()
    cpu_s = (spent.user - cpu.user) + (spent.system - cpu.system)
    wall_s = time.perf_counter() - wall
    merged = len(audit.list_events(engine, action="conversation.merged"))
    rekeyed = len(audit.list_events(engine, action="conversation.rekeyed"))
    print(f"upgrade: renamed {rekeyed:,}, merged {merged:,}: {wall_s:.1f} s wall, "
          f"{cpu_s:.1f} s CPU (this process)")


if __name__ == "__main__":
    main()
