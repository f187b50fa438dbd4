"""The command line: exit codes, one-line errors, and each command's output."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.factories import event, jsonl
from workstation.cli import main


@pytest.fixture
def store(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def write(tmp_path: Path, data: bytes) -> str:
    path = tmp_path / "events.jsonl"
    path.write_bytes(data)
    return str(path)


def test_clean_file_exits_0_with_one_summary_line(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, jsonl(event("a"), event("b"), event("a")))
    assert main(["--db", store, "ingest", path]) == 0
    out, err = capsys.readouterr()
    assert out == "ingested 2, duplicates 1, rejected 0 (2 new conversations)\n"
    assert err == ""


def test_rejected_lines_exit_1_with_file_line_reason(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, jsonl(event("a"), "{oops", event("b", kind="story")))
    assert main(["--db", store, "ingest", path]) == 1
    out, err = capsys.readouterr()
    assert err.splitlines() == [
        f"{path}:2: not valid JSON: Expecting property name enclosed in double quotes (column 2)",
        f"{path}:3: kind must be one of comment, dm, mention; got 'story'",
    ]
    assert "Traceback" not in err
    assert out.startswith("ingested 1, duplicates 0, rejected 2")


def test_usage_and_configuration_errors_exit_2(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", store, "ingest", str(tmp_path / "missing.jsonl")]) == 2
    assert capsys.readouterr().err == f"workstation: error: {tmp_path / 'missing.jsonl'}: no such file\n"
    assert main(["--db", "mysql://x/y", "queue"]) == 2
    assert "unsupported database engine" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exit_info:
        main(["no-such-command"])
    assert exit_info.value.code == 2


def test_unreachable_server_is_one_line_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", "postgresql://nobody@127.0.0.1:1/none", "queue"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("workstation: error: cannot reach the database") and err.count("\n") == 1


@pytest.mark.parametrize(
    "command", [[], ["db"], ["db", "upgrade"], ["ingest"], ["triage"], ["audit"], ["demo"], ["queue"]]
)
def test_every_command_has_help(command: list[str], capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        main([*command, "--help"])
    assert exit_info.value.code == 0
    assert "usage: workstation" in capsys.readouterr().out


def test_triage_json_prints_one_verdict_per_line_in_order(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, jsonl(event("a", text="Bonjour, c'est combien ?"), "[]", event("b")))
    assert main(["triage", path, "--json"]) == 1
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [line.get("id") for line in lines] == ["a", None, "b"]
    assert lines[0]["lang"] == "fr"
    assert lines[1] == {"line": 2, "error": "expected a JSON object, got list"}
    assert set(lines[2]) == {"id", "lang", "sentiment", "intents", "moderation", "priority",
                             "sla", "route", "rules", "actions", "tags"}


def test_audit_lists_what_ingest_did(
    tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["--db", store, "ingest", write(tmp_path, jsonl(event("a"), event("b", thread="t")))])
    capsys.readouterr()
    assert main(["--db", store, "audit", "--json"]) == 0
    events = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [e["action"] for e in events] == ["conversation.opened"] * 2
    assert main(["--db", store, "audit", "--conversation", "2", "--actor", "ingest"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1


def test_queue_output_is_inert(tmp_path: Path, store: str, capsys: pytest.CaptureFixture[str]) -> None:
    hostile = event("a", text="\x1b[2J\x1b]52;c;Zm9v\x07 hi", author={"id": "u", "handle": "\u202eevil"})
    main(["--db", store, "ingest", write(tmp_path, jsonl(hostile))])
    capsys.readouterr()
    assert main(["--db", store, "queue"]) == 0
    out = capsys.readouterr().out
    assert "\x1b" not in out and "\u202e" not in out and "hi" in out


def test_console_script_is_installed() -> None:
    bin_dir = Path(sys.executable).parent
    result = subprocess.run([bin_dir / "workstation", "--version"], capture_output=True, text=True)
    assert result.returncode == 0 and result.stdout.startswith("workstation ")
