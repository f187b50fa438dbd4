"""`workstation reply`, `workstation outbox` and `workstation templates`: output and exit codes.

The threads are `recent`: the command line judges a reply by today's clock.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.core.replies.conftest import ThreadFactory
from workstation.cli import main
from workstation.services import outbox


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_dry_run_shows_the_reply_and_queues_nothing(
    engine: Engine, store_url: str, recent: ThreadFactory, agent: str,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conv = recent(lang="fr")
    code, out, err = run(capsys, "--db", store_url, "reply", str(conv), "--template",
                         "where-is-my-order", "--agent", agent, "--dry-run", "--seed", "1")
    assert (code, err) == (0, "")
    assert "Léa" in out and "Camille" in out
    assert "-- where-is-my-order (fr), public," in out
    assert outbox.list_outbox(engine) == []


def test_reply_queues_and_outbox_lists_and_cancels(
    engine: Engine, store_url: str, recent: ThreadFactory,
    capsys: pytest.CaptureFixture[str],
) -> None:
    conv = recent(kind="dm")
    code, out, _ = run(capsys, "--db", store_url, "reply", str(conv), "--template",
                       "order-status", "--slot", "order_no=BL-10482", "--slot", "delay=2 days",
                       "--key", "abc")
    assert code == 0
    assert "BL-10482" in out and "2 days" in out and "queued reply #1 (key abc)" in out
    code, out, _ = run(capsys, "--db", store_url, "outbox", "list", "--json")
    (row,) = [json.loads(line) for line in out.splitlines()]
    assert (row["state"], row["channel"], row["template"]) == ("queued", "dm", "order-status")
    assert run(capsys, "--db", store_url, "outbox", "cancel", "1")[:2] == (
        0, "reply #1 is cancelled\n")
    code, _, err = run(capsys, "--db", store_url, "outbox", "cancel", "1")
    assert code == 1 and "only a queued or failed reply can be cancelled" in err
    code, _, err = run(capsys, "--db", store_url, "outbox", "retry", "99")
    assert code == 2 and "no reply #99" in err


def test_a_refused_reply_exits_1_with_its_reasons(
    store_url: str, recent: ThreadFactory, capsys: pytest.CaptureFixture[str],
) -> None:
    conv = recent(kind="dm")
    code, out, err = run(capsys, "--db", store_url, "reply", str(conv), "--template",
                         "order-status")
    assert code == 1
    assert "workstation: blocked: no value for {order_no}" in err
    assert "‹order_no›" in out
    code, _, err = run(capsys, "--db", store_url, "reply", str(conv), "--text",
                       "Quel est votre mot de passe ?", "--json")
    assert code == 1 and "never ask for a password" in err


@pytest.mark.parametrize("args, message", [
    (["--template", "nope"], "no template 'nope'"),
    (["--template", "complaint", "--slot", "Order=1"], "--slot takes NAME=VALUE"),
    (["--template", "complaint", "--agent", "zed"], "no agent named 'zed'"),
    ([], "give --template ID"),
])
def test_usage_errors_exit_2(
    store_url: str, recent: ThreadFactory, capsys: pytest.CaptureFixture[str],
    args: list[str], message: str,
) -> None:
    conv = recent()
    code, _, err = run(capsys, "--db", store_url, "reply", str(conv), *args)
    assert code == 2 and message in err, err
    code, _, err = run(capsys, "--db", store_url, "reply", "4242", "--template", "complaint")
    assert code == 2 and "no conversation #4242" in err


def test_hostile_names_print_inert_and_stay_literal(
    store_url: str, recent: ThreadFactory, capsys: pytest.CaptureFixture[str],
) -> None:
    conv = recent(name="{agent}\x1b]52;c;ZXZpbA==\x07 [b]x[/b]")
    code, out, _ = run(capsys, "--db", store_url, "reply", str(conv), "--template",
                       "thanks-praise", "--dry-run", "--json")
    assert code == 0 and "\x1b" not in out
    assert json.loads(out)["text"].count("{agent}]52;c;ZXZpbA==") == 1


def test_templates_check_passes_on_the_shipped_set(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "templates", "check")
    assert (code, err) == (0, "")
    assert out.startswith("44 templates OK (en, fr)")


def test_templates_check_reports_file_line_reason_and_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str],
) -> None:
    (tmp_path / "en").mkdir()
    broken = tmp_path / "en" / "oops.toml"
    broken.write_text('id = "oops"\nlang = "en"\nchannel = "public"\nintents = []\n'
                      '[parts]\ngreeting = ["Hi {frist_name}"]\n'
                      'answer = ["Send us your phone number please"]\n', "utf-8")
    (tmp_path / "en" / "syntax.toml").write_text('id = "syntax"\nlang = \n', "utf-8")
    code, out, err = run(capsys, "templates", "check", str(tmp_path))
    assert code == 2
    assert err.splitlines() == [
        f"{broken}:6: part 'greeting': unknown slot {{frist_name}} (did you mean 'first_name'?);"
        " declare it under [slots] or use a standard one",
        f"{tmp_path / 'en' / 'syntax.toml'}:2: Invalid value",
    ]
    assert "2 problem(s)" in out
    broken.write_text(broken.read_text().replace("{frist_name}", "{first_name}"), "utf-8")
    (tmp_path / "en" / "syntax.toml").unlink()
    code, _, err = run(capsys, "templates", "check", str(tmp_path))
    assert code == 2
    assert err.startswith(f"{broken}:7: part 'answer' would be blocked in a public reply:")
    broken.write_text(broken.read_text().replace('"public"', '"dm"').replace(
        "phone number", "mot de passe"), "utf-8")
    code, _, err = run(capsys, "templates", "check", str(tmp_path))
    assert code == 2 and "blocked in a private message: never ask for a password" in err


def test_templates_list(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "templates", "list", "--lang", "fr", "--json")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 0 and len(rows) == 22 and {r["lang"] for r in rows} == {"fr"}
    assert all(r["max_length"] <= 2000 for r in rows)
