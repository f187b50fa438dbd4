"""The stages of a lead: a plain enum, importable without the store.

Why it lives apart from `models.py`: flows.toml names stages, and ingest's worker processes
read flows.toml (what the leads work looks for in a message) without the store's tables,
whose import costs about half a second of start-up (see `priority.py`).
"""

from __future__ import annotations

from enum import StrEnum


class LeadStage(StrEnum):
    NEW = "new"
    QUALIFYING = "qualifying"
    QUALIFIED = "qualified"
    HOT = "hot"
    CUSTOMER = "customer"
    LOST = "lost"
