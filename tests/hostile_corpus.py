"""The hostile input corpus: `tests/data/hostile.jsonl` plus the lines too big or too broken to
commit (a 1 MB message, raw NUL bytes, invalid UTF-8), made on the fly.

Every text in it would be live markup, a terminal escape, a template or a spoof if anything
interpreted it. Tests ingest it and check that the store keeps it exactly and that every
screen and command shows it as itself.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select

from workstation import db
from workstation.ingest import Ingestor
from workstation.models import Contact, DeadLetter, Message

CORPUS = Path(__file__).parent / "data" / "hostile.jsonl"
BIG = "[@click=app.quit]big[/] \x1b[2J " + "é€😀[x]" * 262_144  # 1 MiB of characters
LIVE = ("\x1b", "\x07", "\x9b", "\u202e", "\u2066", "\x00")
"""Characters that must never reach a terminal as themselves."""


def committed() -> list[dict[str, Any]]:
    """The corpus's events as written in the file."""
    return [json.loads(line) for line in CORPUS.read_text(encoding="utf-8").splitlines()]


def _event(ident: str, text: str, minute: int) -> dict[str, Any]:
    return {"platform": "instagram", "kind": "comment", "id": ident,
            "author": {"id": ident, "name": ident, "handle": ident}, "text": text,
            "created_at": f"2026-11-20T10:{minute:02d}:00Z", "lang": "en"}


def generated() -> tuple[list[dict[str, Any]], list[bytes]]:
    """(valid events, rejected raw lines) made here rather than committed."""
    big = _event("hostile-1mb", BIG, 1)
    nul_line = json.dumps(_event("hostile-raw-nul", "PLACEHOLDER", 2)).encode().replace(
        b"PLACEHOLDER", b"raw\x00nul")  # a raw control byte in a JSON string: not JSON
    bad_utf8 = json.dumps(_event("hostile-bad-utf8", "PLACEHOLDER", 3)).encode().replace(
        b"PLACEHOLDER", b"caf\xe9 \xff\xfe \xc3")
    return [big], [nul_line, bad_utf8]


def lines() -> tuple[list[bytes], list[dict[str, Any]], list[bytes]]:
    """(every line to ingest, the events that must be stored, the lines that must be kept as
    dead letters)."""
    valid, broken = generated()
    events = committed() + valid
    raw = [json.dumps(e).encode() + b"\n" for e in events] + [b + b"\n" for b in broken]
    return raw, events, broken


def ingest(engine: Engine, clock: Any = None) -> tuple[list[dict[str, Any]], list[bytes]]:
    """Ingest the whole corpus; return what must be stored and what must be dead letters."""
    raw, events, broken = lines()
    kwargs = {"clock": clock} if clock is not None else {}
    Ingestor(engine, source="hostile.jsonl", **kwargs).run(raw)
    return events, broken


def stored(engine: Engine) -> dict[str, tuple[str, str, str]]:
    """Each stored message by platform id: (text, author name, author handle)."""
    m, c = Message.__table__.c, Contact.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        contacts = Contact.__table__  # type: ignore[attr-defined]
        rows = conn.execute(select(m.external_id, m.text, c.name, c.handle)
                            .join(contacts, c.id == m.contact_id)).all()
    return {r.external_id: (r.text, r.name, r.handle) for r in rows}


def dead_letters(engine: Engine) -> list[bytes]:
    table = DeadLetter.__table__  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return [bytes(r) for r in conn.execute(select(table.c.raw).order_by(table.c.line_no))
                .scalars()]


def conversation_ids(engine: Engine) -> dict[str, int]:
    """Each hostile message's conversation, by the message's platform id."""
    m = Message.__table__.c  # type: ignore[attr-defined]
    with db.read(engine) as conn:
        return dict(conn.execute(select(m.external_id, m.conversation_id)).all())
