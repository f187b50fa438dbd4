"""UGC rights: a shared photo gets a private request; yes and no are recorded, dated, audited."""

from __future__ import annotations

import pytest

from tests.core.leads.conftest import Chat
from workstation import paths
from workstation.leads import config, ugc
from workstation.leads.words import words
from workstation.models import UgcRightsRequest

PHOTO = {"attachments": [{"type": "image", "url": "https://cdn.example/p.jpg"}]}


def requests(chat: Chat) -> list[dict]:
    return chat.rows(UgcRightsRequest)


def test_a_photo_in_a_dm_is_asked_for_and_a_french_yes_grants_it(chat: Chat) -> None:
    chat.send("Voilà mon petit café du matin avec vos grains", **PHOTO)
    (request,) = requests(chat)
    assert request["state"] == "requested" and request["message_id"] is not None
    assert "Pouvons-nous" in chat.bot()[-1] or "Nous autorisez-vous" in chat.bot()[-1]
    chat.send("oui avec plaisir !")
    (request,) = requests(chat)
    assert request["state"] == "granted" and request["answered_at"] == chat.clock()
    assert {"ugc.requested", "ugc.granted"} <= set(chat.actions())


def test_a_mention_with_wording_is_asked_in_private_and_no_refuses(chat: Chat) -> None:
    chat.send("check out my latte art with your Ethiopia beans", kind="mention")
    (request,) = requests(chat)
    assert request["state"] == "requested"
    bot_row = [o for o in chat.outbox() if o["author_kind"] == "bot"][-1]
    assert bot_row["channel"] == "dm" and bot_row["template_id"] == "ugc-rights-dm"
    chat.send("no thanks, I'd rather not")
    assert requests(chat)[0]["state"] == "refused"
    assert "ugc.refused" in chat.actions()


def test_an_unclear_answer_goes_to_a_person(chat: Chat) -> None:
    chat.send("ma photo avec votre moulin", **PHOTO)
    chat.send("c'est pour quoi faire ?")
    (request,) = requests(chat)
    assert request["state"] == "requested"
    conversation = chat.conversation(chat.rows(UgcRightsRequest)[0]["conversation_id"])
    assert "ugc-review" in conversation["tags"] and "ugc.unclear" in chat.actions()


def test_one_request_per_conversation(chat: Chat) -> None:
    chat.send("my photo of the morning", **PHOTO)
    chat.send("yes")
    chat.send("and another photo of my cup", **PHOTO)
    assert len(requests(chat)) == 1


@pytest.mark.parametrize(("text", "said"), [
    ("yes", "yes"), ("Sure, go ahead!", "yes"), ("no problem", "yes"), ("#YesLumen", "yes"),
    ("pas de souci", "yes"), ("bien sûr", "yes"), ("non", "no"), ("je préfère pas", "no"),
    ("nope", "no"), ("what for?", "unclear"), ("hmm", "unclear"),
])
def test_yes_and_no_in_both_languages(text: str, said: str) -> None:
    book = config.load(paths.shipped("flows.toml"))
    assert ugc.read_answer(book, words(text)) == said


def test_a_comments_media_is_the_post_not_a_share(chat: Chat) -> None:
    chat.send("What time do you open on Saturday?", kind="comment",
              media={"id": "m1", "media_product_type": "REELS"})
    assert requests(chat) == [] and chat.bot() == []
