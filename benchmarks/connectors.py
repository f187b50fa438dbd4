"""How fast the connectors read from and write to the sandbox platform, over local HTTP.

    python benchmarks/connectors.py                  # --messages 6000 --sends 300 --batch 100

In this process: a sandbox on a free port, the meta and x connectors pointed at it, a store
for the rate-limit state (a SQLite file in a temporary folder). Measures

1. a full poll of all six streams after `--messages` generated messages (events per second);
2. a catch-up poll of all six streams after `--batch` more (the time one sync pass takes);
3. sending `--sends` public X replies and `--sends` Instagram DMs, one after another (a DM
   reads its thread first for the 24-hour window), in sends per second.

Prints the figures; nothing is asserted (timing goals are the workers' benchmark).
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workstation import db  # noqa: E402
from workstation.connectors import build, config  # noqa: E402
from workstation.connectors.base import Outgoing  # noqa: E402
from workstation.sandbox import SandboxServer  # noqa: E402


def poll_all(connectors: list, positions: dict[str, str]) -> int:
    count = 0
    for connector in connectors:
        for stream in connector.streams():
            for page in connector.poll(stream, positions.get(stream, "")):
                count += len(page.events)
                positions[stream] = page.position
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--messages", type=int, default=6000)
    parser.add_argument("--batch", type=int, default=100)
    parser.add_argument("--sends", type=int, default=300)
    args = parser.parse_args()
    token = "bench-token"
    with tempfile.TemporaryDirectory() as folder, SandboxServer(token=token, seed_value=1) as box:
        engine = db.open_store(f"sqlite:///{Path(folder) / 'bench.db'}")
        platforms = config.load({"WORKSTATION_META_URL": box.meta_url,
                                 "WORKSTATION_META_TOKEN": token,
                                 "WORKSTATION_X_URL": box.x_url, "WORKSTATION_X_TOKEN": token})
        meta = build(platforms["meta"], engine)
        x = build(platforms["x"], engine)
        connectors = [meta, x]
        box.traffic.generate(args.messages)
        positions: dict[str, str] = {}
        started = time.perf_counter()
        count = poll_all(connectors, positions)
        took = time.perf_counter() - started
        print(f"full poll: {count} events in {took:.2f} s ({count / took:.0f} events/s)")

        box.traffic.generate(args.batch)
        started = time.perf_counter()
        count = poll_all(connectors, positions)
        took = time.perf_counter() - started
        print(f"catch-up poll after {args.batch} new: {count} events (Meta repeats the last "
              f"second) in {took * 1000:.0f} ms")

        mentions = [item for item in box.world.by_surface["tweet"] if item.author != "x"][-50:]
        started = time.perf_counter()
        for n in range(args.sends):
            target = mentions[n % len(mentions)]
            x.send(Outgoing(n, "public", "x", "mention", target.id, target.id, target.author,
                            f"Thanks! #{n}", f"k{n}"))
        took = time.perf_counter() - started
        print(f"x replies: {args.sends} in {took:.2f} s ({args.sends / took:.0f}/s)")

        box.traffic.generate(0)
        dms = [box.traffic.add("instagram_dm", "bonjour", author=box.traffic.person("instagram"))
               for _ in range(50)]
        started = time.perf_counter()
        for n in range(args.sends):
            dm = dms[n % len(dms)]
            meta.send(Outgoing(n, "dm", "instagram", "dm", dm.root, dm.id, dm.author,
                               f"Bonjour ! #{n}", f"d{n}"))
        took = time.perf_counter() - started
        print(f"instagram dms (window read + send): {args.sends} in {took:.2f} s "
              f"({args.sends / took:.0f}/s)")
        print(f"sandbox received: {box.world.summary()['received']}")
        for connector in connectors:
            connector.close()
        engine.dispose()


if __name__ == "__main__":
    main()
