"""Answers as customers write them: numbers, amounts, dates, e-mails and phones, fr and en."""

from __future__ import annotations

from datetime import date

import pytest

from workstation.leads import contact_details, dates, numbers

TODAY = date(2026, 11, 23)  # a Monday


@pytest.mark.parametrize(("text", "value"), [
    ("200", 200), ("deux cents", 200), ("200€", 200), ("€200", 200), ("2 000 euros", 2000),
    ("2,000", 2000), ("1.5k", 1500), ("two hundred and fifty", 250), ("quatre-vingt-dix", 90),
    ("soixante et onze", 71), ("vingt et un", 21), ("une douzaine", 12), ("a dozen", 12),
    ("mille cinq cents", 1500), ("deux cent cinquante", 250), ("about 30 bags", 30),
    ("three", 3), ("trois paquets", 3),
])
def test_quantities_in_both_languages(text: str, value: int) -> None:
    assert numbers.quantity(text) == value


@pytest.mark.parametrize("text", ["je sais pas", "not sure", "", "???", "99999999999"])
def test_no_quantity_is_guessed(text: str) -> None:
    assert numbers.quantity(text) is None


def test_amounts_keep_currency_and_ranges() -> None:
    assert numbers.amount("200€") == numbers.Amount(200, "EUR")
    assert numbers.amount("budget 50$") == numbers.Amount(50, "USD")
    assert numbers.amount("entre 100 et 200 euros") == numbers.Amount(100, "EUR", 200)
    assert numbers.amount("between 100 and 200").top == 200
    assert numbers.amount("1,5") == numbers.Amount(1.5)


@pytest.mark.parametrize(("text", "day", "urgent"), [
    ("next week", date(2026, 11, 30), False),
    ("la semaine prochaine", date(2026, 11, 30), False),
    ("15/12", date(2026, 12, 15), False),
    ("15/12/2027", date(2027, 12, 15), False),
    ("12/15", date(2026, 12, 15), False),
    ("15 décembre", date(2026, 12, 15), False),
    ("Dec 15th", date(2026, 12, 15), False),
    ("le 3 janvier", date(2027, 1, 3), False),
    ("1er mars", date(2027, 3, 1), False),
    ("demain", date(2026, 11, 24), False),
    ("tomorrow", date(2026, 11, 24), False),
    ("après-demain", date(2026, 11, 25), False),
    ("in 3 days", date(2026, 11, 26), False),
    ("dans deux semaines", date(2026, 12, 7), False),
    ("in a month", date(2026, 12, 23), False),
    ("fin du mois", date(2026, 11, 30), False),
    ("lundi prochain", date(2026, 11, 30), False),
    ("friday", date(2026, 11, 27), False),
    ("pour Noël", date(2026, 12, 25), False),
    ("2026-12-01", date(2026, 12, 1), False),
    ("asap", TODAY, True),
    ("au plus vite svp", TODAY, True),
    ("tomorrow, it's urgent", date(2026, 11, 24), True),
])
def test_dates_in_both_languages(text: str, day: date, urgent: bool) -> None:
    assert dates.parse(text, TODAY) == dates.When(day, urgent)


@pytest.mark.parametrize("text", ["aucune idée", "no idea", "32/13", "hmm"])
def test_no_date_is_guessed(text: str) -> None:
    assert dates.parse(text, TODAY) is None


@pytest.mark.parametrize(("text", "found"), [
    ("lea.martin@gmail.com", "lea.martin@gmail.com"),
    ("my mail: Lea@Example.FR thanks", "Lea@example.fr"),
    ("bad@@x.com", None), ("a@b", None), ("x@localhost", None), ("joe@ex..com", None),
    ("joe@-ex.com", None), ("no e-mail here", None),
])
def test_emails_are_validated(text: str, found: str | None) -> None:
    assert contact_details.email(text) == found


@pytest.mark.parametrize(("text", "found"), [
    ("06 12 34 56 78", "+33612345678"), ("+33 6 12 34 56 78", "+33612345678"),
    ("0033612345678", "+33612345678"), ("call me 0612345678", "+33612345678"),
    ("+1 (415) 555-0100", "+14155550100"), ("tel 01.23.45.67.89", "+33123456789"),
    ("+44 20 7946 0958", "+442079460958"),
    ("15/12/2026", None), ("200", None), ("12 34", None), ("+1 (415 555-0100", None),
    ("1234567890123456789", None),
])
def test_phones_are_validated(text: str, found: str | None) -> None:
    assert contact_details.phone(text) == found
