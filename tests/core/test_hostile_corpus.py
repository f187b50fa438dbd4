"""The hostile corpus through ingest, triage, the composer and the command line: nothing
crashes, nothing is interpreted, nothing is lost."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests import hostile_corpus as corpus
from workstation import audit, db
from workstation.cli import main
from workstation.clock import FrozenClock
from workstation.events import storable
from workstation.services import conversations as cs
from workstation.services import replies


def test_ingest_stores_every_hostile_message_exactly(engine: Engine) -> None:
    events, broken = corpus.ingest(engine)
    stored = corpus.stored(engine)
    assert set(stored) == {e["id"] for e in events}
    for event in events:
        author = event["author"]
        assert stored[event["id"]] == (storable(event["text"]), author["name"],
                                       author["handle"]), event["id"]
    assert len(stored["hostile-1mb"][0]) == len(corpus.BIG)
    assert stored["hostile-nul-escaped"][0] == "before\ufffdafter"  # neither engine keeps NUL
    assert corpus.dead_letters(engine) == broken  # the unreadable lines, byte for byte


def test_ingesting_the_corpus_again_changes_nothing(engine: Engine) -> None:
    corpus.ingest(engine)
    before = corpus.stored(engine)
    corpus.ingest(engine)
    assert corpus.stored(engine) == before


def test_triage_gives_one_verdict_per_line_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    raw, events, broken = corpus.lines()
    path = tmp_path / "hostile.jsonl"
    path.write_bytes(b"".join(raw))
    assert main(["triage", str(path), "--json"]) == 1  # some lines were rejected
    out = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [v.get("id") for v in out[: len(events)]] == [e["id"] for e in events]
    assert [v["line"] for v in out[len(events):]] == [len(events) + 1, len(events) + 2]
    assert all("error" in v for v in out[len(events):])


def test_the_command_line_prints_hostile_text_inert(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    engine = db.open_store(url)
    corpus.ingest(engine)
    conv = corpus.conversation_ids(engine)["hostile-ansi-clear"]
    cs.escalate(engine, [conv], "senior", "[@click=app.quit]r[/] \x1b]52;c;eA==\x07 \u202ex",
                actor="cli")
    capsys.readouterr()
    assert main(["--db", url, "queue", "--limit", "100"]) == 0
    assert main(["--db", url, "audit"]) == 0
    out = capsys.readouterr().out
    assert not any(ch in out for ch in corpus.LIVE)
    assert "[@click=app.quit]x[/]" in out and "[@click=app.quit]r[/]" in out
    engine.dispose()


@pytest.mark.parametrize("author", ["hostile-template-agent", "hostile-template-dollar",
                                    "hostile-template-format"])
def test_template_looking_names_fill_slots_literally(engine: Engine, author: str) -> None:
    corpus.ingest(engine)
    conv = corpus.conversation_ids(engine)[author]
    event = next(e for e in corpus.committed() if e["id"] == author)
    name = event["author"]["name"]
    template = "complaint-dm" if event["kind"] == "dm" else "complaint"
    # The corpus is dated: a reply is judged at its time, not today's (the platforms' reply
    # windows close a day or a week after the customer's message).
    clock = FrozenClock(datetime(2026, 11, 20, 12, 0, tzinfo=UTC))
    draft = replies.compose(engine, conv, template, lang="en", clock=clock)
    assert name in draft.text
    assert "<class" not in draft.text and "{agent}" not in draft.text.replace(name, "")
    sent = replies.send_reply(engine, draft, clock=clock)
    assert sent.text == draft.text


def test_hostile_reasons_and_notes_are_kept_verbatim(engine: Engine) -> None:
    corpus.ingest(engine)
    conv = corpus.conversation_ids(engine)["hostile-osc52-clipboard"]
    reason = "[@click=app.quit]why[/] \x1b[2J {0.__class__} ${x}"
    cs.escalate(engine, [conv], "senior", reason, actor="julie")
    cs.note(engine, conv, corpus.BIG[:4000], actor="julie")
    escalated = audit.list_events(engine, action="conversation.escalated")
    assert escalated[-1].details["reason"] == reason


def test_csv_reports_keep_hostile_text_inert(
    store_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    import csv
    import io

    corpus.ingest(db.open_store(store_url))
    assert main(["--db", store_url, "report", "--period", "week", "--format", "csv"]) == 0
    cells = [cell for row in csv.reader(io.StringIO(capsys.readouterr().out)) for cell in row]
    assert any("[@click=app.quit]caption[/]" in cell for cell in cells)  # shown, as text
    for cell in cells:
        assert not any(ch in cell for ch in "\x1b\x00\x07\u202e"), cell
        assert not cell.startswith(("=", "+", "-", "@")), cell  # no spreadsheet formulas
