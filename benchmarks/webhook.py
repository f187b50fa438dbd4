"""How fast the webhook receiver acknowledges Meta: one comment, and a full batch.

    python benchmarks/webhook.py                      # 200 single deliveries, 5 x 1000 events
    python benchmarks/webhook.py --singles 500 --batches 10 --db postgresql://...

Starts the receiver in-process on a free port over a fresh SQLite store (or --db), POSTs
signed deliveries as Meta would and prints the time from sending a delivery to its 200
(median, p95, max): the answer comes after the events are stored, so this is also the
webhook-to-store latency. Meta retries endpoints that answer slowly; a usual delivery holds
one to a few events.
"""

from __future__ import annotations

import argparse
import json
import statistics
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

import httpx

from workstation import db
from workstation.webhooks.config import MetaSecrets
from workstation.webhooks.server import WebhookServer
from workstation.webhooks.signature import sign

SECRET = "bench-secret"
TEXTS = ["Combien coûte le moulin M2 ?", "Where is my order #BL-10482?", "Love it!",
         "Le colis est arrivé cassé, je veux un remboursement", "Do you ship to Belgium?"]


def delivery(first: int, count: int) -> bytes:
    now = int(datetime.now(UTC).timestamp())
    changes = [{"field": "comments", "value": {
        "id": f"bench-{first + i}", "text": TEXTS[(first + i) % len(TEXTS)],
        "from": {"id": f"user-{(first + i) % 997}", "username": f"user{(first + i) % 997}"},
        "media": {"id": f"media-{(first + i) % 13}"}}} for i in range(count)]
    return json.dumps({"object": "instagram",
                       "entry": [{"id": "brand", "time": now, "changes": changes}]}).encode()


def timed(client: httpx.Client, url: str, body: bytes) -> float:
    start = time.perf_counter()
    answer = client.post(url, content=body, headers={"X-Hub-Signature-256": sign(body, SECRET)})
    elapsed = time.perf_counter() - start
    assert answer.status_code == 200, answer.status_code
    return elapsed


def show(label: str, times: list[float]) -> None:
    times = sorted(times)
    p95 = times[max(int(len(times) * 0.95) - 1, 0)]
    print(f"{label:<28} median {statistics.median(times) * 1000:7.1f} ms   p95 {p95 * 1000:7.1f}"
          f" ms   max {times[-1] * 1000:7.1f} ms   (n={len(times)})")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--singles", type=int, default=200)
    parser.add_argument("--batches", type=int, default=5)
    parser.add_argument("--batch-size", type=int, default=1000)
    parser.add_argument("--db", help="store URL (default: a temporary SQLite file)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        engine = db.open_store(args.db or f"sqlite:///{Path(tmp) / 'bench.db'}")
        server = WebhookServer(engine, MetaSecrets(SECRET, "t"), port=0, ack_within=60).start()
        try:
            with httpx.Client(timeout=120) as client:
                timed(client, server.url, delivery(10**8, 1))  # rules loaded, store warm
                show("one comment per delivery",
                     [timed(client, server.url, delivery(i, 1)) for i in range(args.singles)])
                first = args.singles
                show(f"{args.batch_size} comments per delivery",
                     [timed(client, server.url, delivery(first + b * args.batch_size,
                                                         args.batch_size))
                      for b in range(args.batches)])
                show("the same delivery again",
                     [timed(client, server.url, delivery(0, 1)) for _ in range(20)])
        finally:
            server.stop()
            engine.dispose()


if __name__ == "__main__":
    main()
