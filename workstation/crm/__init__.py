"""CRM push: qualified leads and their conversation, out to HubSpot and a signed webhook.

A lead's change (it became qualified, or changed again after being pushed) is queued in
`crm_outbox`, one row per target, and delivered with retries by `push_due`, which the workers
run on a schedule and `workstation crm push` runs by hand. Running it twice, or in two
processes at once, pushes each change once.
"""

from __future__ import annotations

from .push import push_due

__all__ = ["push_due"]
