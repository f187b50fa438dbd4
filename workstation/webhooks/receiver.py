"""Verified deliveries into the store, one at a time, through the ingest path.

The HTTP threads only read and verify; storing is done here, on one thread, so deliveries
never race each other for SQLite's write lock and the triage pipeline (rules loaded once) is
used by one thread only. A delivery is acknowledged after it is stored: Meta retries what
was not acknowledged, and ingest's (platform, id) dedupe makes a retry harmless, so nothing
is lost if the process dies between the two.
"""

from __future__ import annotations

import hashlib
import json
import logging
import threading
from collections import OrderedDict
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Engine, select

from workstation import db
from workstation.clock import Clock, utcnow
from workstation.ingest import Ingestor
from workstation.models import Contact, Conversation, DeadLetter
from workstation.pipeline import Pipeline
from workstation.text import inert

from .meta_events import map_delivery

log = logging.getLogger("workstation.webhooks")
SOURCE = "webhook:meta"
REMEMBERED = 4096
"""Digests of stored deliveries kept, so an exact redelivery costs no transaction."""


@dataclass(frozen=True, slots=True)
class DeliveryReport:
    """What one delivery did."""

    events: int = 0
    ingested: int = 0
    duplicates: int = 0
    ignored: int = 0
    rejected: int = 0
    repeated: bool = False
    """The very same bytes were stored before; nothing was done."""

    def summary(self) -> str:
        """The log line's figures."""
        if self.repeated:
            return "repeated delivery, already stored"
        return (f"{self.events} events: {self.ingested} new, {self.duplicates} duplicates,"
                f" {self.rejected} rejected; {self.ignored} ignored")


class Receiver:
    """Stores verified deliveries on one background thread."""

    def __init__(self, engine: Engine, *, pipeline: Pipeline | None = None,
                 clock: Clock = utcnow, max_pending: int = 64) -> None:
        self.engine = engine
        self.pipeline = pipeline or Pipeline()
        self.clock = clock
        self.max_pending = max_pending
        self._pool = ThreadPoolExecutor(max_workers=1, thread_name_prefix="webhook-ingest")
        self._lock = threading.Lock()
        self._pending = 0
        self._seen: OrderedDict[bytes, None] = OrderedDict()

    def submit(self, raw: bytes) -> Future[DeliveryReport] | None:
        """Queue a verified delivery; None when the backlog is full (answer 503: Meta retries)."""
        with self._lock:
            if self._pending >= self.max_pending:
                return None
            self._pending += 1
        future = self._pool.submit(self._store, raw)
        future.add_done_callback(self._done)
        return future

    def _done(self, _future: Future[DeliveryReport]) -> None:
        with self._lock:
            self._pending -= 1

    def _store(self, raw: bytes) -> DeliveryReport:
        digest = hashlib.sha256(raw).digest()
        if digest in self._seen:
            return DeliveryReport(repeated=True)
        try:
            payload = json.loads(raw)
        except (ValueError, RecursionError) as exc:
            self._dead_letters([(raw, f"not valid JSON: {exc}")])
            self._remember(digest)
            return DeliveryReport(rejected=1)
        mapped = map_delivery(payload)
        self._known_threads(mapped.events)
        ingestor = Ingestor(self.engine, pipeline=self.pipeline, clock=self.clock,
                            source=SOURCE, on_reject=_log_reject)
        report = ingestor.run(json.dumps(e, ensure_ascii=False).encode() for e in mapped.events)
        # After the events: if storing them fails, Meta's retry writes these once, not twice.
        rejected = len(mapped.problems)
        if mapped.problems:
            self._dead_letters(mapped.problems)
        self._remember(digest)
        return DeliveryReport(events=len(mapped.events), ingested=report.ingested,
                              duplicates=report.duplicates, ignored=mapped.ignored,
                              rejected=rejected + report.rejected)

    def _known_threads(self, events: list[dict[str, Any]]) -> None:
        """Put each DM in the thread the store already has with that customer.

        A webhook names the customer, as the poller does (`dm:<customer id>`, see
        connectors/meta.py), so the key usually matches already (migration 0013 re-keyed
        the threads an older poller keyed by Meta's conversation id). A DM thread keyed
        otherwise (taken in from a file) still gets the customer's DMs: a DM joins the
        customer's latest DM conversation on that platform, whatever its key; a customer
        never seen before gets `dm:<customer id>`.
        """
        wanted = {(e["platform"], e["thread"][3:]) for e in events
                  if e["kind"] == "dm" and str(e.get("thread", "")).startswith("dm:")}
        if not wanted:
            return
        c, p = Conversation.__table__.c, Contact.__table__.c  # type: ignore[attr-defined]
        found: dict[tuple[str, str], str] = {}
        with db.read(self.engine) as conn:
            for platform, customer in wanted:
                key = conn.execute(
                    select(c.thread_key)
                    .join(Contact.__table__, p.id == c.contact_id)  # type: ignore[attr-defined]
                    .where(c.platform == platform, c.kind == "dm", p.platform == platform,
                           p.external_id == customer)
                    .order_by(c.last_message_at.desc()).limit(1)).scalar()
                if key:
                    found[(platform, customer)] = key
        for event in events:
            if event["kind"] == "dm" and str(event.get("thread", "")).startswith("dm:"):
                event["thread"] = found.get((event["platform"], event["thread"][3:]),
                                            event["thread"])

    def _remember(self, digest: bytes) -> None:
        self._seen[digest] = None
        while len(self._seen) > REMEMBERED:
            self._seen.popitem(last=False)

    def _dead_letters(self, items: list[tuple[bytes, str]]) -> None:
        with db.write(self.engine) as conn:
            now = self.clock()
            conn.execute(DeadLetter.__table__.insert(), [  # type: ignore[attr-defined]
                {"source": SOURCE, "line_no": n, "reason": reason[:500], "raw": raw,
                 "created_at": now} for n, (raw, reason) in enumerate(items, start=1)
            ])
        for _raw, reason in items:
            log.warning("webhook: kept in dead letters: %s", inert(reason, limit=200))

    def close(self) -> None:
        """Finish the deliveries already accepted, then stop the thread."""
        self._pool.shutdown(wait=True)


def _log_reject(line: str) -> None:
    log.warning("webhook: rejected event %s", inert(line, limit=300))
