"""The slot renderer: a whitelist of names in braces, replaced by plain strings, once.

Not `str.format`: a format string can walk attributes (`{0.__class__}`) and build huge strings
(`{0:>999999999}`), see research/platforms.md E.4. Here a template is parsed when it is loaded
into literal text and slot references; rendering only concatenates. A value is inserted as the
string it is and never read again, so a customer named `{agent}` or `[b]` stays literal. Values
and the output are length-capped.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import slots
from .slots import SLOT_NAME, SlotValueError

if TYPE_CHECKING:
    from .templates import Template

MAX_OUTPUT = 2000
"""No rendered reply is longer than this, whatever the platform allows."""
MAX_VARIANT = 1000
"""Longest text of one variant, in characters."""
PLACEHOLDER_OPEN, PLACEHOLDER_CLOSE = "‹", "›"
"""Around a slot's name in a preview where it has no value and no fallback; such a draft
cannot be sent."""
_SPACES = re.compile(r"(?<=\S) {2,}")


@dataclass(frozen=True, slots=True)
class Slot:
    """A reference to a slot in a variant: `{name}` or `{name|fallback}`."""

    name: str
    fallback: str | None


Segment = str | Slot
"""A piece of a parsed variant: literal text, or a slot."""


@dataclass(frozen=True, slots=True)
class Variant:
    """One wording of a part, parsed once at load time."""

    text: str
    """The source text, as written in the file."""
    segments: tuple[Segment, ...]
    key: str
    """A short hash of the text: rotation remembers wordings, not positions in a list."""

    @property
    def slot_names(self) -> tuple[str, ...]:
        """The slots this wording uses, in order of appearance."""
        return tuple(s.name for s in self.segments if isinstance(s, Slot))


@dataclass(frozen=True, slots=True)
class Part:
    """A part of a reply (greeting, empathy, answer...) and its interchangeable wordings."""

    name: str
    variants: tuple[Variant, ...]


@dataclass(frozen=True, slots=True)
class Rendered:
    """A rendered reply and what went into it."""

    text: str
    choices: dict[str, int]
    """Part name to the index of the variant used."""
    keys: dict[str, str]
    """Part name to the key of the variant used."""
    missing: tuple[str, ...] = ()
    """Slots that had no value and no fallback (shown as ‹name› in `text`)."""
    refused: tuple[str, ...] = ()
    """Why a value was refused (too long for a slot that does not cut)."""
    cut: tuple[str, ...] = ()
    """Slots whose value was cut to the cap."""

    @property
    def complete(self) -> bool:
        """Whether every slot was filled and every value accepted."""
        return not self.missing and not self.refused


class SlotSyntaxError(ValueError):
    """A variant's text is not valid slot syntax; `offset` is where, in characters."""

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(reason)
        self.offset = offset
        self.reason = reason


def variant(text: str) -> Variant:
    """Parse one wording.

    Raises:
        SlotSyntaxError: unbalanced braces, a bad slot name, attribute access or a format spec.
    """
    return Variant(text, parse(text), hashlib.blake2s(text.encode(), digest_size=6).hexdigest())


def parse(text: str) -> tuple[Segment, ...]:
    """Split text into literal pieces and slot references.

    `{{` and `}}` stand for literal braces. Inside braces only `name` or `name|fallback` is
    accepted; anything that looks like `str.format` syntax is an error, not a feature.

    Raises:
        SlotSyntaxError: see `variant`.
    """
    out: list[Segment] = []
    literal: list[str] = []
    i, n = 0, len(text)
    while i < n:
        ch = text[i]
        if ch == "}":
            if text.startswith("}}", i):
                literal.append("}")
                i += 2
                continue
            raise SlotSyntaxError(i, "'}' without a matching '{' (write '}}' for a brace)")
        if ch != "{":
            literal.append(ch)
            i += 1
            continue
        if text.startswith("{{", i):
            literal.append("{")
            i += 2
            continue
        end = text.find("}", i + 1)
        inner_open = text.find("{", i + 1)
        if end < 0 or 0 <= inner_open < end:
            raise SlotSyntaxError(i, "'{' is never closed (write '{{' for a brace)")
        if literal:
            out.append("".join(literal))
            literal = []
        out.append(_slot(text[i + 1 : end], i))
        i = end + 1
    if literal:
        out.append("".join(literal))
    return tuple(out)


def _slot(inner: str, offset: int) -> Slot:
    name, bar, fallback = inner.partition("|")
    name = name.strip()
    if not name:
        raise SlotSyntaxError(offset, "empty slot name '{}'")
    if not SLOT_NAME.fullmatch(name):
        if any(c in name for c in ".[]:!()"):
            raise SlotSyntaxError(
                offset, f"'{{{inner}}}': attribute access, indexing and format specs are not"
                " allowed; a slot is {name} or {name|fallback}",
            )
        raise SlotSyntaxError(
            offset, f"bad slot name {name!r}: lower-case letters, digits and '_' only"
        )
    if not bar:
        return Slot(name, None)
    if "|" in fallback:
        raise SlotSyntaxError(offset, f"'{{{inner}}}' has more than one '|'")
    if len(fallback) > slots.FALLBACK_CAP:
        raise SlotSyntaxError(
            offset, f"the fallback of {{{name}}} is longer than {slots.FALLBACK_CAP} characters"
        )
    return Slot(name, fallback)


def render(
    template: Template,
    values: Mapping[str, str],
    choices: Mapping[str, int] | None = None,
) -> Rendered:
    """Render `template` with `values`, using the variant `choices[part]` of each part.

    Never raises for a missing or refused value: the preview shows ‹slot› in its place and
    `Rendered.complete` is False, so the composer can show what is left to fill.

    Args:
        template: a loaded template.
        values: slot name to untrusted text; empty values count as missing.
        choices: part name to variant index; a part not named uses its first variant.

    Returns:
        The rendered text (at most `MAX_OUTPUT` characters) and what went into it.
    """
    choices = choices or {}
    filled: dict[str, str] = {}
    refused: list[str] = []
    cut: list[str] = []
    for name in template.slot_names:
        raw = values.get(name) or ""
        if not raw:
            continue
        try:
            value, was_cut = slots.capped(slots.spec_for(name, template.slots), raw)
        except SlotValueError as exc:
            refused.append(str(exc))
            continue
        if value:
            filled[name] = value
        if was_cut:
            cut.append(name)
    missing: list[str] = []
    pieces: list[str] = []
    used: dict[str, int] = {}
    keys: dict[str, str] = {}
    for part in template.parts:
        index = choices.get(part.name, 0)
        if not 0 <= index < len(part.variants):
            index = 0
        chosen = part.variants[index]
        used[part.name] = index
        keys[part.name] = chosen.key
        text = _fill(chosen.segments, filled, missing)
        if text.strip():
            pieces.append(text.strip())
    separator = "\n" if template.layout == "lines" else " "
    text = separator.join(pieces)
    if len(text) > MAX_OUTPUT:
        text = text[: MAX_OUTPUT - 1] + "…"
        refused.append(f"the reply is longer than {MAX_OUTPUT} characters")
    return Rendered(
        text, used, keys, tuple(dict.fromkeys(missing)), tuple(refused), tuple(cut)
    )


def render_variant(template: Template, variant_: Variant, values: Mapping[str, str]) -> str:
    """One wording alone, with `values` (cleaned and capped like a full render).

    Used to check every wording of a template on its own, e.g. against the guardrails.
    """
    filled = {}
    for name in variant_.slot_names:
        if values.get(name):
            try:
                filled[name] = slots.capped(slots.spec_for(name, template.slots), values[name])[0]
            except SlotValueError:
                continue
    return _fill(variant_.segments, filled, []).strip()


def _fill(segments: tuple[Segment, ...], filled: Mapping[str, str], missing: list[str]) -> str:
    out: list[str] = []
    for seg in segments:
        if isinstance(seg, str):
            out.append(seg)
        elif seg.name in filled:
            out.append(filled[seg.name])
        elif seg.fallback is not None:
            out.append(seg.fallback)
        else:
            missing.append(seg.name)
            out.append(PLACEHOLDER_OPEN + seg.name + PLACEHOLDER_CLOSE)
    return _SPACES.sub(" ", "".join(out))


def worst_case_length(template: Template) -> int:
    """The longest text `template` can render, with every slot at its cap.

    Used at load time so that a template that could exceed `MAX_OUTPUT` is refused early.
    """
    total = 0
    for part in template.parts:
        longest = 0
        for v in part.variants:
            size = 0
            for seg in v.segments:
                if isinstance(seg, str):
                    size += len(seg)
                else:
                    spec = slots.spec_for(seg.name, template.slots)
                    size += max(spec.cap, len(seg.fallback or ""))
            longest = max(longest, size)
        total += longest + 1
    return max(total - 1, 0)
