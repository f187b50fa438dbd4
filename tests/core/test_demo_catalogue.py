"""The demo catalogue: slots, taxonomies, coverage of both languages, sizes, fill()."""

from __future__ import annotations

import re
from collections import Counter

import pytest

from workstation.demo import catalogue as cat

ALLOWED_SLOTS = {"product", "order_no", "delay", "first_name", "agent", "city", "price"}
INTENTS = {
    "purchase", "shipping", "refund", "complaint", "warranty", "safety", "legal", "praise",
    "question", "ugc", "partnership",
}  # fmt: skip
MODERATION = {"spam", "profanity", "hate", "harassment", "threat", "doxxing", "pii_self"}
KINDS = {"comment", "dm", "mention"}
SLOT_RE = re.compile(r"\{(\w+)\}")

# Scenario families every language must have (names are shared between languages).
REQUIRED = (
    "price-question", "availability", "want-to-order", "subscription-question",
    "where-is-my-order", "shipping-delay", "refund-request", "complaint", "complaint-angry",
    "vip-complaint", "warranty", "warranty-repeat", "safety", "legal", "data-request", "praise",
    "ugc", "partnership", "partnership-vip", "brewing-question", "shop-info", "spam",
    "profanity", "harassment", "pii-self", "threat", "hate", "franglais", "sarcasm", "negation",
    "short", "keyword-trap", "tag-friend",
)  # fmt: skip


def _by(lang: str) -> dict[str, cat.Scenario]:
    return {s.name: s for s in cat.SCENARIOS if s.lang == lang}


def _texts(s: cat.Scenario) -> tuple[str, ...]:
    return s.openers + s.followups + s.replies


def test_taxonomy_constants_match_the_contract():
    assert set(cat.SLOTS) == ALLOWED_SLOTS
    assert set(cat.INTENTS) == INTENTS
    assert set(cat.MODERATION) == MODERATION
    assert set(cat.KINDS) == KINDS


@pytest.mark.parametrize("s", cat.SCENARIOS, ids=lambda s: f"{s.lang}:{s.name}")
def test_texts_use_only_allowed_slots(s):
    for text in _texts(s):
        assert set(SLOT_RE.findall(text)) <= ALLOWED_SLOTS, text
        stripped = SLOT_RE.sub("", text)
        assert "{" not in stripped and "}" not in stripped, text


@pytest.mark.parametrize("s", cat.SCENARIOS, ids=lambda s: f"{s.lang}:{s.name}")
def test_texts_are_clean_single_messages(s):
    for text in _texts(s):
        assert text and text == " ".join(text.split()), repr(text)
        assert " | " not in text and not text.startswith(("+ ", "> ")), text
        assert "\\" not in text, text
        assert "http" not in text.lower() and "www." not in text.lower(), text
        # Any domain-looking token must be a reserved example domain.
        for dom in re.findall(r"[\w-]+(?:\.[\w-]+)*\.(?:com|net|org|biz|io|ly|fr|uk|co)\b", text):
            assert dom.startswith("example.") or dom == "example.com", (dom, text)


@pytest.mark.parametrize("s", cat.SCENARIOS, ids=lambda s: f"{s.lang}:{s.name}")
def test_scenario_shape(s):
    assert re.fullmatch(r"[a-z]+(-[a-z]+)*", s.name)
    assert s.lang in ("en", "fr")
    assert s.kinds and set(s.kinds) <= KINDS and len(set(s.kinds)) == len(s.kinds)
    assert s.weight > 0
    assert set(s.intents) <= INTENTS and len(set(s.intents)) == len(s.intents)
    assert set(s.moderation) <= MODERATION
    assert s.resolution in cat.RESOLUTIONS
    assert len(s.openers) >= 6
    assert len(s.replies) >= 3
    if {"spam", "hate"} & set(s.moderation):
        assert s.followups == ()
    else:
        assert len(s.followups) >= 3
    for part in (s.openers, s.followups, s.replies):
        assert len(set(part)) == len(part), f"duplicate text in {s.lang}:{s.name}"


def test_names_are_unique_per_language():
    keys = Counter((s.lang, s.name) for s in cat.SCENARIOS)
    assert [k for k, n in keys.items() if n > 1] == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_each_language_has_every_required_family(lang):
    missing = [name for name in REQUIRED if name not in _by(lang)]
    assert missing == []


@pytest.mark.parametrize("lang", ["en", "fr"])
def test_family_labels(lang):
    sc = _by(lang)
    assert sc["vip-complaint"].vip and sc["partnership-vip"].vip
    assert not sc["partnership"].vip and not sc["complaint"].vip
    assert sc["threat"].moderation == ("threat",)
    assert sc["hate"].moderation == ("hate",)
    assert sc["hate"].intents == ()
    assert sc["spam"].moderation == ("spam",)
    assert sc["profanity"].moderation == ("profanity",)
    assert sc["harassment"].moderation == ("harassment",)
    assert sc["pii-self"].moderation == ("pii_self",) and sc["pii-self"].kinds == ("comment",)
    for name, primary in [
        ("price-question", "purchase"), ("want-to-order", "purchase"), ("short", "purchase"),
        ("where-is-my-order", "shipping"), ("refund-request", "refund"),
        ("complaint-angry", "complaint"), ("warranty", "warranty"),
        ("warranty-repeat", "warranty"), ("safety", "safety"), ("legal", "legal"),
        ("data-request", "legal"), ("praise", "praise"), ("ugc", "ugc"),
        ("partnership", "partnership"), ("brewing-question", "question"),
    ]:  # fmt: skip
        assert sc[name].intents[0] == primary, name
    assert "complaint" in sc["warranty-repeat"].intents
    clean = [s for s in sc.values() if not s.moderation]
    assert all(s.intents or s.name == "tag-friend" for s in clean)


def test_short_messages_and_caps_are_there():
    fr_short = set(_by("fr")["short"].openers)
    assert {"prix?", "dispo?", "??"} <= fr_short
    for lang in ("en", "fr"):
        angry = _by(lang)["complaint-angry"].openers
        assert any(re.search(r"\b[A-ZÉÈ]{4,}\b.*\b[A-ZÉÈ]{4,}\b", o) for o in angry)
    assert any("scandaleux" in o.lower() for o in _by("fr")["complaint-angry"].openers)
    assert any("never again" in o.lower() for o in _by("en")["complaint-angry"].openers)


def test_relative_weights_are_realistic():
    for lang in ("en", "fr"):
        sc = _by(lang)
        assert sc["praise"].weight > sc["complaint"].weight > sc["safety"].weight
        assert sc["price-question"].weight > sc["legal"].weight
        assert sc["threat"].weight < 1 and sc["hate"].weight < 1


def test_enough_distinct_openers():
    openers = {o for s in cat.SCENARIOS for o in s.openers}
    assert len(openers) >= 300


def test_names_cities_products():
    for lang in ("en", "fr"):
        assert len(set(cat.FIRST_NAMES[lang])) == len(cat.FIRST_NAMES[lang]) >= 40
        assert len(set(cat.LAST_NAMES[lang])) == len(cat.LAST_NAMES[lang]) >= 30
        assert len(set(cat.CITIES[lang])) == len(cat.CITIES[lang]) >= 10
    names = [n for n, _ in cat.PRODUCTS]
    assert len(set(names)) == len(names) >= 10
    assert all(isinstance(p, int) and p > 0 for _, p in cat.PRODUCTS)
    for wanted in ("Sidamo", "Huila", "Yirgacheffe", "Moulin M1", "Moulin M2", "Lumen Duo"):
        assert wanted in names


def test_agents():
    assert len(cat.AGENTS) == 6
    logins = [a[0] for a in cat.AGENTS]
    assert len(set(logins)) == 6
    assert Counter(a[2] for a in cat.AGENTS) == {
        "agent": 3, "senior": 1, "supervisor": 1, "admin": 1,
    }  # fmt: skip
    for _, display, _, langs in cat.AGENTS:
        assert set(langs.split(",")) <= {"fr", "en"} and langs
        assert len(display.split()) >= 2
    assert cat.AGENT_FIRST_NAMES == tuple(a[1].split()[0] for a in cat.AGENTS)


def test_campaigns_and_bot_acks():
    assert len(cat.CAMPAIGNS) >= 10
    assert {p for _, p, _ in cat.CAMPAIGNS} == {"instagram", "facebook", "tiktok", "linkedin", "x"}
    for slug, _, caption in cat.CAMPAIGNS:
        assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)*", slug)
        assert caption and "{" not in caption and "}" not in caption
    for lang in ("en", "fr"):
        assert len(cat.BOT_ACKS[lang]) == 3
        assert all("{" not in t and "}" not in t for t in cat.BOT_ACKS[lang])


VALUES = {
    "product": "Sidamo",
    "order_no": "BL-10482",
    "delay": "3 days",
    "first_name": "Léa",
    "agent": "Julie",
    "city": "Nantes",
    "price": "14 €",
}


def test_fill_replaces_every_slot():
    text = "Hi {first_name}, {product} is {price}; {order_no} ships in {delay} to {city}. {agent}"
    assert cat.fill(text, VALUES) == (
        "Hi Léa, Sidamo is 14 €; BL-10482 ships in 3 days to Nantes. Julie"
    )
    assert cat.fill("{product} and {product}", VALUES) == "Sidamo and Sidamo"
    assert cat.fill("no slots here", {}) == "no slots here"


def test_fill_is_not_a_template_engine():
    # A value holding a slot is inserted as is, never expanded a second time.
    tricky = dict(VALUES, first_name="{agent} {0} {x.__class__}")
    assert cat.fill("Hi {first_name} from {agent}", tricky) == (
        "Hi {agent} {0} {x.__class__} from Julie"
    )
    # Braces that are not slots stay as they are.
    assert cat.fill("{unknown} {} { product } {product", VALUES) == (
        "{unknown} {} { product } {product"
    )
    with pytest.raises(KeyError):
        cat.fill("Hi {first_name}", {})


def test_every_catalogue_text_fills_completely():
    for s in cat.SCENARIOS:
        for text in _texts(s):
            out = cat.fill(text, VALUES)
            assert "{" not in out and "}" not in out, text
