"""The generic CRM webhook: one signed POST per lead change.

The body is the lead, its contact details and the transcript as JSON (`payload.webhook_body`);
the headers are Standard Webhooks' (`signing`). The delivery id is the row's and never
changes, so a receiver that saw it already can answer 2xx and drop the repeat. A 2xx is
success; 408, 429, 5xx and network failures are retried with backoff (`Retry-After`
honoured); any other answer is final.
"""

from __future__ import annotations

import httpx
from sqlalchemy import Engine

from workstation.clock import Clock

from . import signing
from .config import WebhookTarget
from .delivery import Item, finish
from .outcome import Outcome, of_exception, of_response
from .payload import webhook_body


def deliver(engine: Engine, target: WebhookTarget, items: list[Item], *,
            client: httpx.Client, clock: Clock) -> tuple[int, bool]:
    """Send the items; returns (how many were taken, whether the target asked us to stop)."""
    sent, stopped = 0, False
    for item in items:
        if stopped:
            item.outcome = Outcome("rate", "the webhook asked to slow down in this run")
        else:
            item.outcome = _post(target, item, client, clock)
            stopped = item.outcome.kind == "rate"
        sent += finish(engine, item, clock)
    return sent, stopped


def _post(target: WebhookTarget, item: Item, client: httpx.Client, clock: Clock) -> Outcome:
    now = clock()
    delivery = item.row.delivery_id
    body = webhook_body(item.lead, item.messages, item.omitted, delivery_id=delivery,
                        event_type="lead.qualified" if item.first else "lead.updated", now=now)
    headers = {"Content-Type": "application/json",
               **signing.headers(target.secret, delivery, int(now.timestamp()), body)}
    try:
        response = client.post(target.url, content=body, headers=headers)
    except httpx.HTTPError as exc:
        return of_exception(exc)
    return of_response(response)
