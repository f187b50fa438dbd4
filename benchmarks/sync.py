"""The workers against the sandbox platform: how fresh the store stays, how fast replies go out.

    python benchmarks/sync.py                     # --rate 100 --seconds 30 --replies 1000

In this process: a sandbox on a free port generating `--rate` new messages per second on all
six surfaces (Instagram and Facebook comments and DMs, X mentions and DMs). In another
process, as in production: `workstation sync`, its connectors pointed at the sandbox, on a
SQLite store in a temporary folder. Measures

1. sync latency: for each message the sandbox created while it ran, the time from its
   creation on the platform to its row in the store (`message.received_at`); median and 90th
   percentile (goal: median under 5 s at 100 messages per second);
2. send rate: `--replies` public replies queued at once under Instagram comments, sent by the
   workers with nothing else to do (the platform allowing it): replies per second between the
   first and the last the platform received (goal: 50 per second).

Prints the figures; nothing is asserted.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import select  # noqa: E402

from workstation import db  # noqa: E402
from workstation.models import Conversation, Message, Outbox  # noqa: E402
from workstation.sandbox import SandboxServer  # noqa: E402

TOKEN = "benchmark-token"
_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]


def start_sync(url: str, server: SandboxServer, jobs: str, log: Path) -> subprocess.Popen[bytes]:
    env = {**os.environ, "WORKSTATION_META_URL": server.meta_url,
           "WORKSTATION_X_URL": server.x_url, "WORKSTATION_META_TOKEN": TOKEN,
           "WORKSTATION_X_TOKEN": TOKEN, "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, "-m", "workstation.cli", "--db", url, "sync",
                             "--only", jobs], stdout=log.open("wb"), stderr=subprocess.STDOUT,
                            env=env)


def stop(process: subprocess.Popen[bytes]) -> None:
    process.terminate()
    process.wait(timeout=60)


def latency(url: str, engine: object, rate: float, seconds: float, folder: Path) -> None:
    server = SandboxServer(token=TOKEN, port=0, rate=rate * 60, seed_value=3).start()
    sync = start_sync(url, server, "poll", folder / "poll.log")
    time.sleep(seconds)
    with server.world.lock:
        created = {item.id: item.created for item in server.world.items.values()
                   if item.author not in server.world.brand.values()}
    server.traffic.stop()
    time.sleep(10)  # let the last ones in
    stop(sync)
    server.stop()
    with db.read(engine) as conn:  # type: ignore[arg-type]
        rows = conn.execute(select(_M.external_id, _M.received_at)
                            .where(_M.direction == "in")).all()
    delays = [(received - created[ext]).total_seconds() for ext, received in rows
              if ext in created]
    if not delays:
        print("sync latency: nothing synced (see poll.log)")
        return
    delays.sort()
    print(f"sync latency at {rate:g} messages/s over {seconds:g} s: {len(created)} created,"
          f" {len(delays)} stored; median {statistics.median(delays):.2f} s,"
          f" p90 {delays[int(len(delays) * 0.9)]:.2f} s, max {delays[-1]:.2f} s"
          f" (goal: median < 5 s)")


def send_rate(url: str, engine: object, replies: int, folder: Path) -> None:
    server = SandboxServer(token=TOKEN, port=0, seed_value=4).start()
    for _ in range(100):
        server.traffic.generate_one("instagram_comment")
    sync = start_sync(url, server, "poll", folder / "seed.log")
    total = 100
    while True:  # the comments must be in the store before replies can point at them
        with db.read(engine) as conn:  # type: ignore[arg-type]
            comments = conn.execute(
                select(_M.conversation_id, _M.external_id)
                .select_from(Message.__table__.join(  # type: ignore[attr-defined]
                    Conversation.__table__, _C.id == _M.conversation_id))  # type: ignore[attr-defined]
                .where(_C.platform == "instagram", _C.kind == "comment", _M.direction == "in",
                       _C.moderation == "allow", _M.hidden.is_(False))).all()
        if len(comments) >= total * 0.8:
            break
        time.sleep(0.5)
    stop(sync)
    now = datetime.now(UTC)
    with db.write(engine) as conn:  # type: ignore[arg-type]
        conn.execute(Outbox.__table__.update().where(  # type: ignore[attr-defined]
            Outbox.__table__.c.state.in_(("draft", "queued"))).values(state="cancelled"))  # type: ignore[attr-defined]
        conn.execute(Outbox.__table__.insert(), [{  # type: ignore[attr-defined]
            "conversation_id": comments[n % len(comments)].conversation_id,
            "reply_to_external_id": comments[n % len(comments)].external_id,
            "channel": "public", "text": f"Benchmark reply {n}", "author_kind": "agent",
            "agent_id": None, "idempotency_key": f"bench-{n}", "state": "queued",
            "attempts": 0, "last_error": "", "next_attempt_at": None, "external_id": "",
            "template_id": "", "created_at": now, "sent_at": None} for n in range(replies)])
    before = len(server.world.sent)
    sync = start_sync(url, server, "send", folder / "send.log")
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        with server.world.lock:
            done = sum(1 for e in server.world.sent[before:]
                       if str(e.get("text", "")).startswith("Benchmark reply"))
        if done >= replies:
            break
        time.sleep(0.2)
    stop(sync)
    with server.world.lock:
        times = [datetime.fromisoformat(e["at"]) for e in server.world.sent[before:]
                 if str(e.get("text", "")).startswith("Benchmark reply")]
    server.stop()
    if len(times) < 2:
        print("send rate: nothing sent (see send.log)")
        return
    span = (max(times) - min(times)).total_seconds()
    print(f"send rate: {len(times)} of {replies} replies in {span:.1f} s:"
          f" {len(times) / max(span, 1e-9):.0f} replies/s (goal: 50/s)")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rate", type=float, default=100, help="new messages per second")
    parser.add_argument("--seconds", type=float, default=30, help="how long traffic runs")
    parser.add_argument("--replies", type=int, default=1000, help="replies to send")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        os.environ["XDG_CONFIG_HOME"] = str(folder / "config")  # no secrets file of yours
        for name, run in (("latency", lambda u, e: latency(u, e, args.rate, args.seconds,
                                                             folder)),
                          ("send", lambda u, e: send_rate(u, e, args.replies, folder))):
            url = f"sqlite:///{folder / f'{name}.db'}"
            run(url, db.open_store(url))
        for log in sorted(folder.glob("*.log")):
            errors = [line for line in log.read_text().splitlines() if "failed" in line]
            if errors:
                print(f"{log.name}: {len(errors)} failing runs, e.g. {errors[0]}")


if __name__ == "__main__":
    main()
