"""Every guardrail, in English and in French, and its configuration in rules.toml."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from workstation import paths
from workstation.replies import guardrails as g
from workstation.replies.detectors import iban_valid, luhn, x_length

NOW = datetime(2026, 11, 20, 10, 0, tzinfo=UTC)


def codes(text: str, **ctx: object) -> list[str]:
    base: dict[str, object] = {"platform": "instagram", "channel": "public"}
    base.update(ctx)
    return [v.code for v in g.check(text, g.ReplyContext(**base))]  # type: ignore[arg-type]


@pytest.mark.parametrize("text, code", [
    ("Your card 4111 1111 1111 1111 was refunded", "private_data.card"),
    ("Votre carte 4111-1111-1111-1111 a été remboursée", "private_data.card"),
    ("Refund sent to GB82 WEST 1234 5698 7654 32", "private_data.iban"),
    ("Virement fait sur FR76 3000 6000 0112 3456 7890 189", "private_data.iban"),
    ("We'll write to lea.martin@gmail.com", "private_data.email"),
    ("On vous écrit à lea.martin@orange.fr", "private_data.email"),
    ("We'll call you on +44 7700 900123", "private_data.phone"),
    ("On vous rappelle au 06 12 34 56 78", "private_data.phone"),
    ("The courier will go to 221 Baker Street tomorrow", "private_data.address"),
    ("Le livreur passera au 8 rue de la Paix demain", "private_data.address"),
])
def test_a_public_reply_must_not_contain_private_data(text: str, code: str) -> None:
    assert code in codes(text)
    assert code not in codes(text, channel="dm")


@pytest.mark.parametrize("text, code", [
    ("Could you share your card number so we can refund?", "private_data.card"),
    ("Pouvez-vous nous donner votre numéro de carte ?", "private_data.card"),
    ("Please post your IBAN so we can refund you", "private_data.iban"),
    ("Envoyez-nous votre RIB pour le remboursement", "private_data.iban"),
    ("What is your password on the shop?", "private_data.password"),
    ("Quel est votre mot de passe sur la boutique ?", "private_data.password"),
    ("Sorry about your allergic reaction!", "private_data.health"),
    ("Désolés pour votre réaction allergique !", "private_data.health"),
    ("Could you give us your phone number?", "private_data.phone"),
    ("Pouvez-vous nous laisser votre numéro de téléphone ?", "private_data.phone"),
    ("What's your email address?", "private_data.email"),
    ("Quelle est votre adresse e-mail ?", "private_data.email"),
    ("Could you confirm your delivery address?", "private_data.address"),
    ("Pouvez-vous confirmer votre adresse de livraison ?", "private_data.address"),
])
def test_a_public_reply_must_not_ask_for_private_data(text: str, code: str) -> None:
    assert code in codes(text)


@pytest.mark.parametrize("text", [
    "Could you send us your phone number by DM?",
    "Envoyez-nous votre adresse de livraison en message privé.",
    "Drop us a private message with your e-mail address.",
    "Écrivez à partenariats@brulerielumen.fr ou passez au 12 rue des Torréfacteurs",
    "Call us on +33 2 40 00 00 00",
    "Your order BL-10482 ships within 3 days; tracking on brulerielumen.fr/suivi/123456789",
])
def test_asking_in_private_and_the_brands_own_details_are_fine(text: str) -> None:
    assert codes(text) == []


@pytest.mark.parametrize("text", [
    "Could you DM us your card number?", "Envoyez-nous votre mot de passe en MP",
])
def test_some_data_is_never_asked_for_even_in_a_dm(text: str) -> None:
    assert any(c in ("private_data.card", "private_data.password")
               for c in codes(text, channel="dm"))


def test_the_customers_own_details_on_file_are_caught() -> None:
    ctx = {"contact_email": "Lea@Example.org", "contact_phone": "+33 6 98 76 54 32"}
    assert "private_data.email" in codes("Sent to lea@example.org", **ctx)
    assert "private_data.phone" in codes("On a appelé le 0698765432", **ctx)


@pytest.mark.parametrize("text", [
    "We're sorry, it's our fault and we are liable.",
    "We take full responsibility for the burn.",
    "Désolés, c'est de notre faute.",
    "Nous reconnaissons notre responsabilité.",
    "Désolés, c’est notre FAUTE.",
])
@pytest.mark.parametrize("intent", ["safety", "legal"])
def test_no_admission_of_liability_on_safety_and_legal_threads(text: str, intent: str) -> None:
    assert "liability" in codes(text, channel="dm", intents=(intent,))
    assert "liability" not in codes(text, channel="dm", intents=("complaint",))


@pytest.mark.parametrize("platform, channel, size, blocked", [
    ("x", "public", 280, False), ("x", "public", 281, True),
    ("tiktok", "public", 150, False), ("tiktok", "public", 151, True),
    ("instagram", "public", 2200, False), ("instagram", "public", 2201, True),
    ("instagram", "dm", 1001, True), ("facebook", "public", 8000, False),
    ("facebook", "dm", 2001, True), ("youtube", "public", 2001, True),
])
def test_platform_length_limits(platform: str, channel: str, size: int, blocked: bool) -> None:
    found = codes("a" * size, platform=platform, channel=channel, kind="dm",
                  now=NOW, last_inbound_at=NOW)
    assert ("length" in found) is blocked


def test_x_counts_links_as_23_and_wide_characters_as_2() -> None:
    assert x_length("see https://brulerielumen.fr/a/very/long/path/indeed") == 4 + 23
    assert x_length("café ☕") == 6 + 1
    assert x_length("👩‍👩‍👧") == 2
    assert "length" in codes("é" * 200 + "☕" * 41, platform="x")


@pytest.mark.parametrize("text", [
    "Et vous, c'est pour un expresso ?", "Which grind do you need?",
])
def test_the_bot_stops_asking_at_its_budget(text: str) -> None:
    assert "bot.questions" in codes(text, channel="dm", kind="dm", platform="x",
                                    author_kind="bot", bot_questions_asked=3)
    assert codes(text, channel="dm", kind="dm", platform="x", author_kind="bot",
                 bot_questions_asked=2) == []
    assert codes(text, channel="dm", kind="dm", platform="x", author_kind="agent",
                 bot_questions_asked=3) == []
    assert g.count_questions("Quoi ?? Vraiment ? Ok.") == 2


@pytest.mark.parametrize("hours, author, blocked", [
    (23, "bot", False), (25, "agent", False), (25, "bot", True), (167, "agent", False),
    (169, "agent", True),
])
def test_meta_dm_window(hours: float, author: str, blocked: bool) -> None:
    found = codes("Bonjour, on revient vers vous.", channel="dm", kind="dm",
                  author_kind=author, now=NOW, last_inbound_at=NOW - timedelta(hours=hours))
    assert ("dm_window" in found) is blocked


def test_private_reply_to_a_comment_and_platforms_without_a_window() -> None:
    old = NOW - timedelta(days=8)
    assert "dm_window" in codes("Hi", channel="dm", kind="comment", now=NOW, last_inbound_at=old)
    assert codes("Hi", channel="dm", kind="dm", platform="x", now=NOW, last_inbound_at=old) == []
    ctx = g.ReplyContext("facebook", "dm", kind="dm", now=NOW,
                         last_inbound_at=NOW - timedelta(hours=30))
    assert g.dm_window_state(ctx) is g.WindowState.HUMAN_AGENT


def test_checksums_keep_look_alikes_out() -> None:
    assert luhn("4111111111111111") and not luhn("4111111111111112")
    assert iban_valid("FR76 3000 6000 0112 3456 7890 189")
    assert not iban_valid("FR76 3000 6000 0112 3456 7890 188")
    assert codes("Order 1234 5678 9012 3456 shipped") == []


def test_each_guardrail_can_be_switched_off_and_tuned() -> None:
    config = g.load_config({
        "private_data": {"enabled": False},
        "liability": {"phrases": {"en": ["totally on us"]}},
        "length": {"limits": {"x": {"public": 10}}},
        "bot": {"max_questions": 0},
        "dm_window": {"enabled": False},
    })
    ctx = g.ReplyContext("x", "public", intents=("safety",), author_kind="bot")
    found = {v.code for v in g.check("It's totally on us, your card 4111 1111 1111 1111?",
                                     ctx, config)}
    assert found == {"liability", "length", "bot.questions"}
    assert not g.check("our fault", g.ReplyContext("x", "dm", intents=("legal",)), config)


def test_shipped_rules_toml_has_a_valid_guardrails_table() -> None:
    config = g.load_config_file(paths.shipped("rules.toml"))
    assert config.max_questions == 3
    assert config.limit("tiktok", "public") == 150
    assert config.windows["instagram"].standard_hours == 24


def test_config_mistakes_name_their_key_and_line(tmp_path: Path) -> None:
    with pytest.raises(g.GuardrailConfigError) as info:
        g.load_config({"privat_data": {}, "bot": {"max_questions": "3"},
                       "length": {"limits": {"x": {"publik": 3}}},
                       "private_data": {"public_kinds": ["ssn"]}})
    problems = dict(info.value.problems)
    assert "did you mean 'private_data'" in problems["privat_data"]
    assert problems["bot.max_questions"] == "must be a whole number, 0 or more"
    assert "unknown key" in problems["length.limits.x.publik"]
    assert "'ssn' is not one of" in problems["private_data.public_kinds"]
    rules = tmp_path / "rules.toml"
    rules.write_text("version = 1\n\n[guardrails.bot]\nenabled = true\nmax_questions = -1\n")
    with pytest.raises(g.GuardrailConfigError) as info:
        g.load_config_file(rules)
    assert info.value.lines == [f"{rules}:5: guardrails.bot.max_questions: must be a whole"
                                " number, 0 or more"]
