"""Message and conversation priority: a plain enum, importable without the store.

Why it lives apart from `models.py`: triage reads and writes priorities but never touches
the store, and importing the SQLModel tables costs about a second at start-up, more than
triaging thousands of messages. Stored as a number so queues can sort on it.
"""

from __future__ import annotations

from enum import IntEnum


class Priority(IntEnum):
    """Stored as a number so queues can sort on it."""

    LOW = 0
    NORMAL = 1
    HIGH = 2
    URGENT = 3
