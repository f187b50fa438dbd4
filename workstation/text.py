"""Making untrusted text inert for a terminal.

Platform text can carry escape sequences (clear screen, OSC 52 clipboard writes, OSC 8
links), and bidi overrides that reorder what follows. Anything printed
by the CLI or drawn by the UI goes through `inert` first; the stored text stays as it came.
"""

from __future__ import annotations

# Bidi embeddings, overrides and isolates: they reorder the rest of a line.
_BIDI = {chr(c) for c in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))}
_TABLE = {ord(c): "\ufffd" for c in _BIDI}
_TABLE.update({c: "\ufffd" for c in (*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0))})
_TABLE[ord("\t")] = " "


def inert(text: str, *, keep_newlines: bool = False, limit: int | None = None) -> str:
    """Replace control, escape and bidi-override characters so `text` prints as itself.

    Args:
        text: untrusted text.
        keep_newlines: keep line breaks (a message body) instead of replacing them.
        limit: cut to this many characters, marking the cut with an ellipsis.
    """
    if limit is not None and len(text) > limit:
        text = text[: max(limit - 1, 0)] + "…"
    if keep_newlines:
        text = text.replace("\r\n", "\n")
        table = dict(_TABLE)
        table[ord("\n")] = "\n"
        return text.translate(table)
    return text.translate(_TABLE)



_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_cell(value: object) -> str:
    """Untrusted text as a CSV cell: inert (a CSV is often read in a terminal first), and
    never taken for a formula by a spreadsheet (OWASP's list: = + - @ tab CR get a quote)."""
    text = "" if value is None else str(value)
    if text.startswith(_FORMULA_STARTS):
        text = "'" + text
    return inert(text)


LAST_TEXT = 200
"""Characters of a message a queue row keeps."""


def first_line(text: str, limit: int = LAST_TEXT) -> str:
    """The first non-empty line of a message, cut for a queue row."""
    for line in text.splitlines():
        if line.strip():
            return line.strip()[:limit]
    return ""
