"""The compiled word-list matcher behind intents, rule keywords and cues."""

from __future__ import annotations

import pytest

from workstation.signals.lexicon import Lexicon, TermError, fold, normalise


def labels(lexicon: Lexicon, text: str) -> list[tuple[str, str]]:
    return [(h.label, h.term) for h in lexicon.find(normalise(text))]


def test_folding_ignores_case_accents_and_apostrophes() -> None:
    assert fold("Remboursé À L’ŒIL") == "rembourse a l oeil"
    assert normalise("C'est COMBIEN ???").tokens == ("c", "est", "combien", "???")


def test_phrases_match_whole_words_only() -> None:
    lexicon = Lexicon()
    lexicon.extend("shipping", ["where is my order", "order"])
    assert labels(lexicon, "Where is my ORDER?") == [
        ("shipping", "where is my order"), ("shipping", "order")]
    assert labels(lexicon, "border control") == []


def test_a_star_matches_any_ending() -> None:
    lexicon = Lexicon()
    lexicon.add("refund", "rembours*")
    lexicon.add("safety", "bris* de verre")
    assert labels(lexicon, "vous me remboursez ?") == [("refund", "rembours*")]
    assert labels(lexicon, "des brisures de verre") == [("safety", "bris* de verre")]
    assert labels(lexicon, "rembo") == []


def test_fuzzy_terms_forgive_typos_but_not_other_words() -> None:
    lexicon = Lexicon()
    lexicon.add_fuzzy("refund", "refund")
    lexicon.add_fuzzy("shipping", "livraison")
    assert [h.label for h in lexicon.find(normalise("i want a refnud"))] == ["refund"]
    assert [h.label for h in lexicon.find(normalise("la livrasion"))] == ["shipping"]
    assert lexicon.find(normalise("i want a fund")) == []


def test_patterns_run_on_re2_against_folded_text() -> None:
    lexicon = Lexicon()
    lexicon.add_pattern("order", r"\bcommande\s+n?\d{4,}")
    lexicon.add_pattern("redos", r"(a+)+$")
    assert [h.label for h in lexicon.find(normalise("Commande 12345"))] == ["order"]
    # A pattern that backtracks catastrophically in Python's re is linear in RE2.
    assert lexicon.find(normalise("a" * 4000 + "!")) == []


@pytest.mark.parametrize("term", ["", "   ", "ab*", "--"])
def test_unusable_terms_are_refused(term: str) -> None:
    with pytest.raises(TermError):
        Lexicon().add("x", term)


def test_bad_regex_is_refused_with_re2_reason() -> None:
    with pytest.raises(TermError, match="bad regex"):
        Lexicon().add_pattern("x", "(?<=look)behind")


@pytest.mark.parametrize("text", ["\x00" * 10, "é" * 1_000_000, "\u202eabc", "👩‍👩‍👧" * 100,
                                  "[b]{agent}${x}"])
def test_hostile_text_never_breaks_matching(text: str) -> None:
    lexicon = Lexicon()
    lexicon.extend("x", ["agent", "abc"])
    lexicon.add_fuzzy("x", "agents")
    lexicon.add_pattern("x", r"\d+")
    lexicon.find(normalise(text))
    assert len(normalise(text).text) <= 5000
