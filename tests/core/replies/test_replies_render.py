"""The slot renderer: syntax, fallbacks, hostile values, length caps, speed."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation.replies import render, slots, templates
from workstation.replies.render import Slot, SlotSyntaxError, parse


def make(tmp_path: Path, body: str, *, name: str = "t", extra: str = "") -> templates.Template:
    folder = tmp_path / "en"
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(f'id = "{name}"\nlang = "en"\nchannel = "any"\nintents = []\n{extra}'
                    f"[parts]\n{body}", "utf-8")
    template, errors = templates.load_file(path)
    assert errors == [], [str(e) for e in errors]
    assert template is not None
    return template


def test_parse_splits_literals_slots_and_escaped_braces() -> None:
    assert parse("Hi {first_name|there}, {{literal}} {agent}") == (
        "Hi ", Slot("first_name", "there"), ", {literal} ", Slot("agent", None),
    )


@pytest.mark.parametrize("text, reason", [
    ("Hi {first_name", "never closed"),
    ("Hi }", "without a matching"),
    ("Hi {}", "empty slot name"),
    ("{first_name.__class__}", "attribute access"),
    ("{agent[0]}", "attribute access"),
    ("{agent:>999999999}", "format specs"),
    ("{agent!r}", "attribute access"),
    ("{Agent}", "bad slot name"),
    ("{a|b|c}", "more than one '|'"),
    ("{agent|" + "x" * 81 + "}", "longer than 80"),
])
def test_str_format_syntax_is_refused(text: str, reason: str) -> None:
    with pytest.raises(SlotSyntaxError, match=reason.replace("'", ".")):
        parse(text)


def test_fallbacks_fill_missing_values_and_empty_fallbacks_vanish(tmp_path: Path) -> None:
    t = make(tmp_path, 'greeting = ["Bonjour {first_name|} !"]\n'
                       'signoff = ["— {agent|The Lumen team}"]\n')
    assert render.render(t, {}).text == "Bonjour ! — The Lumen team"
    assert render.render(t, {"first_name": "Léa", "agent": "Sam"}).text == "Bonjour Léa ! — Sam"


def test_a_slot_without_value_or_fallback_is_reported_not_sent(tmp_path: Path) -> None:
    t = make(tmp_path, 'answer = ["Order {order_no} left today."]\n')
    result = render.render(t, {})
    assert result.missing == ("order_no",)
    assert not result.complete
    assert result.text == "Order ‹order_no› left today."


@pytest.mark.parametrize("hostile", [
    "{agent}", "{first_name|x}", "{{agent}}", "[b]bold[/b]", "[@click=app.quit]x[/]",
    "$agent", "%(agent)s", "{0.__class__}", "{agent:>99999}",
])
def test_inserted_values_are_never_interpreted(tmp_path: Path, hostile: str) -> None:
    t = make(tmp_path, 'greeting = ["Hi {first_name|there}, from {agent}"]\n')
    result = render.render(t, {"first_name": hostile, "agent": "Sam"})
    assert result.text == f"Hi {hostile}, from Sam"


def test_values_lose_control_and_bidi_characters_and_line_breaks(tmp_path: Path) -> None:
    t = make(tmp_path, 'greeting = ["Hi {first_name|there}!"]\n')
    value = "Lé\x1b[31ma\u202e\r\nMartin\x00"
    assert render.render(t, {"first_name": value}).text == "Hi Lé[31ma Martin!"


def test_names_are_cut_to_their_cap_and_order_numbers_refused(tmp_path: Path) -> None:
    t = make(tmp_path, 'answer = ["{first_name|there}: order {order_no|?}"]\n')
    result = render.render(t, {"first_name": "A" * 500, "order_no": "B" * 41})
    cap = slots.STANDARD["first_name"].cap
    assert result.text.startswith("A" * (cap - 1) + "…: order ?")
    assert result.cut == ("first_name",)
    assert result.refused == ("the value of {order_no} is 41 characters; at most 40",)
    assert not result.complete


def test_declared_slots_work_and_worst_case_output_is_capped(tmp_path: Path) -> None:
    t = make(tmp_path, 'answer = ["Back {hours|soon}."]\n', extra='[slots]\nhours = "when"\n')
    assert render.render(t, {"hours": "at 9"}).text == "Back at 9."
    assert render.worst_case_length(t) <= render.MAX_OUTPUT


def test_choices_pick_the_variant_and_lines_layout_breaks_lines(tmp_path: Path) -> None:
    t = make(tmp_path, 'greeting = ["A", "B"]\nanswer = ["C", "D"]\n',
             extra='layout = "lines"\n')
    result = render.render(t, {}, {"greeting": 1, "answer": 0})
    assert result.text == "B\nC"
    assert result.choices == {"greeting": 1, "answer": 0}
    assert result.keys["greeting"] == t.part("greeting").variants[1].key
