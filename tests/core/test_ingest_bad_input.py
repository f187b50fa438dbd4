"""Bad lines are rejected with a reason and kept as dead letters; hostile text is stored as is."""

from __future__ import annotations

import io
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, select

from tests.factories import event, jsonl
from workstation import db
from workstation.clock import FrozenClock
from workstation.ingest import Ingestor
from workstation.models import DeadLetter, Message

NOW = datetime(2026, 11, 21, tzinfo=UTC)

BAD = [
    (b"{not json", "not valid JSON"),
    (b"[1, 2]", "expected a JSON object, got list"),
    (jsonl({k: v for k, v in event("x").items() if k != "platform"}).strip(),
     "missing required field platform"),
    (jsonl(event("x", author={"handle": "nobody"})).strip(), "missing required field author.id"),
    (jsonl(event("x", author={"id": "u", "followers": "12"})).strip(),
     "author.followers must be an integer"),
    (jsonl(event("x", author={"id": "u", "verified": "yes"})).strip(),
     "author.verified must be true or false"),
    (jsonl(event("x", text=42)).strip(), "text must be a string, got int"),
    (jsonl(event(7)).strip(), "id must be a string, got int"),
    (jsonl(event("x", kind="story")).strip(), "kind must be one of comment, dm, mention"),
    (jsonl(event("x", created_at="2026-02-30T10:00:00Z")).strip(), "not an RFC 3339 timestamp"),
    (jsonl(event("x", created_at="2026-11-20T10:00:00")).strip(), "no time zone offset"),
    (jsonl(event("x", created_at="2031-01-01T00:00:00Z")).strip(), "in the future"),
    (jsonl(event("x", created_at="1969-12-31T00:00:00Z")).strip(), "impossibly old"),
    (b'{"platform": "x", "text": "caf\xe9"}', "invalid UTF-8 at byte 31"),
    (jsonl(event("x", direction="sideways")).strip(), "direction must be in or out"),
    (jsonl(event("x", post={"caption": "no id"})).strip(), "missing required field post.id"),
    (jsonl(event("x", lang="english")).strip(), "lang is not an ISO 639-1 code"),
]


def run(engine: Engine, data: bytes) -> tuple[object, list[str]]:
    seen: list[str] = []
    ingestor = Ingestor(engine, clock=FrozenClock(NOW), source="in.jsonl", on_reject=seen.append)
    return ingestor.run(io.BytesIO(data)), seen


@pytest.mark.parametrize(("line", "reason"), BAD, ids=[r for _, r in BAD])
def test_a_bad_line_is_rejected_kept_and_the_rest_ingested(
    engine: Engine, line: bytes, reason: str
) -> None:
    report, seen = run(engine, jsonl(event("good-1"), line, event("good-2")))
    assert (report.ingested, report.rejected) == (2, 1)
    assert len(seen) == 1 and seen[0].startswith("in.jsonl:2: ")
    assert reason in seen[0]
    assert "\n" not in seen[0]
    with db.read(engine) as conn:
        (letter,) = conn.execute(select(DeadLetter.__table__)).mappings().all()
    assert letter["raw"] == line and letter["line_no"] == 2 and letter["source"] == "in.jsonl"


def test_reasons_never_echo_control_characters(engine: Engine) -> None:
    _, seen = run(engine, jsonl(event("x", kind="\x1b[2J\x1b]52;c;aGk=\x07")))
    assert "\x1b" not in seen[0] and "\x07" not in seen[0]


def test_blank_lines_are_skipped_silently(engine: Engine) -> None:
    report, seen = run(engine, b"\n   \n" + jsonl(event("a")) + b"\r\n")
    assert (report.ingested, report.rejected, seen) == (1, 0, [])


HOSTILE = {
    "huge": "é" * 1_000_000,
    "controls": "\x1b[31mred\x1b[0m \x1b]8;;file:///etc/passwd\x07link\x1b]8;;\x07 \x07\x08",
    "emoji": "👩‍👩‍👧‍👦" * 500 + "🏳️‍🌈",
    "rtl": "\u202eevil.exe\u202c مرحبا שלום",
    "markup": "[@click=app.quit]x[/] [link=file:///etc]y {agent} ${x} {0.__class__}",
}


@pytest.mark.parametrize("name", list(HOSTILE))
def test_hostile_text_is_stored_exactly(engine: Engine, name: str) -> None:
    report, _ = run(engine, jsonl(event("h", text=HOSTILE[name], author={"id": "u", "name": HOSTILE[name][:300]})))
    assert report.ingested == 1
    with db.read(engine) as conn:
        text = conn.execute(select(Message.__table__.c.text)).scalar_one()
    assert text == HOSTILE[name]


def test_nul_and_lone_surrogates_are_replaced_not_refused(engine: Engine) -> None:
    raw = b'{"platform":"x","kind":"dm","id":"n","author":{"id":"u"},"text":"a\\u0000b\\ud800c",' \
          b'"created_at":"2026-11-20T10:00:00Z"}'
    report, _ = run(engine, raw + b"\n")
    assert report.ingested == 1
    with db.read(engine) as conn:
        text = conn.execute(select(Message.__table__.c.text)).scalar_one()
    assert text == "a\ufffdb\ufffdc"
