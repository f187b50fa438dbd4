"""What every target's delivery shares: claimed rows with their payload, and the bookkeeping
of each outcome on its row."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import Engine, select

from workstation import db
from workstation.clock import Clock
from workstation.models import CrmOutbox

from . import outbox
from .outcome import Outcome
from .payload import LeadSnapshot, snapshots, transcript

log = logging.getLogger("workstation.crm")
_O = CrmOutbox.__table__.c  # type: ignore[attr-defined]


@dataclass
class Item:
    """A claimed row with what it carries."""

    row: Any
    lead: LeadSnapshot
    messages: list[dict[str, Any]]
    omitted: int
    first: bool
    """No earlier change of this lead reached this target."""
    contact_id: str = ""
    note_id: str = ""
    outcome: Outcome | None = field(default=None)


def prepare(engine: Engine, rows: list[Any], *, clock: Clock) -> list[Item]:
    """The claimed rows with their lead, as it is now, and its transcript. A row whose lead
    is gone fails at once."""
    with db.read(engine) as conn:
        leads = {s.id: s for s in snapshots(conn, [r.lead_id for r in rows])}
        items = []
        for row in rows:
            lead = leads.get(row.lead_id)
            if lead is None:
                continue
            messages, omitted = transcript(conn, lead.conversation_id)
            earlier = conn.execute(select(_O.id).where(
                _O.lead_id == row.lead_id, _O.target == row.target, _O.state == "sent",
                _O.id != row.id).limit(1)).first()
            items.append(Item(row, lead, messages, omitted, first=earlier is None))
    for row in rows:
        if row.lead_id not in leads:
            outbox.mark_failed(engine, row.id, "the lead no longer exists", clock=clock)
    return items


def finish(engine: Engine, item: Item, clock: Clock) -> int:
    """Record the item's outcome on its row; 1 if it was synced."""
    outcome = item.outcome or Outcome("ok")
    if outcome.kind == "ok":
        return int(outbox.mark_sent(engine, item.row.id, clock=clock))
    log.warning("crm: %s lead #%d: %s", item.row.target, item.lead.id, outcome.error)
    if outcome.kind == "fail":
        outbox.mark_failed(engine, item.row.id, outcome.error, clock=clock)
    else:
        outbox.mark_retry(engine, item.row.id, outcome.error, clock=clock,
                          wait=outcome.delay(item.row.attempts),
                          counted=outcome.kind == "retry")
    return 0
