"""Lists of slugs (intents, tags, categories, promo codes) as the store keeps them.

A list is stored as its items joined by spaces with a space at each end (" purchase shipping "),
so both engines filter on one item with a plain `LIKE '% purchase %'`.
"""

from __future__ import annotations

from collections.abc import Iterable


def spaced(values: Iterable[str]) -> str:
    """Join slugs into the stored form."""
    joined = " ".join(values)
    return f" {joined} " if joined else " "


def merged(stored: str, values: Iterable[str]) -> str:
    """Add `values` to a stored list, keeping its order and skipping what it already has."""
    current = stored.split()
    current.extend(v for v in values if v not in current)
    return spaced(current)
