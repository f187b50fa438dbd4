"""Template files: the shipped set, and every mistake reported as FILE:LINE: reason."""

from __future__ import annotations

from pathlib import Path

import pytest

from workstation import paths
from workstation.replies import templates

SITUATIONS = {
    "thanks-praise", "price-availability", "sales-qualifier", "where-is-my-order",
    "order-status", "shipping-delay", "refund-process", "complaint", "complaint-dm",
    "warranty", "warranty-dm", "safety-ack", "legal-ack", "human-handoff", "after-hours",
    "ugc-rights", "partnership", "spam-removal", "csat-question", "lead-reminder",
    "private-data-moved", "ugc-rights-dm",
}


def test_shipped_templates_cover_every_situation_in_both_languages(
    registry: templates.Registry,
) -> None:
    assert len(registry) >= 24
    assert set(registry.ids()) == SITUATIONS
    for template_id in SITUATIONS:
        assert registry.languages(template_id) == ["en", "fr"], template_id
    for template in registry:
        assert template.triggers, template.id
        assert template.channel in templates.CHANNELS
        assert any(len(p.variants) > 1 for p in template.parts), template.id
    assert Path(paths.shipped("templates")).is_dir()


def test_pick_falls_back_to_the_default_language_and_suggests_close_ids(
    registry: templates.Registry,
) -> None:
    assert registry.pick("complaint", "fr").lang == "fr"
    assert registry.pick("complaint", "de").lang == "en"
    with pytest.raises(KeyError, match="did you mean 'complaint'"):
        registry.pick("complaint-x", "en")


GOOD = '''id = "{name}"
lang = "en"
channel = "public"
intents = ["shipping"]
triggers = ["where is my order"]

[parts]
greeting = ["Hi {{first_name|there}},"]
answer = ["It ships in {{delay|3 days}}."]
'''


def write(tmp_path: Path, text: str, name: str = "demo", lang: str = "en") -> Path:
    folder = tmp_path / lang
    folder.mkdir(exist_ok=True)
    path = folder / f"{name}.toml"
    path.write_text(text, "utf-8")
    return path


def errors_of(tmp_path: Path) -> list[str]:
    return [str(e) for e in templates.check(tmp_path)[1]]


def test_a_good_file_loads(tmp_path: Path) -> None:
    write(tmp_path, GOOD.format(name="demo"))
    registry = templates.load(tmp_path)
    assert [t.id for t in registry] == ["demo"]


@pytest.mark.parametrize("old, new, line, reason", [
    ('answer = ["It ships in {{delay|3 days}}."]', 'answer = ["It ships {{ordr_no}}."]', 9,
     "unknown slot {ordr_no} (did you mean 'order_no'?)"),
    ('answer = ["It ships in {{delay|3 days}}."]', 'answer = ["{{agent.__class__}}"]', 9,
     "attribute access"),
    ('answer = ["It ships in {{delay|3 days}}."]', 'answer = ["It ships {{delay"]', 9,
     "'{' is never closed"),
    ('answer = ["It ships in {{delay|3 days}}."]', 'anwser = ["x"]', 9,
     "unknown part 'anwser' (did you mean 'answer'?)"),
    ('channel = "public"', 'channel = "story"', 3, "channel must be one of public, dm, any"),
    ('lang = "en"', 'lang = "fr"', 2, "lang 'fr' does not match the folder 'en'"),
    ('id = "{name}"', 'id = "other"', 1, "id 'other' must match the file name 'demo'"),
    ('intents = ["shipping"]', 'intents = "shipping"', 4, "intents must be a list"),
    ('triggers = ["where is my order"]', 'trigers = ["x"]', 5,
     "unknown key 'trigers' (did you mean 'triggers'?)"),
    ('greeting = ["Hi {{first_name|there}},"]', 'greeting = []', 8,
     "must be a list of 1 to 20 variants"),
    ('greeting = ["Hi {{first_name|there}},"]', 'greeting = ["Hi", "Hi"]', 8,
     "lists the same variant twice"),
    ('greeting = ["Hi {{first_name|there}},"]', 'greeting = ["x" = 1]', 8, "Unclosed array"),
])
def test_each_mistake_is_reported_with_its_line(
    tmp_path: Path, old: str, new: str, line: int, reason: str
) -> None:
    text = GOOD.replace(old, new)
    path = write(tmp_path, text.format(name="demo"))
    found = errors_of(tmp_path)
    assert any(e.startswith(f"{path}:{line}: ") and reason in e for e in found), found


def test_missing_keys_bad_utf8_and_duplicates_are_errors(tmp_path: Path) -> None:
    write(tmp_path, 'id = "demo"\nlang = "en"\n')
    bad = write(tmp_path, "", name="bad")
    bad.write_bytes(b'id = "bad"\xff\n')
    write(tmp_path, GOOD.format(name="twin").replace('id = "twin"', 'id = "twin"'), name="twin")
    nested = tmp_path / "en" / "more"
    nested.mkdir()
    (nested / "twin.toml").write_text(GOOD.format(name="twin"), "utf-8")
    found = errors_of(tmp_path)
    assert any("demo.toml:1: missing required key 'channel'" in e for e in found)
    assert any("demo.toml:1: missing required key 'parts'" in e for e in found)
    assert any("bad.toml:1: not UTF-8 text" in e for e in found)
    assert any("twin.toml:1: template 'twin' in 'en' is also defined in" in e for e in found)


def test_a_template_that_could_render_past_the_cap_is_refused(tmp_path: Path) -> None:
    long = "x" * 990
    text = GOOD.format(name="demo").replace(
        'answer = ["It ships in {delay|3 days}."]', f'answer = ["{long}"]\nnext_step = ["{long}"]')
    path = write(tmp_path, text)
    assert any(e.startswith(f"{path}:7: can render up to") for e in errors_of(tmp_path))


def test_an_empty_or_missing_folder_is_an_error(tmp_path: Path) -> None:
    assert "no template" in errors_of(tmp_path)[0]
    assert "not a folder" in [str(e) for e in templates.check(tmp_path / "nope")[1]][0]
    with pytest.raises(templates.TemplatesInvalid):
        templates.load(tmp_path)
