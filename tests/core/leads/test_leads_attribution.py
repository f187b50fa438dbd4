"""Form links carry the conversation and campaign escaped; promo codes and UTMs are noted."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

from tests.core.leads.conftest import Chat
from workstation.leads import attribution, form_link


def test_form_link_escapes_whatever_the_campaign_says() -> None:
    hostile = "noel&conversation=999 <b>{0.__class__}</b> ${x}#frag"
    link = form_link.build("https://shop.example/devis?ref=bot", conversation_id=12, lead_id=3,
                           campaign=hostile, platform="instagram", lang="fr")
    parts = urlsplit(link)
    assert (parts.scheme, parts.netloc, parts.path, parts.fragment) == (
        "https", "shop.example", "/devis", "")
    query = parse_qs(parts.query)
    assert query["conversation"] == ["12"] and query["lead"] == ["3"]
    assert query["campaign"] == [hostile] and query["utm_campaign"] == [hostile]
    assert query["ref"] == ["bot"] and query["lang"] == ["fr"]
    assert " " not in link and "<" not in link and "{" not in link


def test_form_link_refuses_a_plain_http_address() -> None:
    with pytest.raises(ValueError):
        form_link.build("http://shop.example/devis", conversation_id=1)


def test_promo_codes_known_or_written_after_code() -> None:
    found = attribution.promo_codes("j'ai le code lumen10, et promo: NOEL20; code SUMMER24 ?"
                                    " code merci", ("LUMEN10", "NOEL20"))
    assert found == ("LUMEN10", "NOEL20", "SUMMER24")
    assert attribution.promo_codes("nothing to see", ("LUMEN10",)) == ()


def test_utm_campaign_from_a_pasted_link() -> None:
    text = "vu ici https://brulerielumen.fr/p?utm_source=ig&utm_campaign=noel-2026 trop bien"
    assert attribution.utm_campaign(text) == "noel-2026"
    assert attribution.utm_campaign("https://example.com/?a=1") == ""


def test_a_post_without_a_tag_takes_the_campaign_of_its_link(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", campaign="",
                 caption="Out now! https://brulerielumen.fr/m2?utm_campaign=m2-launch&x=1")
    assert chat.lead()["campaign"] == "m2-launch"
    assert chat.conversation(1)["campaign"] == "m2-launch"


def test_a_posts_tag_wins_over_its_link(chat: Chat) -> None:
    chat.comment("How much is the Moulin M2? I'd like to order one", campaign="noel-2026",
                 caption="https://brulerielumen.fr/m2?utm_campaign=m2-launch")
    assert chat.lead()["campaign"] == "noel-2026"
