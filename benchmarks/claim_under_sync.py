"""An agent's claim while the workers sync a busy platform into the same store.

    python benchmarks/claim_under_sync.py sqlite:////tmp/big.db [--rate 6000] [--samples 60]

Starts `workstation sandbox --rate N` (messages per minute) and `workstation sync` on the store
as separate processes, lets sync start, then times `services.claims.claim` + `release` of
conversations spread over the store, one every 200 ms, from this process (another agent's
seat). Prints p50/p95/max. Writes into the store (messages, replies, claims): use a copy.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

from workstation import db
from workstation.services import claims

BIN = Path(sys.executable).parent
TOKEN = "claim-bench"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("url", help="store URL (a copy: sync writes into it)")
    parser.add_argument("--rate", type=float, default=6000.0, help="sandbox messages per minute")
    parser.add_argument("--samples", type=int, default=60)
    parser.add_argument("--port", type=int, default=8799)
    args = parser.parse_args()
    env = {**os.environ, "WORKSTATION_SANDBOX_TOKEN": TOKEN,
           "WORKSTATION_META_URL": f"http://127.0.0.1:{args.port}/v21.0",
           "WORKSTATION_META_TOKEN": TOKEN, "WORKSTATION_X_URL": f"http://127.0.0.1:{args.port}/2",
           "WORKSTATION_X_TOKEN": TOKEN}
    sandbox = subprocess.Popen([BIN / "workstation", "sandbox", "--port", str(args.port),
                                "--rate", str(args.rate)], env=env, stdout=subprocess.DEVNULL)
    time.sleep(2)
    sync = subprocess.Popen([BIN / "workstation", "--db", args.url, "sync"], env=env,
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        time.sleep(10)
        engine = db.open_store(args.url)
        with db.read(engine) as conn:
            top = conn.exec_driver_sql("SELECT max(id) FROM conversation").scalar() or 1
        step = max(top // args.samples, 1)
        times = []
        for index in range(args.samples):
            conversation = 1 + (index * step) % top
            started = time.perf_counter()
            claims.claim(engine, conversation, actor="julie")
            claims.release(engine, conversation, actor="julie")
            times.append((time.perf_counter() - started) * 1000)
            time.sleep(0.2)
    finally:
        sync.terminate()
        sandbox.terminate()
        sync.wait(30)
        sandbox.wait(30)
    times.sort()
    print(f"claim + release while sync takes {args.rate / 60:g} messages/s: n={len(times)} "
          f"p50 {statistics.median(times):.0f} ms, p95 {times[int(len(times) * 0.95) - 1]:.0f} ms,"
          f" max {times[-1]:.0f} ms")


if __name__ == "__main__":
    main()
