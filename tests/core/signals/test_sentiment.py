"""Sentiment: French rules (negation, intensity, contrast), English support phrases, labels."""

from __future__ import annotations

import math
import sys
import time

import pytest

from workstation.signals import sentiment
from workstation.signals.sentiment import label, score


def fr(text: str) -> str:
    return label(score(text, "fr"))


def en(text: str) -> str:
    return label(score(text, "en"))


@pytest.mark.parametrize(
    "text",
    [
        "trop bien",
        "génial",
        "genial !!",
        "merci",
        "Super café, je recommande",
        "franchement une tuerie, le nouvel assemblage 🔥",
        "emballage impeccable",
        "j'adore",
        "pas mal du tout",
        "pas cher et très bon",
        "Le meilleur espresso que j'ai bu cette année",
        "putain, trop bon ce moka",
        "le moka n'a jamais été si bon",
        "ça valait le coup",
        "😍😍",
        "Merciii",
    ],
)
def test_french_positive(text: str) -> None:
    assert fr(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "nul",
        "déçu",
        "décue",  # missing accent and wrong cedilla: still "déçue"
        "arnaque",
        "scandaleux",
        "honteux",
        "je ne suis pas content",
        "pas content du tout",
        "j'aime pas",
        "je ne recommande pas",
        "ça marche pas",
        "l'appareil ne s'allume plus",
        "toujours pas reçu",
        "toujours pas de retour du SAV",
        "commande jamais arrivée",
        "livraison en retard",
        "le moulin est cassé",
        "c'est pas terrible",
        "plus jamais je repasse par votre site",
        "moins bon qu'avant",
        "j'en ai marre",
        "nuuuul",
        "😡",
        "un peu déçu par la torréfaction cette fois",
    ],
)
def test_french_negative(text: str) -> None:
    assert fr(text) == "negative"


@pytest.mark.parametrize(
    "text",
    [
        "prix?",
        "dispo ?",
        "vous expédiez en Suisse ?",
        "quel réglage de mouture pour un filtre ?",
        "c combien le kilo de moka",
        "Bon, je vais réfléchir",
        "Bien sûr",
        "",
    ],
)
def test_french_neutral(text: str) -> None:
    assert fr(text) == "neutral"


def test_french_negation_flips_and_dampens() -> None:
    assert score("content", "fr") > 0 > score("pas content", "fr")
    assert score("mauvais", "fr") < 0 < score("pas mauvais", "fr")
    assert score("pas mauvais", "fr") < score("bon", "fr")
    assert score("cher", "fr") < 0 < score("moins cher", "fr")
    # "plus" negates only after "ne": "plus rapide" is a comparison
    assert score("plus rapide", "fr") > 0 > score("ne marche plus", "fr")


def test_french_intensity_capitals_and_exclamation() -> None:
    assert score("très bon", "fr") > score("bon", "fr") > score("assez bon", "fr") > 0
    assert score("trop nul", "fr") < score("nul", "fr")
    assert score("c'est NUL vraiment", "fr") < score("c'est nul vraiment", "fr")
    assert score("génial !!!", "fr") > score("génial", "fr")


def test_french_contrast_weighs_what_follows_mais() -> None:
    assert fr("le café est bon mais la livraison est catastrophique") == "negative"
    assert fr("livraison un peu lente mais le café est excellent") == "positive"


def test_french_accents_are_optional() -> None:
    assert score("decu", "fr") == pytest.approx(score("déçu", "fr"))
    assert score("GENIAL", "fr") == pytest.approx(score("génial", "fr"))
    assert score("tres decevant", "fr") == pytest.approx(score("très décevant", "fr"))


@pytest.mark.parametrize(
    "text",
    [
        "I love this coffee",
        "best espresso I've tasted in ages",
        "Not bad at all",
        "🔥🔥 these beans are unreal",
        "Pricey, but worth it!",
    ],
)
def test_english_positive(text: str) -> None:
    assert en(text) == "positive"


@pytest.mark.parametrize(
    "text",
    [
        "still waiting for my money back",
        "my grinder is broken",
        "The grinder arrived broken",
        "the order never arrived",
        "late delivery again, third time this month",
        "I was charged twice for one bag",
        "the machine is leaking",
        "beans were stale",
        "not happy",
        "no reply to my emails",
        "worst customer service ever",
    ],
)
def test_english_negative(text: str) -> None:
    assert en(text) == "negative"


@pytest.mark.parametrize(
    "text",
    ["What grind size for a moka pot?", "do you deliver to Norway?", "order 1234", "Hi there"],
)
def test_english_neutral(text: str) -> None:
    assert en(text) == "neutral"


def test_other_languages_use_vader_for_emoji() -> None:
    assert label(score("Hola 😍😍", "es")) == "positive"
    assert label(score("Paket kaputt 😡", "de")) == "negative"


def test_label_thresholds() -> None:
    assert label(sentiment.NEGATIVE_BELOW) == "negative"
    assert label(sentiment.POSITIVE_ABOVE) == "positive"
    assert label(0.0) == "neutral"
    assert label(-1.0) == "negative"
    assert label(1.0) == "positive"
    assert label(math.nan) == "neutral"
    assert sentiment.NEGATIVE_BELOW < 0 < sentiment.POSITIVE_ABOVE


def test_vader_is_built_lazily() -> None:
    code = (
        "import sys; import workstation.signals.sentiment as s;"
        "print(s._VADER is None, 'vaderSentiment.vaderSentiment' in sys.modules)"
    )
    import subprocess

    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout.split()
    assert out == ["True", "False"]


HOSTILE = [
    "\x00",
    "\x00" * 10_000,
    "nul\x00nul",
    "\u202e",
    "\u202etnellecxe\u202c",
    "مرحبا، الطلب لم يصل",
    "👨‍👩‍👧‍👦" * 300,
    "🏳️‍🌈❤️‍🔥",
    "\ud800",
    "a\udfffb",
    "!" * 100_000,
    "?" * 10_000,
    ":(" * 5_000,
    "'" * 10_000,
    "ne pas " * 10_000,
    "mais " * 10_000,
    "très " * 10_000 + "bon",
    "http://" + "a" * 100_000,
    "\u0301" * 100,
    "\t\r\n",
]


@pytest.mark.parametrize("text", HOSTILE)
@pytest.mark.parametrize("lang", ["fr", "en", "de", "xx", ""])
def test_hostile_input_gives_a_bounded_score(text: str, lang: str) -> None:
    value = score(text, lang)
    assert isinstance(value, float)
    assert -1.0 <= value <= 1.0
    assert label(value) in ("negative", "neutral", "positive")


@pytest.mark.parametrize("lang", ["fr", "en"])
def test_a_megabyte_is_capped_and_fast(lang: str) -> None:
    text = "le café est bon et pas cher " * 40_000  # ~1 MB
    start = time.perf_counter()
    value = score(text, lang)
    assert time.perf_counter() - start < 0.5
    assert -1.0 <= value <= 1.0
    # what lies past MAX_CHARS is not read
    tail = "x" * sentiment.MAX_CHARS + " arnaque scandaleux nul"
    assert score(tail, lang) == 0.0
