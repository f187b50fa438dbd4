"""The French lexicon: valences of words and phrases, boosters, negators, built once.

Entries are "word:valence" or "word:valence:valence-when-negated" on VADER's -4..+4 scale.
A word ending in "+" is an -er verb stem ("ador+" covers adore, adorer, adoré, adorait...);
other words also match their feminine and plural forms (déçu → déçue, déçus, déçues). Words
are matched without accents, so "decu" and "déçu" are one entry. "_" joins a phrase's words.
When no negated valence is given, negation multiplies the valence by -0.74 as VADER does;
words neutral on their own ("reçu", "répond", "normal") carry only a negated valence.
"""

from __future__ import annotations

import operator

from .scale import _NEGATION

_FRENCH_POSITIVE = """
bon:1.9 bien:0.8 meilleur:2.5 mieux:1.5 excellent:3.0 excellentissime:3.4 parfait:3.0
parfaitement:2.4 génial:3.0 geniaux:3.0 super:2.4 top:2.5:-1.8 cool:1.8 sympa:2.0
sympathique:2.0 chouette:2.0 agréable:2.2 beau:2.0 belle:2.0 beaux:2.0 joli:2.0 magnifique:3.0
splendide:3.0 sublime:3.0 superbe:3.0 merveilleux:3.0 merveille:3.0 formidable:3.0
fantastique:3.0 extraordinaire:3.0 incroyable:2.0 exceptionnel:3.0 remarquable:2.5
impressionnant:2.2 délicieux:3.0 savoureux:2.6 bonheur:3.0 heureux:2.7 heureusement:1.2 joie:2.8
joyeux:2.6 content:2.0:-2.0 ravi:2.8 satisfait:2.0:-2.2 fier:2.0 enchanté:2.4 adorable:2.6
aimable:2.0 gentil:2.0 efficace:2.0 rapide:1.2 rapidement:1.0 pratique:1.0 utile:1.5 facile:1.2
clair:0.6 propre:0.6 intéressant:1.6 passionnant:2.4 drôle:1.5 marrant:1.5 rigolo:1.5
hilarant:2.0 fun:1.5 kiff+:2.6 kif:2.4 ador+:3.0 aim+:2.0:-2.0 appréci+:2.0:-1.6
recommand+:2.0:-2.0 conseill+:1.0:-1.6 remerci+:1.8 merci:1.5 thx:0.6 bravo:2.6
félicitations:3.0 félicit+:2.6 chapeau:1.2 génie:2.0 réussite:2.6 réussi:2.2 réussir:2.0
succès:2.6 victoire:2.5 gagn+:1.4 gagnant:2.0 champion:2.0 progrès:1.6 amélior+:1.4
amélioration:1.5 innovation:1.5 innovant:2.0 solution:1.2 renforc+:0.8 progress+:1.2
efficacité:1.2 permet:0.4 soutien:1.5 soutenir:1.5 soutient:1.5 aide:0.8 aider:0.8 sauv+:1.5
protég+:1.0 protection:1.0 espoir:1.8 confiance:1.5 paix:2.0 amour:3.0 amoureux:2.5 ami:1.2
amitié:2.0 plaisir:2.6 régal:3.0 régal+:2.8 miam:2.5 délice:3.0 tuerie:3.0 pépite:2.5 nickel:2.5
impeccable:2.8 irréprochable:2.8 canon:1.8 classe:1.6 stylé:2.0 chaleureux:2.2 accueillant:2.0
professionnel:1.2:-2.0 sérieux:0.8:-2.0 fiable:1.8 rassurant:1.5 rassuré:1.5 soulagé:1.5
hâte:1.6 vivement:1.0 enthousiaste:2.2 optimiste:1.8 positif:1.8 favorable:1.5 gratuit:1.0
gratuitement:1.0 offert:1.0 cadeau:0.6 promo:0.5 avantage:1.2 bénéfique:1.8 sain:1.2
bienvenue:2.0 bienvenu:2.0 bisous:1.5 bise:0.8 love:3.0 lovely:3.0 good:1.9 great:2.5 nice:1.8
best:3.0 perfect:2.7 amazing:2.8 awesome:3.0 wow:2.0 yes:1.0 lol:1.5 mdr:1.2 ptdr:1.2 haha:1.5
ahah:1.5 hihi:1.2 ouf:1.0:-1.8 fou:0.5:-1.0 dingue:1.0 énorme:1.6 ouah:2.0 waouh:2.2 whaou:2.2
cocorico:1.5 vive:2.0 vivre:0.8 facilement:1.2 durable:0.3 renouvelable:0.6 partenariat:0.8
lancement:0.6 lanc+:0.4 invest+:0.8 investissement:0.8 cré+:0.8 créer:0.8 création:0.8
promet:0.8 prometteur:2.0 ambitieux:1.2 opportunité:1.5 avenir:0.6 fête:1.8 fêter:1.8
célébr+:1.8 honneur:1.8 qualité:1.2 omg:0.5 réparé:0.5:-1.5 correct:0.8:-1.5 respect+:0.5:-1.5
respect:0.8 mérite:0.5:-1.5 rentable:1.0 essentiel:1.0 responsable:0.6 accord:0.6 unique:1.0
beauté:2.0 jubil+:2.5 inauguration:1.0 inaugur+:1.0 validé:0.8 important:0.5 bienveillant:2.0
"""

_FRENCH_NEGATIVE = """
mauvais:-2.5 mal:-1.5:1.6 nul:-2.7 pire:-2.8 horrible:-3.0 affreux:-3.0 atroce:-3.2
terrible:-2.0:-1.8 épouvantable:-3.0 lamentable:-3.0 pitoyable:-2.8 minable:-2.8 médiocre:-2.2
moyen:-0.8 bof:-1.2 décevant:-2.3 déçu:-2.3 déception:-2.5 décev+:-2.0 déçoit:-2.0 dommage:-1.3
triste:-2.0 tristesse:-2.2 malheureux:-2.0 malheureusement:-1.5 hélas:-1.5 regret:-1.5
regrett+:-1.5:1.0 énerv+:-2.2 énervant:-2.2 agacé:-2.0 agaçant:-2.0 furieux:-3.0 furax:-2.8
colère:-2.5 rage:-2.5 fâché:-2.2 marre:-2.5 saoul+:-2.0 soûl+:-2.0 chiant:-2.5 chier:-2.6
relou:-2.0 pénible:-2.0 insupportable:-2.8 inadmissible:-3.0 inacceptable:-3.0 intolérable:-3.0
scandaleux:-3.2 scandale:-3.0 honteux:-3.0 honte:-2.7 arnaque:-3.2 arnaqu+:-3.0 arnaqueur:-3.0
escroc:-3.2 escroquerie:-3.2 escroqu+:-3.0 voleur:-3.0 voleurs:-3.0 menteur:-2.8 mensonge:-2.5
mensonger:-2.5 ment:-1.5 mentir:-2.2 malhonnête:-2.8 catastrophe:-3.0 catastrophique:-3.2
désastre:-3.0 désastreux:-3.0 galère:-2.0 galér+:-2.0 problème:-1.3:0.8 souci:-1.0:0.8
erreur:-1.5 bug:-1.5 beug+:-1.5 bugg+:-1.5 panne:-2.0 cassé:-2.2:0.5 cass+:-1.8 abîmé:-2.2
endommagé:-2.2 défectueux:-2.5 défaut:-1.4 fuite:-1.8 fuit:-1.8 rouillé:-1.8 moisi:-2.5
moisissure:-2.5 périmé:-2.2 rance:-2.5 éventé:-1.8 amer:-0.6 fade:-1.8 imbuvable:-3.0
dégueulasse:-3.2 dégueu:-3.0 dégoûtant:-3.0 dégoûté:-2.5 écœurant:-2.5 beurk:-2.5 berk:-2.5
immonde:-3.0 infect:-3.0 retard:-1.8 retardé:-1.5 lent:-1.5 lenteur:-1.8 attente:-0.8 perdu:-1.5
perte:-1.5 bloqué:-1.4 impossible:-1.3 inutile:-1.8 incompétent:-2.8 incompétence:-2.8
amateur:-1.2 amateurisme:-2.5 irrespectueux:-2.5 impoli:-2.2 désagréable:-2.2 agressif:-2.5
méprisant:-2.5 mépris:-2.5 glacial:-1.8 cher:-0.8:1.5 peur:-2.0 inquiet:-1.8 inquiétant:-2.0
inquiétude:-1.8 angoisse:-2.5 stress:-1.8 stressé:-1.8 danger:-2.2 dangereux:-2.5 risque:-1.2
menace:-2.0 menacé:-2.0 menac+:-2.0 mort:-2.5 morts:-2.5 mourir:-2.5 meurt:-2.5 tue:-2.5
tuer:-2.8 tué:-2.8 tueur:-2.5 meurtre:-3.0 assassin:-3.0 assassin+:-3.0 violence:-2.8
violent:-2.5 guerre:-2.8 attentat:-3.0 terroriste:-3.0 victime:-2.0 drame:-2.5 dramatique:-2.5
tragique:-2.8 tragédie:-2.8 crise:-2.0 pollution:-2.0 pollu+:-2.0 polluant:-2.0 toxique:-2.5
poison:-2.5 empoisonn+:-2.5 détrui+:-2.5 détruit:-2.5 destruction:-2.5 disparaître:-1.8
disparition:-1.8 disparu:-1.5 dommages:-2.0 dégât:-2.0 souffrance:-2.5 souffr+:-2.2 malade:-2.0
maladie:-2.0 blessé:-2.3 blessure:-2.3 brûlure:-2.3 brûlé:-1.8 vomi:-2.5 vomir:-2.5 injuste:-2.5
injustice:-2.5 inégalité:-1.8 corruption:-2.8 corrompu:-2.8 fraude:-2.8 polémique:-1.5
controverse:-1.5 révolte:-1.8 révoltant:-3.0 choquant:-2.5 choqué:-2.3 indigné:-2.5
indignation:-2.5 rejet+:-1.5 rejet:-1.5 refus+:-1.5 refus:-1.5 échec:-2.5 échou+:-2.3 raté:-2.0
rat+:-1.2 loup+:-1.2 fail:-2.0 faute:-1.5 coupable:-2.0 accus+:-1.5 critique:-0.8 critiqu+:-1.2
problématique:-1.5 grave:-1.5:0.5 gravement:-1.5 pauvre:-1.2 misère:-2.5 chômage:-2.0
manque:-1.2 manqu+:-1.0 manquant:-1.5 insuffisant:-1.8 absurde:-2.0 ridicule:-2.3 stupide:-2.5
idiot:-2.5 débile:-2.7 con:-2.5 connard:-3.2 conne:-3.0 crétin:-2.8 abruti:-2.8 imbécile:-2.8
guignol:-2.3 guignols:-2.3 clown:-1.8 clowns:-1.8 bouffon:-2.5 merde:-2.8 merdique:-3.0
pourri:-2.8 naze:-2.3 nase:-2.3 foutu:-2.0 bordel:-1.8 horreur:-2.8 cauchemar:-2.8 sale:-1.8
salaud:-3.0 salopard:-3.0 insatisfait:-2.2 mécontent:-2.5 mécontentement:-2.5 plainte:-1.8
réclamation:-1.4 litige:-2.0 signalement:-1.2 tribunal:-1.2 procès:-1.2 remboursement:-0.4
remboursez:-0.8 abusé:-2.0 abus:-2.0 abusif:-2.4 inadapté:-1.5 bruyant:-1.2 bruit:-0.6
trompé:-2.0 tromperie:-2.5 trompeur:-2.5 fake:-2.0 faux:-1.5 mensonges:-2.5 foutez:-2.0
fous:-0.5 bad:-2.5 worst:-3.1 wtf:-1.5 sad:-2.1 fuck:-2.5 sérieusement:-0.5 allergie:-1.5
allergique:-1.5 intoxication:-2.5 intoxiqué:-2.5 malaise:-2.0 palpitations:-1.5 urgences:-1.5
hôpital:-1.2 fumée:-1.2 flamme:-1.0 flammes:-1.2 incendie:-2.5 explosé:-2.0 étincelle:-1.0
décharge:-1.0 coupure:-1.2 dgccrf:-1.8 désolé:-1.0 monstre:-2.0 péril:-2.0 infraction:-1.5
boud+:-1.0 bloqu+:-1.0 difficile:-1.0 défonc+:-1.5 fiasco:-2.8 pourquoi:-0.5 abandon:-1.2
abandonn+:-1.2 chute:-1.5 gâchis:-2.0 gaspillage:-1.5 indifférence:-1.5 piège:-1.8 pénurie:-1.8
fléau:-2.5 sceptique:-1.0 farce:-1.5 greenwashing:-1.5
"""

# Neutral alone, negative when negated: "pas reçu", "ne répond pas", "c'est pas normal".
_FRENCH_NEUTRAL_UNLESS_NEGATED = """
allum+:0:-1.5 rembourser:0 remboursé:0:-1.5 reçu:0:-1.8 arrivé:0:-1.5 livré:0:-1.5 réponse:0:-1.5
répondu:0:-1.5 répond:0:-1.5 répondre:0:-1.2 nouvelles:0:-1.2 march+:0:-1.8 fonctionn+:0:-1.8
chauff+:0:-1.5 normal:0:-1.5 possible:0:-0.8 vaut:0:-1.5 valait:0:-1.5 plaît:0:-1.8 plait:0:-1.8
supporte:0:-1.8
"""

# Phrases are matched before single words and are not themselves negated.
_FRENCH_PHRASES = """
bien_sûr:0 bien_entendu:0 bien_que:0 bien_avant:0 bien_loin:0 sans_merci:-1.5 merci_de:0.4
grâce_à:1.0 bonne_nouvelle:2.6 bien_joué:2.6 au_top:2.6 pas_mal:1.6 pas_de_souci:0.8
pas_de_problème:0.8 sans_souci:0.8 sans_problème:1.0 pas_cher:1.5 pas_grave:0.5 quel_plaisir:3.0
coup_de_coeur:3.0 service_impeccable:1.0 ras_le_bol:-2.6 hors_de_prix:-2.2 mise_en_demeure:-2.5
avis_négatif:-2.0 une_étoile:-2.0 1_étoile:-2.0 cher_payé:-1.8 ne_importe_quoi:-2.2
foutage_de_gueule:-3.0 aux_abonnés_absents:-2.2 en_retard:-1.8 en_panne:-2.2 hors_service:-2.0
en_attente:-0.8 toujours_pas:-1.5 toujours_rien:-2.0 toujours_aucun:-1.0 plus_jamais:-2.4
jamais_plus:-2.0 rien_reçu:-2.2 jamais_reçu:-2.2 jamais_arrivé:-2.2 sans_réponse:-2.0
sans_nouvelles:-1.6 pas_terrible:-1.8 pas_top:-1.8 pas_ouf:-1.8 pas_de_réponse:-1.6
aucune_réponse:-2.0 aucune_nouvelle:-1.6 aucun_retour:-1.6 pas_de_retour:-1.2
pas_de_nouvelles:-1.6 double_débit:-2.0 débité_deux_fois:-2.0 débité_2_fois:-2.0 2_fois:-0.4
ufc_que_choisir:-1.8 que_choisir:-1.8 prendre_soin:1.5 vent_en_poupe:1.5 vaut_le_coup:1.5
valait_le_coup:1.5 compter_sur:0.8 à_cause:-0.8 peut_mieux_faire:-1.2 tant_pis:-1.2
"""

# Words that make the following valence stronger ("très bon") or weaker ("un peu déçu").
_BOOSTERS = frozenset(
    "très tres trop vraiment grave super hyper tellement si vachement carrément carrement "
    "extrêmement extremement totalement complètement completement absolument franchement "
    "particulièrement énormément enormement incroyablement terriblement sacrément ultra "
    "méga mega archi putain ptn bien tout vrmt".split()
)
_DAMPENERS = frozenset(
    "peu assez plutôt plutot légèrement legerement moyennement presque quasiment".split()
)
# Negations that work alone ("pas content", "jamais reçu") and those that need a "ne"
# ("je ne suis plus satisfait", but "plus rapide" is not negated).
_NEGATORS = frozenset("pas jamais aucun aucune sans ni guère guere non".split())
_NEGATORS_AFTER_NE = frozenset("plus rien personne".split())
_CONTRAST = frozenset("mais cependant pourtant toutefois".split())
_COMPARATIVES = frozenset("aussi autant si tellement".split())
_ELIDED = frozenset("j l d n s m t c qu jusqu lorsqu puisqu quoiqu".split())
_VERB_ENDINGS = (
    "e es ent er ons ez ais ait aient ai a as ant era erai erait eront ee ees ions iez "
    "i ie ies ir is it issent issons issez irait".split()
)
_DEACCENT = str.maketrans(
    "àâäáãåçéèêëíìîïñóòôöõúùûüýÿ", "aaaaaaceeeeiiiinooooouuuuyy", ""
) | str.maketrans({"œ": "oe", "æ": "ae", "’": "'"})


def _key(word: str) -> str:
    """Lower-case, accents off: the form the French lexicon is keyed by."""
    word = word.lower()
    return word if word.isascii() else word.translate(_DEACCENT)


def _forms(word: str) -> list[str]:
    """The feminine and plural forms generated for a non-verb lexicon entry."""
    forms = [word, word + "s", word + "e", word + "es"]
    if word.endswith("x"):  # heureux → heureuse
        forms += [word[:-1] + "se", word[:-1] + "ses"]
    elif word.endswith("if"):  # positif → positive
        forms += [word[:-1] + "ve", word[:-1] + "ves"]
    elif word.endswith("al"):  # génial → géniaux
        forms += [word[:-1] + "ux"]
    elif word.endswith("er"):  # cher → chère
        forms += [word[:-2] + "ere", word[:-2] + "eres"]
    elif word.endswith("eur"):  # menteur → menteuse
        forms += [word[:-1] + "se", word[:-1] + "ses"]
    if word[-1:] in ("l", "n", "t"):  # nul → nulle, bon → bonne, net → nette
        forms += [word + word[-1] + "e", word + word[-1] + "es"]
    return forms


_Entry = tuple[float, float]


def _build_french() -> tuple[dict[str, _Entry], dict[tuple[str, ...], _Entry], frozenset[str]]:
    """Expand the French tables into words, phrases (key → (valence, negated valence)) and verbs."""
    words: dict[str, _Entry] = {}
    verbs: set[str] = set()
    generated: dict[str, _Entry] = {}
    phrases: dict[tuple[str, ...], _Entry] = {}
    spec = _FRENCH_POSITIVE + _FRENCH_NEGATIVE + _FRENCH_NEUTRAL_UNLESS_NEGATED + _FRENCH_PHRASES
    for item in spec.split():
        name, _, rest = item.partition(":")
        values = [float(v) for v in rest.split(":")]
        entry = (values[0], values[1] if len(values) > 1 else values[0] * _NEGATION)
        if "_" in name:
            phrases[tuple(_key(part) for part in name.split("_"))] = entry
        elif name.endswith("+"):
            stem = _key(name[:-1])
            for ending in _VERB_ENDINGS:
                generated.setdefault(stem + ending, entry)
                verbs.add(stem + ending)
        else:
            key = _key(name)
            words[key] = entry
            for form in _forms(key)[1:]:
                generated.setdefault(form, entry)
    for form, entry in generated.items():
        words.setdefault(form, entry)
    # A negation may follow these ("j'aime pas", "ça marche pas", "ça vaut pas le coup").
    forward = verbs | {key for key, (valence, _) in words.items() if valence == 0.0}
    return words, phrases, frozenset(forward)


_FR_WORDS, _FR_PHRASES, _FR_FORWARD = _build_french()
_PHRASE_HEADS = frozenset(phrase[0] for phrase in _FR_PHRASES)
_FR_ACTIVE = frozenset(_FR_WORDS.keys() | _PHRASE_HEADS | _CONTRAST | {"="})  # worth a look
_PHRASE_LENGTHS = {head: sorted({len(p) for p in _FR_PHRASES if p[0] == head}, reverse=True)
                   for head in _PHRASE_HEADS}
_FIRST = operator.itemgetter(0)
_BOOSTER_KEYS = frozenset(_key(w) for w in _BOOSTERS)
_DAMPENER_KEYS = frozenset(_key(w) for w in _DAMPENERS)
_NEGATOR_KEYS = frozenset(_key(w) for w in _NEGATORS)
_NEGATOR_NE_KEYS = frozenset(_key(w) for w in _NEGATORS_AFTER_NE)
