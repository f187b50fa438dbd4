"""The moderation signal and the linear classifier under it, in English and French.

Every sentence here is written for these tests (none comes from the evaluation data).
"""

from __future__ import annotations

import dataclasses

import pytest

from workstation.demo import catalogue
from workstation.signals import linear, moderation
from workstation.signals.moderation import CATEGORIES, Moderation, detect


TOXIC = {"profanity", "hate", "harassment", "threat"}


def categories(text: str, lang: str) -> tuple[str, ...]:
    return detect(text, lang).categories


# --- each category ------------------------------------------------------------------------


@pytest.mark.parametrize(("text", "lang"), [
    ("Follow for follow? I always follow back 🔥", "en"),
    ("Earn $400 a day from your phone, no experience needed. DM me to start", "en"),
    ("Check out my channel and subscribe please!!! http://example.net/x", "en"),
    ("Congrats, you've been selected as the winner of our giveaway, claim your prize here",
     "en"),
    ("Gagnez un iPhone, il suffit de cliquer sur le lien dans ma bio", "fr"),
    ("Trader crypto, revenus passifs garantis, écris-moi en privé", "fr"),
    ("buy now buy now buy now buy now buy now buy now buy now buy now", "en"),
])
def test_spam(text: str, lang: str) -> None:
    assert "spam" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("this grinder is crap, broke after 2 weeks", "en"),
    ("holy shit, this roast is strong", "en"),
    ("this is fucking delicious", "en"),
    ("putain, ce café est trop bon", "fr"),
    ("Quelle merde ce moulin, il a lâché au bout d'un mois", "fr"),
])
def test_profanity_not_aimed_at_anyone(text: str, lang: str) -> None:
    assert categories(text, lang) == ("profanity",)


@pytest.mark.parametrize(("text", "lang"), [
    ("@sam_b shut up you idiot, nobody asked you", "en"),
    ("The waitress at the counter is an idiot", "en"),
    ("you're such a moron", "en"),
    ("t'es nul", "fr"),
    ("Le livreur est un vrai connard", "fr"),
    ("espèce d'abruti, lis le message avant de répondre", "fr"),
    ("ferme ta gueule", "fr"),
])
def test_harassment_is_an_insult_aimed_at_a_person(text: str, lang: str) -> None:
    assert "harassment" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("Your company is garbage, worst service ever", "en"),
    ("You guys are clowns, still no refund after a month", "en"),
    ("You're a joke of a company", "en"),
    ("Vous êtes des escrocs, je veux mon remboursement", "fr"),
    ("Bande d'incompétents, trois semaines sans colis", "fr"),
])
def test_insulting_the_brand_is_anger_not_harassment(text: str, lang: str) -> None:
    assert "harassment" not in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("I'll kill you if my refund isn't here tomorrow", "en"),
    ("you'll regret this, trust me", "en"),
    ("I know where you live", "en"),
    ("je vais te retrouver", "fr"),
    ("Si je ne suis pas remboursé je passe au magasin et je casse tout", "fr"),
    ("tu vas le regretter", "fr"),
])
def test_threats(text: str, lang: str) -> None:
    assert categories(text, lang)[0] == "threat"


@pytest.mark.parametrize(("text", "lang"), [
    ("This town is full of foreigners now, send them all back", "en"),
    ("go back to your country", "en"),
    ("dehors les étrangers, trop d'immigrés ici", "fr"),
])
def test_hate(text: str, lang: str) -> None:
    assert "hate" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("I'm so angry, my order never arrived", "en"),
    ("Great coffee, thanks! Will order again next month", "en"),
    ("Not asking for a refund, just wondering when the decaf is back", "en"),
    ("I could kill for a flat white right now", "en"),
    ("shut up and take my money", "en"),
    ("SCANDALEUX. Trois semaines sans colis, plus jamais je commande chez vous", "fr"),
    ("Bonjour, le Guji est-il dispo en 1 kg ? Merci", "fr"),
    ("ce café est une tuerie", "fr"),
    ("Je vais laisser un avis sur Google, le service client ne répond pas", "fr"),
])
def test_ordinary_customer_messages_stay_clean(text: str, lang: str) -> None:
    assert categories(text, lang) == ()


# --- what a brand's inbox receives: phrase families and frames -----------------------------


@pytest.mark.parametrize(("text", "lang"), [
    ("answer me today or I'll come round to your shop and sort this out myself", "en"),
    ("your courier better not show his face round here again", "en"),
    ("ignore me once more and wait till I'm at your counter", "en"),
    ("I know when you close up. see you tonight", "en"),  # a frame: both halves
    ("je sais à quelle heure vous fermez, on se voit ce soir", "fr"),
    ("je passe à la boutique régler ça moi-même", "fr"),
    ("qu'il ne remette plus les pieds dans mon quartier", "fr"),
    ("you'll pay for this, I know where your roastery is", "en"),
    ("Je connais l'adresse de votre entrepôt. Remboursez-moi ou ça va mal se passer.", "fr"),
    ("si je revois ce livreur je lui casse la gueule", "fr"),
])
def test_threats_of_coming_to_the_shop(text: str, lang: str) -> None:
    assert categories(text, lang)[0] == "threat"


@pytest.mark.parametrize(("text", "lang"), [
    ("of course it's run by foreigners, typical", "en"),
    ("women have no business behind an espresso machine", "en"),
    ("saw the pride flag on your post, won't be buying from people like that", "en"),
    ("pas étonnant, la boutique est tenue par des étrangers", "fr"),
    ("les femmes n'ont rien à faire dans une torréfaction", "fr"),
    ("Another Muslim-run café, no thanks", "en"),
    ("Les arabes qui bossent chez vous volent les clients, c'est connu", "fr"),
    ("people like that should go back to their own country", "en"),
])
def test_hate_is_a_group_and_an_exclusion(text: str, lang: str) -> None:
    assert "hate" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("@mike_r nobody asked you, idiot", "en"),  # an insult ending a text aimed at a handle
    ("whoever packed my order is a moron", "en"),
    ("the person running this page is a clown and an idiot", "en"),
    ("look at this loser still buying pods", "en"),  # a demonstrative aims a noun insult
    ("la serveuse de ce matin, quelle incapable", "fr"),
    ("celle qui m'a servi est une vraie abrutie", "fr"),
    ("regardez moi ce crétin qui met du sucre dans un grand cru", "fr"),
    ("The blonde cashier at your Lyon shop is a stupid cow", "en"),  # the shop qualifies her
    ("le vendeur de la boutique est un abruti", "fr"),
])
def test_insults_at_a_described_person(text: str, lang: str) -> None:
    assert "harassment" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("I'm such an idiot, I ordered the wrong grind", "en"),  # the writer
    ("this stupid machine won't turn on", "en"),  # an adjective at a thing
    ("@brulerie what a joke, three weeks and no refund", "en"),  # the brand's own handle
    ("she said your service is a joke", "en"),  # the brand is what the insult is about
    ("my husband says your coffee is garbage", "en"),
    ("@user pour moi l'insignifiance ne mérite pas qu'on s'y attarde", "fr"),  # a verb
])
def test_insults_not_at_a_person(text: str, lang: str) -> None:
    assert "harassment" not in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("💰 made $3,000 this week, DM me \"START\" and I'll show you", "en"),
    ("Congratulations! your account was selected, confirm at prize-lumen.com", "en"),
    ("Official support: verify your account or it will close", "en"),
    ("we'd love to promote your page for free, just DM us", "en"),
    ("vous avez été tiré au sort ! confirmez votre compte sur lumen-cadeaux.com", "fr"),
    ("10 000 abonnés pour 15 € seulement", "fr"),
    ("je cherche des personnes motivées pour travailler de chez elles", "fr"),
    ("tape « GO » en MP pour recevoir la méthode", "fr"),
    ("🔥 Want to grow your page? We helped 500+ brands go viral. DM us \"GROW\" 🚀", "en"),
])
def test_scam_spam(text: str, lang: str) -> None:
    assert "spam" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("is this legit? someone DMed me saying I won and asked for card details", "en"),
    ("c'est une arnaque ? on m'a écrit en privé que j'avais gagné", "fr"),
    ("hi, I'd like my money back, the bag was split", "en"),  # money, but a customer's
    ("could your beans feature in my next video? I have 8k followers", "en"),
    ("Would you send the grinder for a review on my channel?", "en"),
    ("Bonjour ! Vous m'enverriez le moulin pour un test sur ma chaîne ?", "fr"),
])
def test_customers_mentioning_money_videos_or_a_scam_are_not_spam(text: str, lang: str) -> None:
    assert "spam" not in categories(text, lang)


@pytest.mark.parametrize(("text", "lang", "owner"), [
    ("voilà le numéro du livreur qui a abîmé mon colis : 06 12 34 56 78", "fr", "doxxing"),
    ("la caissière, son numéro perso c'est le 06 11 22 33 44", "fr", "doxxing"),
    ("your barista lives at 12 Baker Street, go ask her yourself", "en", "doxxing"),
    ("votre livreur habite 8 rue des Lilas", "fr", "doxxing"),
    ("mon numéro, le livreur ne m'a pas appelé : 06 12 34 56 78", "fr", "pii_self"),
    ("I live at 12 Baker Street, please update the delivery address", "en", "pii_self"),
    ("j'habite au 12 rue des Lilas, vous livrez ?", "fr", "pii_self"),
])
def test_whose_data_from_the_words_around_it(text: str, lang: str, owner: str) -> None:
    assert categories(text, lang) == (owner,)


@pytest.mark.parametrize(("text", "lang"), [
    ("I'll come round to the shop tomorrow to pick up my order", "en"),
    ("I'll sort it out myself, thanks, the burr was just loose", "en"),
    ("I know what time you open, see you tomorrow!", "en"),
    ("wait till I get my M2, so excited", "en"),
    ("typical Monday, another late delivery", "en"),
    ("the women in coffee panel was great, thank you for hosting", "en"),
    ("your shop will be closed on Monday?", "en"),
    ("how many grams per delivery? we drink a LOT", "en"),
    ("I've praised you to my followers for years and this order is two weeks late", "en"),
    ("je passe à la boutique demain récupérer ma commande", "fr"),
    ("je sais quand vous ouvrez, à demain !", "fr"),
    ("je ne suis pas d'ici, vous livrez à Lyon ? pas étonnant que je ne trouve pas", "fr"),
    ("la boutique sera fermée dimanche ?", "fr"),
    ("je vais casser ma tirelire pour le M2", "fr"),
    ("je viens casser la croûte chez vous samedi", "fr"),
    ("attendez que je vienne le chercher avant de l'envoyer", "fr"),
    ("mon mari a changé de boulot, pouvez-vous changer l'adresse de livraison ?", "fr"),
    ("I entered my card details to pay and it failed twice", "en"),
    ("can't wait till I get my hands on the new M3!", "en"),
    ("show your face at the market next week, we'd love to see you", "en"),
    ("your app says my account will be deleted if I don't log in, is that normal?", "en"),
    ("my wife and I are immigrants and your coffee tastes like home", "en"),
    ("Je sais où se trouve votre boutique, j'y passe ce soir, à ce soir !", "fr"),
    ("this idiot proof grinder is perfect for beginners like me", "en"),
    ("are your shops wheelchair accessible? my brother is disabled", "en"),
    ("My account was hacked, can you help me verify my account?", "en"),
    ("ma femme adore le Sidamo, pas étonnant", "fr"),
])
def test_inbox_messages_near_those_phrases_stay_clean(text: str, lang: str) -> None:
    assert categories(text, lang) == ()


def test_a_frame_needs_all_its_parts() -> None:
    assert categories("I know what time you close", "en") == ()
    assert categories("see you then", "en") == ()
    evidence = detect("I know what time you close. see you then.", "en").evidence["threat"]
    assert evidence == ("i know what time + close + see you then",)


def test_the_demo_catalogues_everyday_messages_are_never_flagged_toxic() -> None:
    """The guard on the toxicity models: the catalogue's hand-written inbox messages (orders,
    questions, complaints, praise, in both languages) stay clean, whatever lifts the
    models' figures on the datasets."""
    messages = catalogue.everyday_messages()
    assert len(messages) > 500
    flagged = [(text, cats) for text, lang in messages
               if (cats := TOXIC & set(categories(text, lang)))]
    assert not flagged, f"{len(flagged)} flagged, e.g. {flagged[:3]}"


@pytest.mark.parametrize(("text", "lang"), [
    ("fuuuuck, the grinder broke again", "en"),
    ("what a #dogshitday", "en"),
    ("ce connnnard de moulin", "fr"),
    ("#putaindemoulin", "fr"),
])
def test_stretched_and_glued_swear_words_are_profanity(text: str, lang: str) -> None:
    assert "profanity" in categories(text, lang)


@pytest.mark.parametrize(("text", "lang", "markers"), [
    ("you are all cowards", "en", ["_host_", "_you_"]),
    ("this buffoon again", "en", ["_host_", "_dem_"]),
    ("vous êtes des traîtres", "fr", ["_host_", "_you_"]),
    ("bande d'abrutis", "fr", ["_host_", "_dem_"]),
    ("the grinder is lovely", "en", []),
])
def test_hostile_words_are_markers_for_the_models(text: str, lang: str,
                                                  markers: list[str]) -> None:
    reading = moderation.read(text, lang)
    assert [f for f in reading.features if f.startswith("_")] == markers
    assert moderation.cued(reading.features) == bool(markers)
    assert "harassment" not in reading.hits  # a marker, never a rule on its own


@pytest.mark.parametrize(("text", "lang", "category"), [
    ("@dave 2 mongol", "en", "harassment"),  # a French tweet read as English
    ("@dave tu es un gros mongol", "pt", "harassment"),
    ("@dave sale arabe", "en", "hate"),
    ("sales juifs", "fr", "hate"),
    ("@dave putain", "en", "profanity"),
])
def test_french_insults_are_heard_whatever_the_language_found(text: str, lang: str,
                                                              category: str) -> None:
    assert category in categories(text, lang)


@pytest.mark.parametrize(("text", "lang"), [
    ("café con leche por favor", "es"),  # "con" is Spanish for "with"
    ("ma commande est encore en retard", "fr"),  # "retard" is French for a delay
    ("le livreur est en retard", "fr"),
])
def test_words_ordinary_in_another_language_are_not_insults_there(text: str,
                                                                 lang: str) -> None:
    reading = moderation.read(text, lang)
    assert not moderation.cued(reading.features)
    assert categories(text, lang) == ()


@pytest.mark.parametrize(("text", "lang", "insult"), [
    ("je m'attarde sur le torréfacteur", "fr", False),  # s'attarder: to linger
    ("il s'est attardé sur les détails", "fr", False),
    ("je ne m'y suis pas attardé", "fr", False),
    ("tu t'es attardé au comptoir", "fr", False),
    ("t'es attardé ou quoi", "fr", True),
    ("un latte au caramel salé", "fr", False),  # salty, spelt as "sale" once folded
    ("la tasse était sale", "fr", False),
    ("un avis bien salé sur Google", "fr", False),
])
def test_homographs_read_by_their_neighbour(text: str, lang: str, insult: bool) -> None:
    reading = moderation.read(text, lang)
    assert ("harassment" in reading.hits) == insult
    assert "sale" not in reading.words and "_dem_" not in reading.features
    assert bool(TOXIC & set(categories(text, lang))) == insult


def test_word_beginnings_are_never_a_gates_evidence() -> None:
    assert moderation.not_evidence("attar~")
    assert not moderation.not_evidence("attarde")
    assert "cowar~" in moderation.read("cowardly", "en").features
    assert not any(moderation.not_evidence(f) for f in moderation.read("attardés", "fr").features)


# --- the result ---------------------------------------------------------------------------


def test_result_is_frozen_with_scores_and_evidence() -> None:
    result = detect("Follow for follow, and you're an idiot", "en")
    assert isinstance(result, Moderation)
    with pytest.raises(dataclasses.FrozenInstanceError):
        result.categories = ()  # type: ignore[misc]
    assert set(result.categories) <= set(CATEGORIES)
    assert set(result.scores) == set(CATEGORIES)
    assert all(0.0 <= s <= 1.0 for s in result.scores.values())
    assert set(result.evidence) == set(result.categories)
    assert all(result.evidence[c] for c in result.categories)
    ordered = [result.scores[c] for c in result.categories]
    assert ordered == sorted(ordered, reverse=True)
    assert all(result.scores[c] >= 0.5 for c in result.categories)


def test_evidence_names_the_words() -> None:
    assert detect("putain ce café", "fr").evidence["profanity"] == ("putain",)
    assert "je vais te retrouver" in detect("je vais te retrouver", "fr").evidence["threat"]


def test_results_are_deterministic() -> None:
    text = "@bob t'es nul et ta boutique c'est de la merde, follow for follow"
    assert detect(text, "fr") == detect(text, "fr")


def test_language_codes_are_read_leniently() -> None:
    assert detect("putain", "fr-CA").categories == ("profanity",)
    for lang in ("", "xx", None, 42):
        assert isinstance(detect("hello there", lang), Moderation)  # type: ignore[arg-type]


# --- untrusted input ----------------------------------------------------------------------


@pytest.mark.parametrize("text", [
    "", "   ", "\x00", "\x00" * 1000, "🙂" * 5000, "\u202e\u2066مرحبا بالعالم\u2069",
    "a" * 1_000_000, "@" * 200_000, "@a." * 300_000, "0612 " * 200_000, ". " * 500_000,
    "x@" * 100_000 + "example.com", "1" * 500_000, "FR76 " * 200_000,
    "rue " * 250_000, "&#" * 300_000, "\ud800 lone surrogate",
])
def test_hostile_input_never_crashes(text: str) -> None:
    for lang in ("en", "fr"):
        result = detect(text, lang)
        assert isinstance(result, Moderation)


def test_non_text_is_clean() -> None:
    assert detect(None, "en").categories == ()  # type: ignore[arg-type]
    assert detect(b"bytes", "en").categories == ()  # type: ignore[arg-type]


# --- the linear classifier ----------------------------------------------------------------


def test_normalise_folds_accents_lookalikes_and_links() -> None:
    text = linear.normalise(
        "Énervé ｅｎｅｒｖｅ 𝐞𝐧𝐞𝐫𝐯𝐞 j’ai vu https://x.example/a @Bob a.b@c.fr &amp;")
    assert linear.tokens(text) == ["enerve", "enerve", "enerve", "j", "ai", "vu", linear.LINK,
                                   linear.MENTION, linear.EMAIL]


def test_features_are_unigrams_bigrams_and_options() -> None:
    words = ["tres", "bon", "cafe"]
    assert linear.features(words) == ["tres", "bon", "cafe", "tres bon", "bon cafe"]
    with_prefix = linear.features(words, {"bigrams": False, "prefix": 3})
    assert with_prefix == ["tres", "bon", "cafe", "tre~", "caf~"]
    grams = linear.features(["ab"], {"bigrams": False, "char_ngrams": [2, 3]})
    assert "#^a" in grams and "#ab$" in grams


def test_linear_model_scores_and_round_trips() -> None:
    model = linear.LinearModel(["good", "bad"], [0.0, -1.0],
                               {"good": {"great": 2.0}, "bad": {"awful": 3.0, "_x_": 5.0}},
                               {"bigrams": True}, {"note": "test"})
    assert model.score("great coffee")["good"] > 0.85
    assert model.score("awful coffee")["bad"] > 0.85
    assert model.score("")["bad"] < 0.5
    assert model.explain(["awful", "_x_", "awful"], "bad") == ("awful",)
    assert model.strongest(["_x_", "awful"], "bad") == 3.0
    assert model.strongest(["awful"], "bad", frozenset({"awful"})) == 0.0
    again = linear.LinearModel.from_dict(model.to_dict())
    assert again.score("awful coffee") == model.score("awful coffee")
    with pytest.raises(ValueError):
        linear.LinearModel.from_dict({"format": "other"})


def test_shipped_model_carries_its_provenance() -> None:
    model = linear.load(moderation.MODEL_NAME)
    assert set(model.heads) == {"spam", "toxic_en", "toxic_fr", "hate"}
    provenance = model.meta["provenance"]
    assert provenance["script"] == "benchmarks/fit_moderation.py"
    assert {"date", "seed", "datasets", "cross_validated_metrics"} <= set(provenance)
    assert set(model.meta["thresholds"]) >= set(model.heads)
    size = sum(p.stat().st_size for p in linear.DATA_DIR.glob("*.json"))
    assert size < 2_000_000
