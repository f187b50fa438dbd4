"""A broken edit never replaces the rules in force."""

from __future__ import annotations

import os

from workstation.rules import LiveRules


def touch_later(path) -> None:
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns + 1_000_000_000))


def test_a_good_edit_applies_and_a_broken_one_keeps_the_last_good_rules(write_rules) -> None:
    path = write_rules('\n[[rules]]\nname = "one"\nwhen = { vip = true }\ndo = { tag = "a" }\n')
    live = LiveRules(path)
    assert [r.name for r in live.current().rules] == ["one"]

    path.write_text(path.read_text().replace('name = "one"', 'name = "two"'))
    touch_later(path)
    assert [r.name for r in live.current().rules] == ["two"] and live.problems == []

    path.write_text(path.read_text().replace("vip = true", 'vip = "maybe"'))
    touch_later(path)
    assert [r.name for r in live.current().rules] == ["two"]
    assert len(live.problems) == 1 and "rules[1].when.vip must be true or false" in live.problems[0]
