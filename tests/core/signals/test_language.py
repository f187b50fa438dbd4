"""Language detection: French versus English on short inbox texts, hints, hostile input."""

from __future__ import annotations

import subprocess
import sys

import pytest

from workstation.signals import language
from workstation.signals.language import detect

FRENCH = [
    "prix?",
    "dispo ?",
    "c combien",
    "Merci !",
    "trop bien",
    "nul",
    "Bonjour",
    "déçu",
    "arnaque",
    "ouvert dimanche ?",
    "toujours pas reçu",
    "je ne suis pas content",
    "pas mal du tout",
    "j'ai pas reçu mon colis",
    "le moulin est cassé",
    "Ça marche pas",
    "La boutique est ouverte demain matin ?",
    "des nouvelles de ma commande ?",
    "livraison gratuite dès combien ?",
    "grave bon ce café",
    # franglais: English words inside a French sentence
    "ce latte est trop good, je kiffe",
    "Hello, vous livrez le samedi ?",
    "Hello, on peut avoir un discount code pour le black friday ?",
    "le pack est top, love it 😍 merci",
]

ENGLISH = [
    "price?",
    "still waiting",
    "love it",
    "best coffee ever",
    "Thanks!",
    "broken grinder",
    "late delivery",
    "refund please",
    "not bad",
    "where is my order",
    "Is it in stock?",
    "how much",
    "my grinder is broken",
    "any news on my parcel?",
    "when will it ship",
    "great beans, the café in town is lovely",
    "Ordered the Torréfaction blend last week and it hasn't shipped",
]

OTHERS = {
    "es": ["¿Cuánto cuesta el molinillo?", "El pedido no ha llegado todavía", "me encanta"],
    "de": ["Wie viel kostet die Mühle?", "Meine Bestellung ist noch nicht angekommen"],
    "it": ["Il mio ordine non è ancora arrivato", "Buonissimo questo caffè, grazie!"],
    "pt": ["Meu pedido ainda não chegou", "Vocês entregam no Brasil?"],
    "nl": ["Mijn bestelling is nog niet aangekomen", "De machine is kapot"],
}


@pytest.mark.parametrize("text", FRENCH)
def test_short_french_is_french(text: str) -> None:
    assert detect(text) == "fr"


@pytest.mark.parametrize("text", ENGLISH)
def test_short_english_is_english(text: str) -> None:
    assert detect(text) == "en"


@pytest.mark.parametrize(("lang", "text"), [(k, t) for k, ts in OTHERS.items() for t in ts])
def test_other_supported_languages(lang: str, text: str) -> None:
    assert detect(text) == lang


@pytest.mark.parametrize(
    "text", ["😍😍😍", "🔥", "👍🏽", "12/11", "https://example.com/x", "@shop", ""]
)
def test_no_evidence_falls_back_to_english_or_the_hint(text: str) -> None:
    assert detect(text) == "en"
    assert detect(text, "fr") == "fr"


def test_a_valid_hint_wins_over_the_text() -> None:
    assert detect("where is my order", "fr") == "fr"
    assert detect("où est ma commande", "EN") == "en"
    assert detect("où est ma commande", "pt-BR") == "pt"
    assert detect("où est ma commande", "ja") == "ja"


@pytest.mark.parametrize(
    "hint", ["", "x", "xx", "und", "fra", "french", "f1", "\x00\x00", "é", None]
)
def test_an_invalid_hint_is_ignored(hint: str | None) -> None:
    assert detect("où est ma commande", hint) == "fr"
    assert detect("where is my order", hint) == "en"


def test_links_and_handles_are_not_evidence() -> None:
    # the handle and the URL are full of French-looking letters; the words are English
    text = "@la_maison_des_cafés thanks for the tip https://exemple.fr/très-été-château"
    assert detect(text) == "en"


def test_curly_apostrophes_count_as_elisions() -> None:
    assert detect("j’aime") == "fr"
    assert detect("don’t") == "en"


@pytest.mark.parametrize(
    "text",
    [
        "\x00",
        "\x00" * 10_000,
        "\u202e",
        "\u202eelbirret \u202c",
        "👨‍👩‍👧‍👦" * 500,
        "\ud800 lone surrogate",
        "\u0301" * 100,
        "'" * 10_000,
        "a" * 1_000_000,
        "z" * 3_000 + " merci",
    ],
)
def test_hostile_input_returns_a_code(text: str) -> None:
    assert detect(text) in language.LANGUAGES


def test_a_megabyte_of_text_is_read_by_its_start() -> None:
    text = "le café est arrivé cassé " * 40_000  # ~1 MB
    assert detect(text) == "fr"


def test_only_the_start_of_a_long_text_is_read() -> None:
    text = "where is my order " * 200 + "je ne suis pas content " * 10_000
    assert detect(text) == "en"


def test_deterministic_across_processes() -> None:
    code = (
        "from workstation.signals.language import detect;"
        "print([detect(t) for t in ('prix?', 'hello', 'de la', 'merci 🙏', 'ok')])"
    )
    runs = {
        subprocess.run(
            [sys.executable, "-c", code], capture_output=True, text=True, check=True
        ).stdout
        for _ in range(2)
    }
    assert len(runs) == 1
    assert detect("de la") == "fr"

