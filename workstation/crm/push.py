"""`push_due`: queue what changed, then deliver what is due, target by target.

The workers call it from a scheduled job; `workstation crm push` calls it by hand. Both may
run at once: queueing is serialised (one write transaction, an advisory lock on PostgreSQL)
and sending claims rows, so each change goes out once.
"""

from __future__ import annotations

from collections.abc import Sequence

import httpx
from sqlalchemy import Engine

from workstation import __version__
from workstation.clock import Clock, utcnow

from . import hubspot, outbox, webhook
from .config import HubSpotTarget, Target, load_targets
from .delivery import prepare

ROUNDS = 20
"""Claims per target and run, so one run ends even when a target keeps failing fast."""


def push_due(engine: Engine, *, clock: Clock = utcnow,
             targets: Sequence[Target] | None = None) -> int:
    """Queue lead changes and deliver every due one; returns how many deliveries succeeded.

    Args:
        engine: the store.
        clock: the time rows are stamped with and compared against.
        targets: where leads go; the configured ones (`config.load_targets`) by default.
            Nothing is queued when there is none.

    Raises:
        ConfigError: the configuration is unusable (see `config.load_targets`).
    """
    targets = load_targets() if targets is None else list(targets)
    if not targets:
        return 0
    outbox.enqueue(engine, [t.name for t in targets], clock=clock)
    sent = 0
    for target in targets:
        limit = target.batch if isinstance(target, HubSpotTarget) else 20
        with httpx.Client(timeout=httpx.Timeout(target.timeout, connect=5.0),
                          headers={"User-Agent": f"workstation/{__version__}"}) as client:
            for _ in range(ROUNDS):
                rows = outbox.claim(engine, target.name, limit=limit, clock=clock)
                if not rows:
                    break
                items = prepare(engine, rows, clock=clock)
                if isinstance(target, HubSpotTarget):
                    done, stop = hubspot.deliver(engine, target, items, client=client,
                                                 clock=clock)
                else:
                    done, stop = webhook.deliver(engine, target, items, client=client,
                                                 clock=clock)
                sent += done
                if stop:
                    break
    return sent
