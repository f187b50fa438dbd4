"""Language detection for short social-media messages.

Why it exists: the triage pipeline needs a language for every message (to pick the sentiment
scorer, the intent lexicon, the reply template and an agent who reads it) and most platforms
do not send one. General-purpose detectors are unreliable on the texts this inbox sees most:
"prix?", "dispo ?", franglais, a line of emoji. This detector is tuned for French versus
English and also knows Spanish, German, Italian, Portuguese and Dutch well enough to route.

How: a weighted vocabulary (function words and the everyday words of a shop's inbox), French
and Italian elisions, diacritics, and word endings for words the vocabulary lacks. Each piece
of evidence adds a weight to one or more languages; the best total wins when it is strong
enough, otherwise English. A valid hint skips all of this. All tables are data written for
this module; the only regular expression is a constant, never built from input, and text is
capped before analysis so the cost per message is bounded.
"""

from __future__ import annotations

import re

__all__ = ["DEFAULT", "LANGUAGES", "detect"]

LANGUAGES: tuple[str, ...] = ("en", "fr", "es", "de", "it", "pt", "nl")
"""Languages the text can be recognised as (a valid hint may name any ISO 639-1 language)."""

DEFAULT = "en"
"""Returned when the text carries too little evidence and there is no usable hint."""

MIN_EVIDENCE = 1.0
"""Smallest winning score trusted over the default: one clear word is enough."""

MAX_CHARS = 2_000
"""Only the start of a long text is analysed: language is settled long before that."""

_EN, _FR, _ES, _DE, _IT, _PT, _NL = range(7)

# Vocabulary, per language: "word:weight" (weight 2 when omitted). A word listed for several
# languages counts for each, so shared words ("de", "la", "in") separate those languages from
# the others without choosing between them.
_VOCAB = {
    _EN: """
    the:3 and:2.5 is:2 are:2 was:1.5 were:2 of:1.5 to:1.5 in:0.5 it:2 that:2 this:2.5 with:2
    for:1.5 you:2.5 your:2.5 yours my:2 mine i:1.5 me:0.5 we:1.5 us:0.5 they:2 he:1 she his her
    our their them him have has:1.5 had do:1.5 does did not no:0.5 but:2 or:1 if:1 so:1.5 just
    what how why when where who which will:1.5 would can:1.5 could should be been being get got
    all:1 any some more:1 most about from:1.5 at:1 on:1 by:1 up:1 out:1.5 there here:1.5 than
    then now:1.5 very:2.5 too:1 much many only still also again after before because really
    thanks:3 thank:3 thx:2 please:3 pls:2 plz:2 hi:1 hey:1.5 yes yeah:3 yep:3 nope:2 ok:0.5
    okay:1 love:1.5 lovely:3 good:2.5 great:2.5 best:2 better nice:1 bad:2 worst:3 awesome:3
    amazing:3 new:1.5 old:1.5 one:1.5 two:2 three:3 first:2 last:2 next:2 day:1.5 days time:1
    order:1.5 ordered:3 orders week:3 weeks:3 month:3 months:3 year:2.5 years:2.5 today:3
    tomorrow:3 tonight:3 yesterday:3 morning:3 night:2 know think want need like:1.5 make made
    going gonna:3 wanna:3 gotta:3 go:1 come:1.5 see:1.5 say said tell ask look:1.5 take give
    buy:3 bought:3 send:2.5 sent:2.5 help:2 work:1.5 works:2 working:2 try:2 tried:3 use:1
    used:1 using:3 wait:2 waiting:3 arrived:3 received:3 delivery:3 shipping:3 ship:2 shipped:3
    package:2 parcel:2 box:1 bag:2 bags:3 beans:3 coffee:1.5 grinder:3 cup:2 shop:1 store:1
    refund:3 money:3 back:2 price:2 free:1 link:0.5 account:2 email:0.5 support:1 customer:2
    broken:3 still:2 again:2 never:3 always:3 every:2 everyone:3 something:3 anything:3
    nothing:3 someone:3 thing:2 things:2 people:3 guys:2 way:1.5 lot:1.5 little:2 big:2
    right:2 well:1.5 sure:1.5 even:2 though:3 actually:3 maybe:3 other:2 another:3 these:3
    those:3 over:1 off:1 into:3 through:3 without:3 while:2 since:1.5 until:3 ever:2 yet:2
    between:3 around:3 its:1.5 an:1 am:1.5 im:2 dont:2.5 cant:2.5 didnt:3 doesnt:3 wont:2
    isnt:3 ive:2 youre:3 thats:2 whats:2 lol:0.5 omg:0.5 wtf:1 tbh:2 ngl:2 idk:2 gonna:3
    happy:3 sad:2 sorry:3 fine:1 hope:3 wish:3 wow:1 cool:0.5 fun:1.5 funny:3 game:1.5
    watch:2 watching:3 show:1 live:1 life:2 world:3 home:2 house:2 school:3 friend:3 friends:3
    family:2 mom:3 dad:2 girl:2 boy:2 man:1.5 woman:3 who's:3 i'd:3 i'll:3 we're:3 they're:3
    you've:3 we've:3 i've:3 i'm:3 it's:3 that's:3 there's:3 what's:3 let's:3 don't:3
    doesn't:3 didn't:3 can't:3 won't:3 isn't:3 aren't:3 wasn't:3 haven't:3 hasn't:3
    couldn't:3 wouldn't:3 shouldn't:3 you'll:3 he's:3 she's:3 y'all:3 ain't:3 young:3
    under:2 against:3 during:3 each:2.5 both:2.5 such:2.5 own:2.5 same:2 few:2.5 long:1
    high:2 low:1.5 small:2 large:2 real:1 true:2 hard:2 easy:2 early:3 late:1.5 far:1.5
    near:2 soon:3 already:3 almost:3 enough:3 least:3 less:1.5 whose:3 whom:3 become:3
    keep:3 let:2 put:1 seem:3 feel:2.5 leave:3 call:2 called:3 find:2.5 found:2.5 show:1
    thought:3 went:3 came:3 told:3 knew:3 saw:2.5 took:3 gave:3 left:2.5 heard:3 read:1.5
    wrote:3 paid:3 pay:2 charged:2 cost:2 costs:2 news:2 country:3 state:1.5 city:1 team:2
    season:2.5 episode:2 weekend:3 birthday:3 christmas:3 guy:2.5 kid:2.5 kids:2.5 wife:3
    husband:3 son:1 daughter:3 brother:3 sister:3 everything:3 everybody:3 nobody:3
    anyone:3 lmao:2 haha:1 smh:2 fucking:3 shit:2 damn:2 hell:2 stuff:3 fresh:2 roast:2
    roasted:3 taste:2 tastes:3 flavour:2 flavor:3 subscription:3 tracking:3 replacement:2
    um:1.5 hoe:1 hoes:3 bitch:3 bitches:3 ass:2.5 fuck:3 yo:1 should:2.5 would:2.5 could:2.5
    """,
    _FR: """
    le:2 la:1.5 les:2.5 un:1.5 une:2.5 des:2 du:2.5 de:1 et:2.5 est:2.5 sont:3 ce:2 cette:3
    ces:3 cet:3 ça:3 ca:2 je:3 tu:1.5 il:1.5 elle:2.5 nous:3 vous:3 ils:3 elles:3 on:0.5 mon:2.5
    ma:1.5 mes:3 ton:1 ta:1 tes:3 son:0.5 sa:1 ses:3 notre:3 votre:3 vos:3 leur:3 leurs:3
    qui:2.5 que:1 quoi:3 quel:3 quelle:3 quels:3 quelles:3 où:3 pour:2 par:2 avec:3 sans:2.5
    sur:2.5 dans:3 chez:3 entre:1 vers:1.5 pas:2.5 ne:1.5 plus:1.5 mais:2 ou:1.5 donc:3 car:0.5
    si:0.5 très:3 tres:2 trop:2.5 bien:2 aussi:3 encore:2.5 toujours:3 jamais:3 rien:3 tout:2.5
    tous:3 toute:3 toutes:3 même:3 meme:2 déjà:3 deja:2.5 après:3 apres:2 avant:2.5 depuis:3
    comment:2 combien:3 pourquoi:3 quand:2 alors:3 avoir:3 être:3 etre:2.5 fait:2.5 faire:3
    fais:3 faut:3 peut:3 peux:3 pouvez:3 veux:3 voudrais:3 voulais:3 aimerais:3 suis:3 es:0.5
    ai:2.5 as:0.5 avez:3 avons:3 sommes:3 êtes:3 été:3 était:3 serait:3 sera:3 va:1.5 vais:3
    vont:3 ont:3 aller:3 dit:2 dire:3 voir:3 vu:2 savoir:3 sais:3 bonjour:3 bonsoir:3 merci:3
    svp:3 stp:3 oui:3 non:1.5 salut:3 coucou:3 slt:3 bjr:3 cc:1 mdr:3 ptdr:3 ptn:3 putain:3
    nul:3 nulle:3 génial:3 genial:2 top:0.3 prix:3 dispo:3 disponible:3 commande:3 commandé:3
    commander:3 livraison:3 livré:3 livrez:3 livrer:3 colis:3 reçu:3 recu:2.5 reçue:3 envoi:3
    envoyé:3 remboursement:3 rembourser:3 remboursé:3 moulin:3 café:1.5 cafe:0.5 cafetière:3
    paquet:3 sachet:3 grains:2 boutique:2 demain:3 hier:3 aujourd'hui:3 semaine:3 semaines:3
    jours:3 jour:2 mois:3 ans:2 fois:3 chose:3 truc:3 bon:2.5 bonne:3 mauvais:3 mauvaise:3
    petit:3 petite:3 grand:2 grande:2 nouveau:3 nouvelle:3 vraiment:3 franchement:3 vite:2
    tard:3 aucun:3 aucune:3 quelqu'un:3 quelque:3 autre:2.5 autres:3 beaucoup:3 peu:3 moins:3
    mieux:3 pire:3 là:2 ici:3 voilà:3 voila:2 au:1.5 aux:2.5 y:0.5 en:1 avoir:3 merde:3
    depuis:3 toujours:3 problème:3 probleme:2 souci:3 réponse:3 reponse:2 service:0.3
    abonnement:3 adresse:3 frais:3 port:1 cadeau:3 noël:3 noel:2 livre:1 maintenant:3 moi:3
    toi:3 lui:2 eux:3 ceux:3 celui:3 celle:3 cela:3 ceci:3 chaque:3 plusieurs:3 sous:2
    devant:3 contre:2 pendant:3 sinon:3 ensuite:3 enfin:3 puis:2 comme:2 peut-être:3 voici:3
    oh:0 ah:0 hein:3 bah:2 ouais:3 ok:0.2 cool:0.2 trop:2.5 grave:1 kiffe:3 kif:2 chelou:3
    nickel:2 dommage:3 déçu:3 déçue:3 decu:2 heureux:3 heureuse:3 content:1.5 contente:3
    adore:2 aime:2.5 j'aime:3 c'est:3 n'est:3 qu'il:3 d'un:3 d'une:3 l'on:3 gens:3 monde:2
    pays:3 ville:3 maison:1.5 vie:2 travail:3 année:3 temps:2 heure:3 heures:3 homme:3 femme:3
    enfants:3 tôt:3 veut:3 doit:3 dois:3 avait:3 avais:3 fallait:3 pouvoir:3 mettre:3 prendre:3
    donner:3 trouver:3 trouve:3 pense:2.5 crois:3 voulez:3 savez:3 connais:3 attendre:3
    attends:3 attente:3 écris:3 écrit:2 vs:0 thx:0 arnaque:3 escroc:3 escrocs:3
    ouvert:3 ouverte:3 ouverts:3 fermé:3 ferme:1.5 lundi:3 mardi:3 mercredi:3 jeudi:3
    vendredi:3 samedi:3 dimanche:3 panier:3 retour:2 échange:3 retard:3 cassé:3 cassée:3
    abîmé:3 remboursez:3 expédiez:3 expédition:3 suivi:3 numéro:3 facture:3 carte:1 goût:3
    gout:2 tasse:3 lait:3 sucre:2 filtre:2 mouture:3 moulu:3 torréfaction:3 boîte:3 boite:2
    bouteille:3 truc:3 trucs:3 marche:2 fonctionne:3 besoin:3 envie:3 super:0.3 sympa:3
    boulot:3 bisous:3 bises:3 tkt:3 jsp:3 chui:3 jpp:3 wesh:3 ouf:1.5 bref:3 genre:1.5
    """,
    _ES: """
    el:2.5 la:1 los:3 las:2.5 un:0.5 una:1.5 unos:3 unas:3 y:1.5 es:1.5 son:1 está:3 esta:2
    están:3 estoy:3 estamos:3 que:1 qué:3 de:1 del:2.5 en:0.5 con:1.5 por:2 para:2 pero:3
    muy:3 más:2.5 mas:0.5 no:0.5 sí:2 si:0.5 yo:3 tú:3 él:3 ella:3 nosotros:3 ustedes:3 mi:1
    mis:2.5 tu:0.5 su:2 sus:2.5 lo:1.5 le:0.5 les:0.5 se:1 me:0.5 te:1 nos:1 hay:3 hola:3
    gracias:3 cuando:2 cómo:3 como:1 donde:2.5 dónde:3 porque:2 pues:3 también:3 tambien:2.5
    ya:1 todo:2 todos:2 bien:0.5 bueno:3 buena:3 buenos:3 mucho:3 muchas:3 muchos:3 hacer:3
    tiene:3 tengo:3 tienen:3 puede:3 puedo:3 quiero:3 hace:3 gusta:3 eso:3 esto:3 este:1.5
    ese:3 esa:2 al:1 sin:2 sobre:2 cuánto:3 cuanto:2.5 precio:3 pedido:2 envío:3 envio:2
    nada:3 algo:3 ahora:3 hoy:3 mañana:3 ayer:3 aquí:3 aqui:2 fue:3 ser:2 hasta:3 desde:3
    entre:1 otro:2 otra:2 cuál:3 cual:2 quién:3 favor:2 señor:3 año:3 años:3 días:3 dia:1.5
    día:3 semana:3 vez:3 tiempo:3 gente:3 cosa:1.5 mejor:3 peor:3 nuevo:3 nueva:3 siempre:3
    nunca:3 todavía:3 aún:3 llegó:3 recibido:3 café:0.5 molinillo:3 vale:1.5 genial:1
    encanta:3 quiero:3 necesito:3 tienen:3 hacen:3 envían:3 lunes:3 sábado:3 domingo:3
    """,
    _DE: """
    der:3 die:2 das:3 und:3 ist:3 sind:3 nicht:3 ich:3 du:1 er:1.5 sie:2.5 wir:3 ihr:2 es:0.5
    ein:3 eine:3 einen:3 einem:3 einer:3 mit:2.5 für:3 fur:2 auf:3 von:2.5 zu:1.5 im:1.5 den:2
    dem:3 des:0.5 auch:3 noch:3 schon:3 aber:3 oder:3 wenn:3 wie:3 was:0.5 wo:2 warum:3
    bitte:3 danke:3 hallo:2 ja:2 nein:3 sehr:3 gut:3 mein:3 meine:3 dein:3 kein:3 keine:3
    habe:3 hat:1.5 haben:3 wird:3 werden:3 kann:3 war:1 bin:2 bestellung:3 lieferung:3
    kaffee:3 mühle:3 heute:3 morgen:3 gestern:3 immer:3 nur:3 schon:3 jetzt:3 mehr:3 viel:3
    alles:3 nichts:3 hier:2 dass:3 weil:3 über:3 uber:0 nach:3 bei:3 aus:3 um:1 man:0.5
    sich:3 mich:3 dich:3 uns:3 euch:3 wieder:3 schön:3 toll:3 super:0.3 geld:3 zurück:3
    wann:3 woche:3 wochen:3 tage:3 tag:2 jahr:3 leider:3 vielen:3 dank:1.5 guten:3 kaputt:3
    paket:3 preis:3 bestellt:3 geliefert:3 erhalten:3 liefert:3 samstag:3 sonntag:3
    montag:3 funktioniert:3 warte:3 seit:3 maschine:3
    """,
    _IT: """
    il:1 lo:1 la:1 gli:3 le:0.5 un:0.5 una:1.5 di:2.5 da:1.5 del:1 della:3 delle:3 dei:2.5
    dal:2 dalla:3 nel:2.5 nella:3 al:0.5 alla:3 alle:2 che:3 è:2.5 e:1 non:1.5 per:2 con:1
    sono:3 ho:3 hai:3 ha:1.5 abbiamo:3 avete:3 mi:1 ti:1 ci:2 si:0.5 ma:1 anche:3 molto:3
    più:3 come:1 perché:3 perche:2.5 quando:1.5 dove:3 questo:3 questa:3 quello:3 quella:3
    grazie:3 ciao:3 buongiorno:3 buonasera:3 sì:1 tutto:3 tutti:3 bene:3 bello:3 bella:3
    cosa:2 ancora:3 sempre:2 già:3 gia:2 solo:1.5 ordine:3 spedizione:3 caffè:3 macinino:3
    oggi:3 domani:3 ieri:3 adesso:3 ora:1.5 niente:3 nulla:3 qualcosa:3 qualcuno:3 fatto:3
    fare:3 essere:3 avere:3 posso:3 può:3 voglio:3 vorrei:3 sei:2 siamo:3 siete:3 era:1
    stato:3 stata:3 prezzo:3 quanto:2 costa:2 giorno:3 giorni:3 settimana:3 anni:3 volta:3
    mio:3 mia:3 tuo:3 tua:3 suo:3 sua:1.5 nostro:3 vostro:3 ottimo:3 buono:3 grande:1.5
    allora:3 però:3 pero:0.5 poi:3 mai:3 troppo:3 tanto:3 pacco:3 ricevuto:3 arrivato:3
    """,
    _PT: """
    o:1.5 os:2 a:0.5 as:0.5 um:3 uma:3 de:1 do:1.5 da:1.5 dos:2.5 das:2.5 no:0.5 na:2 nos:1
    nas:2.5 em:3 e:1 é:2.5 que:1 não:3 nao:2.5 com:2.5 para:1.5 por:1 mais:1 muito:3 muita:3
    eu:3 você:3 voce:3 vc:3 ele:3 ela:2 nós:3 meu:3 minha:3 seu:2.5 sua:1.5 isso:3 isto:3
    este:1 esta:1 está:2 estou:3 são:3 tem:3 tenho:3 obrigado:3 obrigada:3 olá:3 ola:2 oi:2
    bom:3 boa:3 também:3 tambem:3 já:3 ainda:3 quando:1 como:1 onde:3 porque:1 pedido:2
    entrega:3 hoje:3 amanhã:3 ontem:3 agora:3 aqui:1.5 nada:1 coisa:3 gente:1.5 pra:3 pro:1
    vai:3 vou:3 foi:3 ser:1 fazer:3 pode:3 posso:3 quero:3 preciso:3 obrigado:3 dia:1.5
    dias:3 semana:1.5 ano:3 anos:3 vez:1.5 melhor:3 pior:3 novo:3 nova:3 sempre:2 nunca:1.5
    recebi:3 chegou:3 preço:3 quanto:1.5 custa:2 café:0.5 moedor:3 mas:1.5 sim:3
    vocês:3 voces:2 entregam:3 gostei:3 adorei:3 ótimo:3 otimo:2 funciona:1 máquina:1.5
    """,
    _NL: """
    de:1 het:3 een:3 en:1 is:1 zijn:3 niet:3 ik:3 je:1 jij:3 we:0.5 wij:3 hij:3 zij:2 ze:2
    u:0.5 van:2.5 op:2.5 te:1 met:2.5 voor:3 in:0.5 aan:3 dat:2 die:1 dit:3 er:1 maar:3 ook:3
    nog:3 al:1 wel:3 geen:3 heb:3 hebben:3 heeft:3 was:0.5 wordt:3 kan:2 kunnen:3 moet:3
    wil:2 mijn:3 jouw:3 onze:3 hoe:1.5 wat:2.5 waar:3 waarom:3 wanneer:3 bedankt:3 dank:1.5
    hallo:1.5 hoi:3 ja:1 nee:3 goed:3 mooi:3 heel:3 erg:2 bestelling:3 levering:3 koffie:3
    molen:3 vandaag:3 morgen:1 gisteren:3 altijd:3 nooit:3 alleen:3 veel:3 niets:3 niks:3
    iets:3 hier:1 daar:3 naar:3 uit:3 bij:3 om:2 als:3 dan:2 nu:2 zo:2 toch:3 even:0.5
    alsjeblieft:3 graag:3 prijs:3 pakket:3 besteld:3 geleverd:3 ontvangen:3 week:0.5
    weken:3 dagen:3 jaar:3 lekker:3 zeer:3 jullie:3 hun:3 mij:3 jou:3 hem:3 haar:3 ons:3
    kapot:3 leveren:3 verzenden:3 zaterdag:3 zondag:3 maandag:3 wachten:3 wacht:3
    """,
}

# The tables below read "key=<language><weight>,...": "able=en0.5,fr0.5" means the ending
# "-able" adds 0.5 to English and 0.5 to French.

# Elided articles and pronouns ("j'ai", "qu'il", "l'ordine"), matched on the part before the
# apostrophe when the whole token is not in the vocabulary.
_ELISION_SPEC = """
j=fr3 qu=fr3 n=fr2.5 c=fr2.5,it1 l=fr2,it1.5 d=fr2.5 s=fr2 m=fr2 t=fr1.5 jusqu=fr3
lorsqu=fr3 puisqu=fr3 dell=it3 all=it3 nell=it3 dall=it3 sull=it3 un=it2 quell=it3 po=it3
"""

# Word endings, tried longest first on words of 4 letters or more the vocabulary lacks.
_SUFFIX_SPEC = """
ing=en1.5 ings=en1.5 ness=en2 ful=en2 ly=en1 ed=en0.7 ight=en2 ould=en2 ough=en2 's=en1.5
ship=en1.5 less=en1.5 able=en0.5,fr0.5 tion=en0.5,fr0.5 tions=en0.5,fr0.5 ment=en0.4,fr0.6
eau=fr2 eaux=fr2.5 eux=fr2 euse=fr2 ement=fr1.5 ais=fr1,pt0.5 ait=fr1.5 aient=fr3 oir=fr1.5
oire=fr1.5 ique=fr1 iques=fr2 ette=fr1 ez=fr1.5,es0.5 aux=fr1.5 eur=fr1.5 eurs=fr2 ée=fr1.5
ées=fr2 és=fr1,es0.5 ons=fr0.7 ent=fr0.5,en0.3 ité=fr2 ités=fr2.5 er=fr0.3,de0.3,en0.2
ir=fr0.5,es0.3 ción=es3 cion=es2 ado=es1.5,pt0.8 ada=es1.2,pt0.8 idad=es3 mente=es1,it1,pt1
aba=es1.5 ando=es1.2,it0.8,pt0.8 iendo=es2.5 ito=es1,it0.5 os=es0.5,pt0.5 ía=es1.5,pt0.5
ar=es0.4,pt0.4 ung=de2.5 ungen=de3 keit=de3 heit=de3 lich=de2.5 isch=de2.5 chen=de2
zione=it3 zioni=it3 etto=it1.5 etta=it1.5 issimo=it3 ino=it1 are=it0.7 ere=it0.7 ità=it3
oni=it1 ati=it1 ção=pt3 ções=pt3 ão=pt3 inho=pt2.5 inha=pt2.5 agem=pt2 dade=pt2.5 heid=nl3
lijk=nl3 tje=nl3 tjes=nl3 ijn=nl2.5
"""

# Letters only some languages use; each distinct letter present counts once.
_LETTER_SPEC = """
é=fr1.5,es0.5,pt0.5,it0.3 è=fr1.5,it1 ê=fr1.5,pt1 à=fr1.5,it1,pt0.5 ç=fr1.5,pt1.5
ù=fr1.5,it1 û=fr2 î=fr2 ï=fr2 ë=fr0.5,nl1.5 œ=fr3 â=fr1.5,pt1.5 ô=fr1.5,pt1.5 ñ=es3 ¿=es3
¡=es3 á=es1.5,pt1.5 í=es1.5,pt1 ó=es1.5,pt1 ú=es1.5,pt1 ã=pt3 õ=pt3 ä=de2.5 ö=de2.5,nl0.3
ü=de2.5 ß=de3 ì=it2.5 ò=it2.5
"""

# Letter groups typical of a language, looked for anywhere in the words of the text.
_INFIX_SPEC = """
sch=de1 ij=nl1 aa=nl1 oe=nl0.5 uu=nl1 gli=it1 zz=it0.7 cch=it1 nh=pt1 lh=pt1 th=en0.7
w=en0.5,de0.3,nl0.3
"""

# ISO 639-1, for telling a real language hint ("fr", "pt-BR") from noise ("xx", "und").
_ISO_639_1 = frozenset(
    """
aa ab ae af ak am an ar as av ay az ba be bg bh bi bm bn bo br bs ca ce ch co cr cs cu cv cy
da de dv dz ee el en eo es et eu fa ff fi fj fo fr fy ga gd gl gn gu gv ha he hi ho hr ht hu
hy hz ia id ie ig ii ik io is it iu ja jv ka kg ki kj kk kl km kn ko kr ks ku kv kw ky la lb
lg li ln lo lt lu lv mg mh mi mk ml mn mr ms mt my na nb nd ne ng nl nn no nr nv ny oc oj om
or os pa pi pl ps pt qu rm rn ro ru rw sa sc sd se sg si sk sl sm sn so sq sr ss st su sv sw
ta te tg th ti tk tl tn to tr ts tt tw ty ug uk ur uz ve vi vo wa wo xh yi yo za zh zu
""".split()
)

Hits = tuple[tuple[int, float], ...]


def _parse(spec: str) -> dict[str, Hits]:
    """Read a "key=<language><weight>,..." table into key → ((language index, weight), ...)."""
    table: dict[str, Hits] = {}
    for item in spec.split():
        key, _, weights = item.partition("=")
        table[key] = tuple(
            (LANGUAGES.index(part[:2]), float(part[2:])) for part in weights.split(",")
        )
    return table


_ELISIONS = _parse(_ELISION_SPEC)
_SUFFIXES = _parse(_SUFFIX_SPEC)
_SUFFIX_LENGTHS = sorted({len(s) for s in _SUFFIXES}, reverse=True)
_LETTERS = _parse(_LETTER_SPEC)
_LETTER_SET = frozenset(_LETTERS)
_INFIXES = tuple(_parse(_INFIX_SPEC).items())

# Words: letters with inner apostrophes ("j'ai", "don't"); URLs and @mentions consume
# themselves and yield an empty match, so they are ignored.
_TOKEN = re.compile(r"(?:https?://|www\.)\S*|@\w+|([^\W\d_]+(?:'[^\W\d_]+)*)")
# The same in ASCII text, where `[^\W\d_]` is a letter and `\w` these characters: sets of
# characters cost the regular expression engine far less than Unicode categories.
_ASCII_TOKEN = re.compile(r"(?:https?://|www\.)\S*|@[0-9A-Za-z_]+|([A-Za-z]+(?:'[A-Za-z]+)*)")


def _build_vocabulary() -> dict[str, Hits]:
    merged: dict[str, dict[int, float]] = {}
    for lang, spec in _VOCAB.items():
        for item in spec.split():
            word, _, weight = item.partition(":")
            merged.setdefault(word, {})[lang] = float(weight) if weight else 2.0
    return {
        word: tuple((lang, w) for lang, w in sorted(weights.items()) if w > 0)
        for word, weights in merged.items()
    }


_WORDS = _build_vocabulary()


def _valid_hint(hint: object) -> str | None:
    """Return the ISO 639-1 code of a usable hint ("fr", "FR", "fr-CA"), else None."""
    if not isinstance(hint, str) or len(hint) < 2:
        return None
    if len(hint) > 2 and hint[2] not in "-_":  # "und", "fra", "french": not 639-1
        return None
    code = hint[:2].lower()
    return code if code in _ISO_639_1 else None


def _token_hits(token: str) -> Hits:
    """Evidence one token gives: vocabulary, elided prefix ("j'", "dell'"), else its ending."""
    hits = _WORDS.get(token)
    if hits is not None:
        return hits
    found: Hits = ()
    if "'" in token:
        head, _, tail = token.partition("'")
        prefix = _ELISIONS.get(head)
        if prefix is None and tail == "s":  # English possessive: "roaster's"
            prefix = _SUFFIXES["'s"]
            tail = head
        found = prefix or ()
        token = tail.rpartition("'")[2]
        hits = _WORDS.get(token)
        if hits is not None:
            return found + hits
    if len(token) >= 4:
        for n in _SUFFIX_LENGTHS:
            hits = _SUFFIXES.get(token[-n:])
            if hits is not None:
                return found + hits
    return found


# Per-token evidence is memoised (most words of a stream repeat). Only short tokens are kept
# and the cache stops growing at a fixed size, so hostile input cannot inflate memory; results
# never depend on it.
_CACHE: dict[str, Hits] = {}
_CACHE_MAX = 50_000
_CACHE_TOKEN_MAX = 24


def _scores(text: str) -> list[float]:
    """Per-language evidence for `text`, indexed like `LANGUAGES`."""
    scores = [0.0] * len(LANGUAGES)
    sample = text[:MAX_CHARS].lower()
    if "\u2019" in sample or "\u02bc" in sample:
        sample = sample.replace("\u2019", "'").replace("\u02bc", "'")
    ascii_only = sample.isascii()
    tokens = [token for token in (_ASCII_TOKEN if ascii_only else _TOKEN).findall(sample) if token]
    cache = _CACHE
    for token in tokens:
        hits = cache.get(token)
        if hits is None:
            hits = _token_hits(token)
            if len(token) <= _CACHE_TOKEN_MAX and len(cache) < _CACHE_MAX:
                cache[token] = hits
        for lang, weight in hits:
            scores[lang] += weight
    joined = " ".join(tokens)  # without links and @handles, whose letters mean nothing
    for letter in () if ascii_only else _LETTER_SET.intersection(joined):  # none is ASCII
        for lang, weight in _LETTERS[letter]:
            scores[lang] += weight
    for infix, hits in _INFIXES:
        if infix in joined:
            for lang, weight in hits:
                scores[lang] += weight
    return scores


def detect(text: str, hint: str | None = None) -> str:
    """Return the ISO 639-1 code of the language `text` is written in.

    Args:
        text: The message, untrusted and of any length (only its start is analysed).
        hint: The language the platform or the event claims, if any. A valid code ("fr",
            "EN", "pt-BR" gives "pt") wins without the text being looked at.

    Returns:
        The hint when valid; otherwise the best of `LANGUAGES` when the text carries enough
        evidence, else `DEFAULT` (emoji only, a number, a link, one unknown word).
    """
    code = _valid_hint(hint)
    if code is not None:
        return code
    if not isinstance(text, str) or not text:
        return DEFAULT
    best, top = DEFAULT, MIN_EVIDENCE - 1e-9
    for lang, value in zip(LANGUAGES, _scores(text), strict=True):
        if value > top:  # strictly greater: ties go to the earlier language
            best, top = lang, value
    return best
