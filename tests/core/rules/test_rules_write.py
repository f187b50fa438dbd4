"""Appending a rule to rules.toml: escaped, checked whole, atomic, comments kept."""

from __future__ import annotations

import os
import shutil
import stat
import sysconfig
import tomllib
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workstation import paths
from workstation.rules import LiveRules, load
from workstation.rules.draft import document_frequency, suggest_name, suggest_terms
from workstation.rules.write import (
    NotWritable, RuleDraft, RuleRefused, appending, not_writable, rule_text, terms,
)

AT = datetime(2026, 3, 2, 9, 30, tzinfo=UTC)
HOSTILE = ('say "hi"', 'triple """ quote', "single ''' quote", "back\\slash", "[b]x[/b]",
           "[[rules]]", "new\nline", "nul\x00byte", "bell\x07esc\x1b[2J", "\u2028sep",
           "tab\there", "crlf\r\n", "é ü 😀")


@pytest.fixture
def rules_file(tmp_path: Path) -> Path:
    """A copy of the shipped rules.toml, which is what a team starts from."""
    path = tmp_path / "rules" / "rules.toml"
    path.parent.mkdir()
    shutil.copy(paths.shipped("rules.toml"), path)
    return path


def add(path: Path, draft: RuleDraft, conversation_id: int | None = 7) -> str:
    with appending(path, draft, actor="helene", at=AT, conversation_id=conversation_id) as ready:
        ready.install()
        return ready.added


def test_hostile_values_become_toml_only_through_escaping() -> None:
    # RuleDraft.problems refuses control characters in words; the escaping must hold anyway.
    draft = RuleDraft(name="x", keywords=HOSTILE, review=" | ".join(HOSTILE), tags=HOSTILE)
    text = rule_text(draft, actor="hel\nene [x]", at=AT, conversation_id=3)
    parsed = tomllib.loads(text)
    assert parsed == {"rules": [draft.table()]}
    assert text.splitlines()[0] == "# Added by hel?ene [x] on 2026-03-02 09:30 UTC from conversation #3"
    assert "\x00" not in text and "\x1b" not in text  # escaped, not written raw


def test_a_rule_with_hostile_words_is_appended_and_loads(rules_file: Path) -> None:
    words = ('he said """free""" [giveaway]', "c'est \"gratuit\"", "x] name #1", "[[rules]] x", "a\\b c")
    add(rules_file, RuleDraft(name="hostile-words", keywords=words, tags=("spam",)))
    rule = load(rules_file).rules[-1]
    assert rule.name == "hostile-words"
    assert tomllib.loads(rules_file.read_text())["rules"][-1]["when"]["keywords"] == list(words)


def test_comments_and_bytes_before_the_new_rule_are_kept(rules_file: Path) -> None:
    old = rules_file.read_bytes()
    added = add(rules_file, RuleDraft(name="wave", keywords=("free giveaway",), hide=True))
    new = rules_file.read_bytes()
    assert new.startswith(old) and new.endswith(added.encode())
    assert new[len(old):].decode() == "\n" + added
    assert added.startswith("# Added by helene on 2026-03-02 09:30 UTC from conversation #7\n")
    # The last of the [[rules]], after the sections that follow them in the file.
    rules = load(rules_file).rules
    assert rules[-1].name == "wave" and rules[-1].when.words
    assert [r.name for r in rules[:-1]] == [r.name for r in load(
        paths.shipped("rules.toml")).rules]


def test_a_file_without_a_final_newline_still_gets_a_separate_table(rules_file: Path) -> None:
    rules_file.write_bytes(rules_file.read_bytes().rstrip(b"\n") + b"  # the end")
    add(rules_file, RuleDraft(name="wave", keywords=("giveaway",), tags=("spam",)))
    assert load(rules_file).rules[-1].name == "wave"


@pytest.mark.parametrize("draft, reason", [
    (RuleDraft(name="sales-lead", keywords=("x",), tags=("a",)), "two rules are named"),
    (RuleDraft(name="r", keywords=("x",), reply="no-such-template"), "unknown template"),
    (RuleDraft(name="r", regex=("(unclosed",), tags=("a",)), "bad regex"),
    (RuleDraft(name="r", keywords=('"""',), tags=("a",)), "not a word"),
    (RuleDraft(name="r", keywords=("nul\x00",), tags=("a",)), "control character"),
    (RuleDraft(name="r", keywords=(), tags=("a",)), "at least one word"),
    (RuleDraft(name="R!", keywords=("x",), tags=("a",)), "rule name"),
    (RuleDraft(name="r", keywords=("x",)), "something to do"),
    (RuleDraft(name="r", keywords=("x",), stop=True), "something to do"),
    (RuleDraft(name="r", keywords=("x",), route="ceo"), "unknown role"),
])
def test_a_refused_rule_leaves_the_file_byte_identical(rules_file: Path, draft: RuleDraft,
                                                       reason: str) -> None:
    old = rules_file.read_bytes()
    with pytest.raises(RuleRefused) as refused:
        add(rules_file, draft)
    assert reason in " ".join(refused.value.problems)
    assert rules_file.read_bytes() == old
    assert os.listdir(rules_file.parent) == ["rules.toml"]  # no temporary file left


def test_a_check_failure_is_reported_with_the_real_path_and_line(rules_file: Path) -> None:
    lines = len(rules_file.read_text().splitlines())
    with pytest.raises(RuleRefused) as refused:
        add(rules_file, RuleDraft(name="r", keywords=("x",), dm="nope"))
    (problem,) = refused.value.problems
    where, line, _ = problem.rsplit(":", 2)[0], int(problem.split(":")[1]), None
    assert where.startswith(str(rules_file)) and line > lines


def test_rules_written_as_an_inline_array_are_not_appended_to(tmp_path: Path) -> None:
    path = tmp_path / "rules.toml"
    source = paths.shipped("rules.toml").read_text()
    head = source[:source.index("# ── Rules: when")]
    tail = source[source.index("# ═", source.index("[[rules]]")):]
    # Top-level keys come before the first table: the array goes at the very start.
    path.write_text('rules = [{ name = "a", when = { vip = true }, do = { tag = "a" } }]\n'
                    + head + tail)
    load(path)  # a valid file
    old = path.read_bytes()
    with pytest.raises(RuleRefused):
        add(path, RuleDraft(name="b", keywords=("x",), tags=("b",)))
    assert path.read_bytes() == old


def test_the_write_is_atomic_and_keeps_the_mode(rules_file: Path) -> None:
    rules_file.chmod(0o640)
    inode = rules_file.stat().st_ino
    add(rules_file, RuleDraft(name="wave", keywords=("giveaway",), tags=("spam",)))
    assert stat.S_IMODE(rules_file.stat().st_mode) == 0o640
    assert rules_file.stat().st_ino != inode  # a new file moved over, not rewritten in place
    assert os.listdir(rules_file.parent) == ["rules.toml"]


def test_a_failure_after_install_puts_the_old_file_back(rules_file: Path) -> None:
    old = rules_file.read_bytes()
    with pytest.raises(RuntimeError):
        with appending(rules_file, RuleDraft(name="w", keywords=("x",), tags=("a",)),
                       actor="helene", at=AT) as ready:
            ready.install()
            assert load(rules_file).rules[-1].name == "w"
            raise RuntimeError("the audit could not be written")
    assert rules_file.read_bytes() == old
    assert os.listdir(rules_file.parent) == ["rules.toml"]


def test_live_rules_pick_the_new_rule_up(rules_file: Path) -> None:
    live = LiveRules(rules_file)
    before = len(live.current().rules)
    add(rules_file, RuleDraft(name="wave", keywords=("free giveaway",), hide=True))
    rules = live.current().rules
    assert len(rules) == before + 1 and rules[-1].name == "wave" and live.problems == []


def test_an_installed_copy_is_refused_with_the_fix(rules_file: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    real = sysconfig.get_paths()
    monkeypatch.setattr(sysconfig, "get_paths",
                        lambda: {**real, "purelib": str(rules_file.parent)})
    reason = not_writable(rules_file)
    assert reason is not None and "WORKSTATION_RULES" in reason and "\n" not in reason
    old = rules_file.read_bytes()
    with pytest.raises(NotWritable, match="point WORKSTATION_RULES at the copy"):
        add(rules_file, RuleDraft(name="w", keywords=("x",), tags=("a",)))
    assert rules_file.read_bytes() == old


def test_a_read_only_file_is_refused(rules_file: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    # The tests may run as root, for whom every file is writable: ask os.access instead.
    monkeypatch.setattr(os, "access", lambda path, mode: Path(path) != rules_file)
    assert "is not writable" in (not_writable(rules_file) or "")


def test_terms_split_on_commas_and_lines_and_drop_control_characters() -> None:
    assert terms("free giveaway, check  my\tchannel\n\x1b[2Jfree giveaway,, ") == (
        "free giveaway", "check my channel", "[2Jfree giveaway")


def test_the_suggestion_is_the_message_s_rarest_phrase() -> None:
    inbox = ["where is my order", "check the order please", "love it, check this"] * 10
    found = suggest_terms("FREE GIVEAWAY!!! check my channel for the order",
                          document_frequency(inbox))
    assert found == ("free giveaway",)
    assert suggest_terms("!!! 123 ok") == ()
    assert suggest_name(found, {"free-giveaway"}) == "free-giveaway-2"
