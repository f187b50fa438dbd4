"""The slots a template may use, how long their values may be, and how values are cleaned.

A slot value comes from a customer's profile (a display name can be anything a platform lets
a person type) or from an agent's keyboard. Before it goes into a reply it is cleaned of
control and bidi-override characters, flattened to one line and length-capped: a name is cut
(the reply still makes sense), an order number or a link that is too long is refused (a cut
one would be wrong).
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

SLOT_NAME = re.compile(r"[a-z][a-z0-9_]{0,31}")
"""What a slot name looks like: lower-case letters, digits and underscores."""
DECLARED_CAP = 120
"""Length cap of slots a template declares itself."""
FALLBACK_CAP = 80
"""Length cap of a `{slot|fallback}` text."""


@dataclass(frozen=True, slots=True)
class SlotSpec:
    """What the renderer knows about one slot."""

    name: str
    cap: int
    """Longest value accepted, in characters."""
    cut: bool
    """True: a longer value is cut with an ellipsis; False: it is refused."""
    description: str


STANDARD: dict[str, SlotSpec] = {
    s.name: s
    for s in (
        SlotSpec("first_name", 40, True, "the customer's first name, from their profile"),
        SlotSpec("name", 80, True, "the customer's full display name"),
        SlotSpec("handle", 64, True, "the customer's @handle"),
        SlotSpec("product", 80, False, "a product, e.g. 'Sidamo 250 g'"),
        SlotSpec("order_no", 40, False, "an order number, e.g. 'BL-10482'"),
        SlotSpec("delay", 40, False, "a duration, e.g. '3 days' / '3 jours'"),
        SlotSpec("agent", 40, True, "the replying agent's first name"),
        SlotSpec("link", 300, False, "a URL"),
        SlotSpec("promo_code", 40, False, "a promo code, e.g. 'LUMEN10'"),
    )
}
"""Slots every template may use without declaring them."""

# C0/C1 controls, DEL, bidi embeddings/overrides/isolates, zero-width joiners are kept (emoji).
_DROP = {c: None for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))}
_DROP.update({c: None for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A), 0x200E, 0x200F)})
_DROP.update({ord("\n"): " ", ord("\r"): " ", ord("\t"): " ", 0x2028: " ", 0x2029: " "})
_SPACES = re.compile(r" {2,}")


class SlotValueError(ValueError):
    """A value cannot go into its slot (too long for a slot that refuses to cut)."""


def spec_for(name: str, declared: dict[str, str] | None = None) -> SlotSpec:
    """The spec of slot `name`: a standard one, or a declared one with the default cap.

    Args:
        name: the slot's name.
        declared: the template's own slots, name to description.

    Raises:
        KeyError: the slot is neither standard nor declared.
    """
    if name in STANDARD:
        return STANDARD[name]
    if declared is not None and name in declared:
        return SlotSpec(name, DECLARED_CAP, False, declared[name])
    raise KeyError(name)


def clean(value: str) -> str:
    """A value as it may appear in a reply: one line, no control or bidi characters.

    Args:
        value: untrusted text.

    Returns:
        The text in NFC form with controls removed, line breaks as spaces, trimmed.
    """
    text = unicodedata.normalize("NFC", value).translate(_DROP)
    return _SPACES.sub(" ", text).strip()


def capped(spec: SlotSpec, value: str) -> tuple[str, bool]:
    """Clean `value` and apply the slot's cap.

    Args:
        spec: the slot.
        value: untrusted text.

    Returns:
        The value to insert, and whether it was cut.

    Raises:
        SlotValueError: the value is too long and the slot refuses to cut.
    """
    text = clean(value)
    if len(text) <= spec.cap:
        return text, False
    if not spec.cut:
        raise SlotValueError(
            f"the value of {{{spec.name}}} is {len(text)} characters; at most {spec.cap}"
        )
    return text[: spec.cap - 1].rstrip() + "…", True


def first_name(display_name: str) -> str:
    """The first word of a display name, or '' when it has no letter.

    Args:
        display_name: the contact's name as the platform gave it.
    """
    for word in clean(display_name).split(" "):
        if any(ch.isalpha() for ch in word):
            return word
    return ""
