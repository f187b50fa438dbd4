"""Private data in messages: found, validated, and told apart by owner (EN and FR).

The numbers are made up: test card numbers, textbook IBANs, phone numbers of the right form.
"""

from __future__ import annotations


import pytest

from workstation.signals.moderation import detect, find_pii, iban_valid, luhn


def owners(text: str) -> list[str]:
    return [owner for owner, _ in find_pii(text)]


# --- validators ---------------------------------------------------------------------------


@pytest.mark.parametrize(("digits", "valid"), [
    ("4111111111111111", True), ("5555555555554444", True), ("378282246310005", True),
    ("4111111111111112", False), ("1234567812345678", False), ("", False), ("4111-1111", False),
])
def test_luhn(digits: str, valid: bool) -> None:
    assert luhn(digits) is valid


@pytest.mark.parametrize(("iban", "valid"), [
    ("FR76 3000 6000 0112 3456 7890 189", True), ("fr1420041010050500013M02606", True),
    ("GB82 WEST 1234 5698 7654 32", True), ("DE89370400440532013000", True),
    ("FR76 3000 6000 0112 3456 7890 188", False),  # one digit off
    ("FR76 3000 6000 0112 3456 7890 18", False),  # too short for France
    ("XX76 3000 6000 0112 3456 7890 189", False),  # no such country
])
def test_iban_mod_97(iban: str, valid: bool) -> None:
    assert iban_valid(iban) is valid


# --- cards and bank accounts --------------------------------------------------------------


def test_a_card_number_counts_only_when_luhn_valid() -> None:
    assert detect("charged twice, my card is 4111 1111 1111 1111", "en").categories == (
        "pii_self",)
    assert detect("charged twice, my card is 4111 1111 1111 1112", "en").categories == ()
    assert owners("ma carte 5555-5555-5555-4444 a été débitée deux fois") == ["self"]


def test_card_ending_digits_are_the_customers_own() -> None:
    assert detect("Charged twice on my card ending in 9921, please help", "en").categories == (
        "pii_self",)


def test_iban_in_a_comment() -> None:
    assert detect("Remboursez-moi sur mon IBAN FR76 3000 6000 0112 3456 7890 189",
                  "fr").categories == ("pii_self",)
    assert detect("IBAN FR76 3000 6000 0112 3456 7890 188", "fr").categories == ()


def test_evidence_masks_the_data() -> None:
    (result,) = find_pii("my card is 4111 1111 1111 1111")
    assert result == ("self", "card …1111")
    evidence = detect("mon mail c'est zoe.martin@example.org", "fr").evidence["pii_self"]
    assert evidence == ("email …@example.org",)
    assert "zoe.martin" not in " ".join(evidence)


# --- own data versus someone else's -------------------------------------------------------


@pytest.mark.parametrize(("text", "lang"), [
    ("my email is jane.doe@example.com if you need it", "en"),
    ("mon mail c'est zoe.martin@example.org", "fr"),
    ("appelez-moi au 06 12 34 56 78 svp", "fr"),
    ("vous pouvez me joindre au +33 6 12 34 56 78", "fr"),
    ("s'il vous plaît rappelez au 06 12 34 56 78", "fr"),
    ("call me at (555) 123-4567 after 5pm", "en"),
    ("my order LU-12345 and my phone is 07 98 76 54 32", "en"),
    ("I moved, I live at 27 Baker Street now", "en"),
    ("j'habite au 8 bis rue des Lilas, 69004 Lyon", "fr"),
    ("mon numéro de sécu 1 85 05 78 006 084 91", "fr"),
])
def test_a_customers_own_data_is_pii_self(text: str, lang: str) -> None:
    assert detect(text, lang).categories == ("pii_self",)


@pytest.mark.parametrize(("text", "lang"), [
    ("her email is jane.doe@example.com, go tell her what you think", "en"),
    ("call him at +44 7911 123456", "en"),
    ("Marc's number is 06 11 22 33 44", "en"),
    ("her address is 4 rue de la Paix, Paris", "en"),
    ("the barista lives at 12 Elm Street, go ask him", "en"),
    ("voici le numéro de Julie : 06 12 34 56 78", "fr"),
    ("il habite au 12 rue des Tanneurs à Lyon", "fr"),
    ("son adresse c'est 3 avenue Foch", "fr"),
])
def test_someone_elses_data_is_doxxing(text: str, lang: str) -> None:
    assert "doxxing" in detect(text, lang).categories


@pytest.mark.parametrize("text", [
    "order MT-10482 still not here, paid €34.90 on 12/05/2024",
    "I called your number 01 23 45 67 89 twice",  # the brand's own, public line
    "bought 2 bags, 250 g each, 3 weeks ago",
    "commande n° 1234567890 toujours pas reçue",  # an order number is not a phone
    "reach us at @maison_torrefaction",
    "tracking 1Z999AA10123456784 says delivered",
])
def test_not_private_data(text: str) -> None:
    assert find_pii(text) == []


def test_several_items_keep_their_own_owner() -> None:
    found = find_pii("my email is me@example.com and her phone is 06 12 34 56 78")
    assert found == [("self", "email …@example.com"), ("other", "phone …5678")]


def test_trailing_digits_do_not_hide_a_phone() -> None:
    assert owners("appelez-moi au 06 39 98 14 27 2 fois par jour") == ["self"]


@pytest.mark.parametrize("text", [
    "0612 " * 200_000, "4111 " * 200_000, "a@b.c " * 150_000, "12 rue " * 150_000,
    "@" * 500_000, "+" * 300_000 + "33", "fr76" * 250_000,
])
def test_hostile_input_is_bounded(text: str) -> None:
    result = find_pii(text)
    assert isinstance(result, list) and len(result) <= 50
