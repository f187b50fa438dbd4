"""Hand-written text catalogue for the demo store, Brûlerie Lumen.

Brûlerie Lumen is a fictional small coffee roaster in Nantes (shop + roastery, handle
@brulerielumen) that sells single origins, a house blend, a decaf, a subscription, two
grinders, an espresso machine and a few accessories, and answers customers in French and
English. The demo generator picks a scenario by weight, an opener, a few follow-ups and agent
replies, then fills the slots with :func:`fill`. Every sentence here was written for this
project.

Slots (filled with plain string replacement, never ``str.format``; one set of values per
thread so a reply names the same product as the opener):

``{product}``
    a product name from :data:`PRODUCTS` (any of them, so texts about a machine or a bag
    name it in clear instead); ``{price}`` its price, already formatted with the currency for
    the thread's language ("14 €" / "€14").
``{order_no}``
    an order number such as "BL-10482".
``{delay}``
    a duration already localised: "3 days" / "3 jours".
``{first_name}``
    the customer's first name; ``{agent}`` the first name of the replying agent
    (:data:`AGENT_FIRST_NAMES`); ``{city}`` a city from :data:`CITIES`.

Scenario blocks are written one message per line: a plain line is an opener, a line starting
with ``+ `` a customer follow-up, a line starting with ``> `` an agent reply; `` | `` separates
several short messages on one line (each with its own prefix); a backslash at the end of a line
continues the message.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

SLOTS: tuple[str, ...] = ("product", "order_no", "delay", "first_name", "agent", "city", "price")
KINDS: tuple[str, ...] = ("comment", "dm", "mention")
INTENTS: tuple[str, ...] = (
    "purchase", "shipping", "refund", "complaint", "warranty", "safety", "legal", "praise",
    "question", "ugc", "partnership",
)  # fmt: skip
MODERATION: tuple[str, ...] = (
    "spam", "profanity", "hate", "harassment", "threat", "doxxing", "pii_self",
)  # fmt: skip
RESOLUTIONS: tuple[str, ...] = (
    "answered", "info-given", "order-placed", "refunded", "replaced", "escalated", "removed",
    "no-action",
)  # fmt: skip


@dataclass(frozen=True)
class Scenario:
    name: str
    lang: str
    kinds: tuple[str, ...]
    weight: float
    intents: tuple[str, ...]
    moderation: tuple[str, ...]
    openers: tuple[str, ...]
    followups: tuple[str, ...]
    replies: tuple[str, ...]
    resolution: str
    vip: bool = False


def fill(text: str, values: dict[str, str]) -> str:
    """Replace each known ``{slot}`` in ``text`` with ``values[slot]``.

    One pass over the original text: a value that itself contains braces is inserted as is,
    never expanded again. Braces that do not name a slot of :data:`SLOTS` are left alone; a slot
    present in the text but missing from ``values`` raises ``KeyError``.
    """
    out: list[str] = []
    rest = text
    while rest:
        start = rest.find("{")
        if start < 0:
            out.append(rest)
            break
        end = rest.find("}", start)
        name = rest[start + 1 : end] if end > 0 else ""
        if name in SLOTS:
            out.append(rest[:start])
            out.append(values[name])
            rest = rest[end + 1 :]
        else:
            out.append(rest[: start + 1])
            rest = rest[start + 1 :]
    return "".join(out)


def _s(
    name: str,
    lang: str,
    kinds: str,
    weight: float,
    intents: str,
    moderation: str,
    resolution: str,
    block: str,
    vip: bool = False,
) -> Scenario:
    """Build a scenario from a text block (see the module docstring for the line format)."""
    parts: dict[str, list[str]] = {"": [], "+ ": [], "> ": []}
    for raw in block.splitlines():
        line = " ".join(raw.split())
        if not line:
            continue
        for part in line.split(" | "):
            prefix = part[:2] if part[:2] in ("+ ", "> ") else ""
            if part[len(prefix) :].strip():
                parts[prefix].append(part[len(prefix) :].strip())
    return Scenario(
        name=name,
        lang=lang,
        kinds=tuple(kinds.split()),
        weight=float(weight),
        intents=tuple(intents.split()),
        moderation=tuple(moderation.split()),
        openers=tuple(parts[""]),
        followups=tuple(parts["+ "]),
        replies=tuple(parts["> "]),
        resolution=resolution,
        vip=vip,
    )


# fmt: off
SCENARIOS: tuple[Scenario, ...] = (
    # ------------------------------------------------------------------ English
    _s("price-question", "en", "comment dm mention", 7, "purchase", "", "answered", """
    how much is the {product}? | price on the {product} pls 🙏
    What does the Moulin M2 cost these days? Saw it in your stories
    is the lumen duo still 649 or did it go up | How much for a kilo of the Maison blend?
    what's the monthly price of the Discovery subscription?
    is there a price list somewhere? can't find it on mobile
    Ok I'm sold. How much is the {product}, and do you ship to {city}?
    is the {product} part of the black friday deals or full price
    price gap between the M1 and M2? trying to convince my partner 😅
    how much would 3 bags of Yirgacheffe come to with delivery
    whats the damage for the Duo + M2 bundle, asking for my bank account
    + ok and how much is shipping on top? | + any discount if I take two?
    + perfect, ordering tonight | + does that include the cleaning brush or is it extra
    > Hi {first_name}! The {product} is {price}, and shipping is free over €45. – {agent}
    > Hey {first_name} 👋 {product} is at {price} right now. DM us if you want help choosing!
    > Thanks for asking! {product} costs {price}; we roast to order and ship within {delay}. \
    – {agent}
    """),
    _s("availability", "en", "comment dm", 5, "purchase", "", "answered", """
    is the {product} back in stock? | any Huila left or is it sold out again 😭
    when is the next Sidamo batch? site just says "coming soon"
    does the M2 come in black or only white
    can I still get the Lumen Duo delivered before christmas?
    any news on the Yirgacheffe restock? checking every day lol
    is the decaf available as whole beans? | can I get the Maison in a 1kg bag?
    is {product} sold anywhere in {city} or online only
    + can you let me know when it's back? | + great, so it ships this week?
    + no worries, I'll take the Huila instead
    > Hi {first_name}, the {product} is back and ships within {delay} ☕ – {agent}
    > Good news: the next batch of {product} lands this week. We'll DM you the moment it's live!
    > Sorry {first_name}, {product} sold out faster than planned. Restock expected in {delay}.
    """),
    _s("want-to-order", "en", "comment dm mention", 5, "purchase", "", "order-placed", """
    I'd like to order 2 bags of Sidamo, how do I do that?
    how do I buy the M1? the checkout button does nothing on my phone
    want to order the Lumen Duo, can I pay in 3 instalments?
    Can I order by DM? not a fan of creating accounts | taking the {product}. link please!
    do gift cards exist? a colleague is leaving and we all love your shop
    ok I NEED the M2. where's the buy button 😍
    can I collect my order at the shop instead of delivery?
    trying to set up an order for my office, 4 kg a month. do you invoice companies?
    can the Discovery subscription be sent to someone else's address? it's for my brother
    + done! order {order_no} 🎉 | + ok I'll try again on my laptop
    + can you add a note saying it's a gift?
    > Lovely, {first_name}! Here's the direct link to {product} in DM. Any trouble at checkout, \
    tell us. – {agent}
    > Hi {first_name}, yes: order online and pick "click & collect", it's ready within {delay}.
    > Thanks {first_name}! Order {order_no} is confirmed and will ship within {delay} ☕ – {agent}
    """),
    _s("subscription-question", "en", "comment dm", 3, "purchase question", "", "answered", """
    How does the Discovery subscription work exactly? different coffee every month?
    can I choose beans or ground for the subscription?
    what's in the subscription box this month?
    going travelling in june, can the subscription take a break?
    Is the subscription a fixed price or does it change with the coffee?
    thinking of gifting 3 months of the subscription, is there a gift option?
    can the subscription be decaf only? pregnant and missing good coffee 🙃
    how many grams per delivery? we drink a LOT
    + ok and can I cancel anytime? | + nice, is shipping included? | + sounds good, signing up now
    > Hi {first_name}! Each month you get 2 × 250 g of a new single origin, beans or ground, \
    for €29 shipping included.
    > Yes {first_name}, you can pause, skip or cancel anytime from your account. – {agent}
    > Great question! The gift version runs 3, 6 or 12 months and you pick the start date. \
    – {agent}
    """),
    _s("where-is-my-order", "en", "dm comment", 5, "shipping", "", "info-given", """
    where is my order {order_no}?
    no dispatch email yet for my order from thursday, everything ok?
    tracking hasn't moved since tuesday, can you check?
    tracking claims it was delivered at 11:02. I was home. no parcel.
    when will my Lumen Duo ship? paid on monday
    any update on {order_no}? need it for a birthday on saturday
    which carrier do you use? no idea what to look out for
    the tracking link just gives me an error page
    my parcel is apparently stuck at the depot in {city}
    + thanks, still nothing today though | + got it! cheers
    + ok it just updated, out for delivery 🙌 | + can you email me the tracking number too?
    > Hi {first_name}, order {order_no} has left the roastery and should reach you within {delay}.
    > Thanks for your patience {first_name}! I checked with the carrier, it's in transit in {city}.
    > Sorry for the worry! I've opened a claim with the carrier for {order_no}, update within \
    {delay}. – {agent}
    """),
    _s("shipping-delay", "en", "dm comment mention", 3, "shipping complaint", "", "info-given", """
    ordered {delay} ago and still nothing, bit annoying tbh
    Your site said 2-3 days. It's been {delay}. What's going on?
    my beans are going to be stale before they even get here lol
    still no sign of order {order_no}, it was meant to be a gift
    delivery pushed back AGAIN, that's the third date they've given me
    I get that it's busy before xmas but {delay} for one bag of coffee is a lot
    + ok, I'll wait until friday but then I want a refund | + thanks for checking. fingers crossed
    + it arrived! beans were roasted last week so all good
    > Really sorry {first_name}, that's longer than it should be. I've chased the carrier for \
    {order_no}. – {agent}
    > You're right to flag it. Your parcel was held at the sorting centre, new ETA: {delay}.
    > Apologies for the wait {first_name}! If it isn't with you within {delay}, we reship it free.
    """),
    _s("sarcasm", "en", "comment mention", 1, "shipping complaint", "", "info-given", """
    paid for next-day delivery, got next-week delivery. love it 🙃
    oh amazing, my parcel visited three depots today. it travels more than I do ✈️
    cute that the tracking page still says "preparing" after 9 days. very zen of you
    so the "freshly roasted" beans get here 5 weeks after roasting. very fresh. amazing.
    another "your order is on its way!" email. on its way to where, the moon? 🚀
    10/10 service, my email about {order_no} has been "read" for a week. impressive.
    + lol sure | + still waiting btw | + ok it finally showed up. sorry for the snark
    > Fair hit, {first_name} 😅 That's not the experience we want. Checking {order_no} right now.
    > We deserve that one. Can you DM us your order number so we can sort it today? – {agent}
    > Sorry {first_name}, no excuse for that wait. Your parcel is moving again, ETA {delay}.
    """),
    _s("refund-request", "en", "dm comment", 2, "refund", "", "refunded", """
    I'd like a refund for order {order_no} please, the grinder's never been opened
    can I send back the Moulin M1? it's too loud for our flat
    how do returns work? I picked the wrong grind size
    my bank shows two payments for one order, can you check and refund one?
    I cancelled in october but got billed again this month, can I get that back?
    hi, I'd like my money back for the two split bags, photos attached
    + ok where do I send it? | + how long until it shows on my card? | + received, thank you!
    > Of course {first_name}. The refund for {order_no} is on its way, allow {delay}. – {agent}
    > Hi {first_name}, returns are free within 30 days. I'm DMing you a prepaid label now.
    > Sorry about the double charge! The duplicate has been refunded, expect it within {delay}.
    """),
    _s("complaint", "en", "comment dm mention", 3, "complaint", "", "answered", """
    bit disappointed, the Sidamo tastes flat compared to last time
    the resealable strip on the new bags gave up after two days
    ordered whole beans, received ground. not the end of the world but annoying
    the M1 is way louder than in your video tbh
    the Maison tastes a bit burnt to me the last couple of bags, anyone else?
    my bag was roasted in september and it's november. thought you roasted to order?
    one of the bags burst in transit, beans all over the box
    the milk jug I ordered is a different colour from the photo 😕
    + ok thanks for explaining | + appreciate it, I'll give the next batch a go
    + could you send a replacement bag?
    > Thanks for telling us {first_name}, that's not our standard. Could you DM us your order \
    number? – {agent}
    > Sorry about that! A fresh bag is on us, it ships within {delay}. – {agent}
    > You're right, we adjusted the roast on this lot. Happy to swap it for one you'll enjoy more.
    """),
    _s("complaint-angry", "en", "comment mention dm", 1, "complaint", "", "escalated", """
    NEVER AGAIN. I've emailed FIVE times about my order and got NOTHING back.
    worst online shop I've ever dealt with. amateurs from top to bottom
    you lot are hopeless. paid for a machine, got an empty box, and nobody answers
    Cowboys, the lot of you. Google review going up tonight and it won't be pretty.
    DO NOT ORDER FROM THESE PEOPLE. My Lumen Duo arrived broken and support ignores me.
    never again. everyone in my coffee club is going to hear how you treat customers
    this shop is a scam, plain and simple. one star on every review site I can find
    + STILL NOTHING. | + I want a phone call today, not another template
    + fine. if this is sorted by friday I'll update my review
    > {first_name}, I'm sorry, you should never have had to chase us like this. I'm taking \
    this on personally. – {agent}
    > You're right to be angry. I've escalated {order_no} to our senior team; you'll hear from \
    us within {delay}.
    > I hear you, {first_name}. Can I call you today? DM me a number and a time. – {agent}
    """),
    _s("vip-complaint", "en", "mention dm comment", 0.3, "complaint", "", "escalated", """
    hey @brulerielumen, the M2 you sent for my review rattles. filming tomorrow, what do I do?
    I've sent so many people your way, and my last three orders all arrived a week late. what's up?
    the Huila from the last batch really isn't at your usual level. my community keeps asking me
    second time my subscription box goes to my old address even though I changed it 🙄
    stopped by the shop with my camera crew and we were told no filming at all. awkward
    your new bags look great on camera but half of mine arrived with the valve ripped off
    + thanks for the quick reply, need it sorted before my next video
    + appreciate the call, let's see how it goes | + ok, that's fair. thanks for owning it
    > Hi {first_name}, thank you for telling us directly. Our senior team is on it and will \
    call you today. – {agent}
    > So sorry {first_name}. A replacement leaves by express today, tracking in DM within the hour.
    > You're right, that's below our standard. Our head roaster is looking at this batch and \
    will DM you. – {agent}
    """, vip=True),
    _s("warranty", "en", "dm comment", 1.5, "warranty", "", "replaced", """
    my Moulin M1 stopped turning, motor hums but nothing happens. still under warranty?
    Duo is only lukewarm now, shots come out at like 70°. bought it last spring, covered?
    M2 suddenly gives me boulders and dust in the same dose, something's off inside
    the steam wand on the Duo is leaking at the joint, is that a warranty thing?
    the water tank lid on my Duo snapped, is that a warranty part?
    there's a rattling sound in the M1 since the weekend, should I stop using it?
    the pump on my machine got really loud all of a sudden and the pressure is low
    + bought it in march, order {order_no} | + ok sending it tomorrow
    + got the replacement part, works perfectly now, thanks!
    > Hi {first_name}, yes, that's covered by our 2-year warranty. I'm sending you a prepaid \
    label in DM. – {agent}
    > Sorry about that! Could you send a short video of the noise? It helps our workshop a lot.
    > Good news {first_name}: it's covered. A replacement part leaves today, expect it within \
    {delay}.
    """),
    _s("warranty-repeat", "en", "dm comment", 0.5, "warranty complaint", "", "escalated", """
    Second time writing about my M2. Your repair changed nothing, same fault as before.
    Duo's back from your workshop and the pump is still making that noise. second time.
    I've now written three times about this grinder. Is anyone reading?
    repair number 2 on the Lumen Duo and it's dripping again after a week
    you sent a new burr set, it didn't help, and now nobody answers. what now?
    it's been {delay} since I sent the machine back for the second time. still broken.
    + I don't want another repair. I want a new machine or my money back.
    + ok, a replacement works for me | + thanks for calling, that actually helped
    > {first_name}, I'm really sorry it failed twice. I've escalated this to our senior \
    technician, no more back and forth. – {agent}
    > That's not acceptable after two repairs. We're replacing it with a brand-new unit, \
    shipping within {delay}.
    > I've read the whole thread, {first_name}. I'll call you today to agree on a replacement or \
    a full refund. – {agent}
    """),
    _s("safety", "en", "dm comment mention", 0.2, "safety complaint", "", "escalated", """
    found a piece of glass in my bag of Sidamo this morning. photos in DM
    hot water shot out of the steam wand and got my wrist, it's blistering now
    smoke came out of the M1 while grinding, had to yank the plug. smells awful
    my daughter's face swelled up after a chocolate from your gift box. is there hazelnut in them?
    got zapped touching the side of the Duo, twice now. is it earthed properly??
    the machine made a loud bang and there's a burning smell coming from the back
    + I'm ok, went to the pharmacy. but this could have been my kid
    + yes I kept the bag and the piece of glass | + thank you for taking it seriously
    > {first_name}, I'm so sorry. Please stop using the product and keep it as it is. Our \
    supervisor will call you today. – {agent}
    > Thank you for telling us. Please keep the bag and packaging; we're opening a safety \
    investigation now. – {agent}
    > Are you ok, {first_name}? Your safety comes first. DM us a number and our quality lead \
    will call you.
    """),
    _s("legal", "en", "dm mention comment", 0.15, "legal complaint", "", "escalated", """
    refund by friday or this goes to my lawyer. your call.
    I've contacted Which? about how you handled my return.
    your website copies text from my blog word for word. my lawyer is drafting a letter.
    since you won't replace a grinder that failed under warranty, I'm filing a small claims case
    This is formal notice: refund order {order_no} within 8 days or I start legal proceedings.
    I've reported your "organic" claim to trading standards, there's no certification on the bag
    + I expect a written answer. | + my lawyer has copies of all our emails
    + ok, I'll wait for your supervisor's call
    > Hello {first_name}, thank you for your message. Our supervisor has your file and will \
    answer in writing within {delay}.
    > We take this seriously, {first_name}. I've passed it to our management; they'll contact \
    you today. – {agent}
    > Thank you, {first_name}. We've received your notice about {order_no} and will reply \
    formally within {delay}.
    """),
    _s("data-request", "en", "dm", 0.15, "legal", "", "escalated", """
    GDPR subject access request: please send me everything you store about me, incl. orders.
    close my account and wipe my details please, I want an email once it's done
    how did you get my email address? I've never bought anything from you. want an answer
    under GDPR, who do you share my data with? newsletter tools, ad platforms, anyone else?
    please erase my order history and delivery address from your systems
    I unsubscribed twice and you keep emailing me. next step is a complaint to the ICO
    + I'd like confirmation by email please | + how long will that take? | + received, thank you
    > Hi {first_name}, we've logged your data request; you'll get a full answer by email within \
    {delay}. – {agent}
    > Thank you {first_name}. Our data protection contact is handling this and will confirm in \
    writing.
    > Sorry about the emails, {first_name}. You're off every list today; we'll confirm by email.
    """),
    _s("praise", "en", "comment mention dm", 8, "praise", "", "answered", """
    no contest, best beans in the city 🔥 | the Sidamo is unreal. blueberries?? in coffee??
    roasted monday, in my cup by wednesday. can't beat that freshness
    two years of daily grinding and the M1 hasn't missed a beat
    the people at the shop are always so lovely ❤️
    thank you for the handwritten note in my parcel, made my day
    can't stop drinking the Maison blend. send help ☕☕
    your decaf doesn't taste like decaf, which is the best compliment I can give
    gifted the subscription to my mum and now she calls me every month to talk coffee 🥹
    Huila in the morning, Yirgacheffe in the afternoon. life is good
    just want to say the packaging is gorgeous
    {agent} sorted my aeropress recipe in two messages, legend 🙌
    + thank you for replying! | + already ordered the next bag 😄 | + will do, see you at the shop
    > Thank you so much {first_name}! This made the whole roastery smile ☕ – {agent}
    > That's so kind, {first_name} 🙏 We'll pass it on to the team!
    > Love hearing this! Enjoy every cup, {first_name} 🧡
    > Aww thank you! Tag us next time you brew, we love seeing your setups 📸
    """),
    _s("keyword-trap", "en", "comment mention", 1.5, "praise", "", "answered", """
    pretty sure this much flavour in one cup is against the law 😂
    scalded my mouth on the first sip because I'm impatient. would do it again
    honestly would commit crimes for another bag of Huila 😅
    my lawyer says I have a problem. my lawyer also drinks your Maison blend
    the Yirgacheffe is criminally underrated
    this espresso is a crime against my sleep schedule ☕🔥
    + haha honestly | + 😂 guilty | + restocking next week for sure
    > Haha, no lawyers needed, just more coffee ☕ Thanks {first_name}! – {agent}
    > We'll take that as a compliment 😄 Enjoy, {first_name}!
    > Ha! Careful with that first sip next time 😅 Thanks for the love!
    """),
    _s("negation", "en", "comment dm", 1.5, "praise", "", "answered", """
    not disappointed at all, the Yirgacheffe is everything you promised
    for once the courier was gentle: zero dents, zero spills 😄
    I don't think I'll ever go back to supermarket coffee
    never had a bad bag from you, not once in two years
    not gonna lie, I wasn't sure about the decaf. I was wrong, it's great
    no need to do anything, just wanted to say the replacement grinder works beautifully
    + honestly no notes | + thanks! no problem at all | + ha, not a single complaint
    > Ha, best kind of message! Thanks {first_name} ☕ – {agent}
    > Thank you {first_name}, this made our day!
    > So glad it all arrived in one piece this time 🙌 Enjoy!
    """),
    _s("short", "en", "comment", 4, "purchase", "", "answered", """
    price? | how much? | link? | ?? | in stock? | cost??
    price pls | still available? | want 😍 | where to buy | 1kg? | link pls 🙏
    + thx | + ok | + ordered | + ty 🙏
    > Hi {first_name}! The {product} is {price}, link in our bio ☕
    > Yes, in stock and ships within {delay} 👍
    > Sent you the link in DM, {first_name}!
    """),
    _s("franglais", "en", "comment mention", 1, "praise", "", "answered", """
    the Maison blend is trop bon, honestly c'est la vie now
    just had a café crème at your shop, c'était magnifique, merci!!
    obsessed with the Sidamo, vraiment. best cup of my week
    Bonjour! the barista today was super sympa, 10/10
    my morning routine: croissant, Huila, bonne humeur ☀️
    you guys are the crème de la crème of roasters, no joke
    + merci beaucoup haha | + à bientôt! | + will come back soon, promis
    > Merci {first_name}! Come back soon, the café crème is waiting ☕ – {agent}
    > Haha, merci beaucoup! We'll tell the barista 😊
    > So happy you loved it, {first_name}. À bientôt!
    """),
    _s("ugc", "en", "comment mention", 3, "ugc", "", "answered", """
    look at this tulip!!! 3 months of practice on the Duo finally paying off
    saturday slow brew: Chemex, Yirgacheffe, and absolutely no plans 📸
    latte art attempt #47, getting there 😅 #brulerielumen
    kitchen reno done, built the whole shelf around the Duo lol
    espresso tonic with the Sidamo, recipe in my reel 🍋
    opening my first subscription box live in stories rn 📦 @brulerielumen
    rosetta on oat milk, be honest 👀
    + sure you can repost it! | + yes tag me on the post pls | + thank you 😍
    > That's beautiful, {first_name}! Could we share it on our page? We'll credit you of course.
    > Look at that pour 😍 Huge progress! Mind if we repost?
    > What a setup! Thanks for tagging us, {first_name} ☕
    """),
    _s("partnership", "en", "dm", 1, "partnership", "", "answered", """
    hey! I make cosy morning-routine videos (around 5k followers), could your beans feature in one?
    we run a small newsletter about local makers, could we feature the roastery?
    we're a coworking space in {city} looking for a coffee partner, interested?
    hello, I organise a food market in the spring, would you like a stand?
    I'm a barista trainer, any chance of a collab on a latte art workshop?
    student journalist writing about independent roasters, could I ask you a few questions?
    + great, I'll send over my media kit | + next week works for me | + thanks, looking forward
    > Hi {first_name}, thanks for thinking of us! Could you send a few details by email? – {agent}
    > Sounds fun! We review collab requests every week, we'll come back within {delay}. – {agent}
    > Thank you {first_name}! I've passed this to our partnerships lead, reply within {delay}.
    """),
    _s("partnership-vip", "en", "dm mention", 0.3, "partnership", "", "answered", """
    radio journalist here, we're doing a morning segment on coffee in Nantes. could we record there?
    hey, we've got 180k coffee lovers on here and would love a paid collab for the M2 launch
    TV producer: we're filming a piece on artisan roasters next month, would you be interested?
    Hello team, I host a cooking channel (250k subs), fancy a brew-along episode?
    food festival organiser here (our page is 150k), we'd love you as headline roaster this summer
    Hi! Big fan. Would you send the Lumen Duo for a long-term review on my channel?
    + perfect, who should I talk to about rates? | + great, sending our brief now
    + Thursday works
    > Hi {first_name}, thank you, we'd love to! Our senior team will reach out within {delay}.
    > What a lovely idea {first_name}. I've passed this straight to our founder. – {agent}
    > Thanks {first_name}! Could you share your dates and audience figures? We'll reply today.
    """, vip=True),
    _s("brewing-question", "en", "comment dm", 5, "question", "", "answered", """
    what grind size for a french press?
    once I open a bag, how many weeks before it's past its best?
    should I keep coffee in the fridge or not
    what ratio do you use for the V60? mine comes out sour
    is the Sidamo better as espresso or filter?
    tap water in {city} is super hard, is that bad for the Duo?
    how often should I descale the Duo? and with what?
    what decaf process do you use? want to avoid solvents
    my espresso runs way too fast, grind finer or dose more?
    which of your beans works best with oat milk?
    + thanks! trying it tomorrow | + and how long should the brew take? | + that fixed it, cheers
    > Hi {first_name}! For a french press go coarse, like sea salt, and steep 4 minutes. – {agent}
    > Great question! Start at 1:16 (15 g coffee to 250 g water); if it's sour, grind finer.
    > Our decaf uses the Swiss Water process, no solvents at all ☕ – {agent}
    """),
    _s("shop-info", "en", "comment dm", 4, "question", "", "answered", """
    what are your sunday hours? | what time does the shop close on saturday?
    can we visit the roasting room? my partner is a huge coffee nerd
    how do I book the latte art class? | is the shop step-free? I use a wheelchair
    can I bring my dog in? | is there anywhere in {city} that sells your beans?
    are your bags recyclable or do they go in the general bin?
    any internships at the roastery? I'm studying agronomy and would love to learn
    + great thanks! | + perfect, see you saturday | + ok, I'll email you then
    > Hi {first_name}! The shop is open Tuesday to Sunday, 8am to 6pm ☕ – {agent}
    > Yes! Dogs are very welcome, we even keep treats behind the counter 🐶
    > Good question: the bags go in paper recycling, the little valve in general waste. – {agent}
    """),
    _s("tag-friend", "en", "comment", 3, "", "", "no-action", """
    @sam_k this is the one I told you about | @lucy.m saturday?? ☕
    @jonny.w look at this grinder omg | @amina_r for my birthday 👀👀
    @ben.t we need this machine | @chloe_p the shop we walked past!
    + haha yes | + ok deal | + saturday works
    > See you both soon! ☕ | > Great taste, {first_name} 😄
    > Bring your friend, we'll have the Sidamo on filter all weekend 😉
    """),
    _s("spam", "en", "comment dm", 3, "", "spam", "removed", """
    f4f? follow me and I follow back instantly 🔁
    Looking for 5 motivated people to work from home 💼 serious only, DM me
    Want to go viral? 5,000 real-looking followers for €9 👉 cheap-followers.example
    crypto signals that actually work 📈 join the group: moonsignals.example
    my cousin quit her job thanks to one app 😱 DM me "HOW" and I'll show you
    nice pics! promote them on our page for free, just DM us 😍
    turned €200 into €4,000 in a month, no experience needed. ask me how 👇
    > Heads up: we never ask anyone to DM for money or followers. Please don't click unknown links.
    > We've hidden a spam comment. Stay safe out there ☕
    > Reminder: our only account is @brulerielumen. Ignore anyone promising easy money.
    """),
    _s("fake-giveaway", "en", "comment dm", 1, "", "spam", "removed", """
    🎁 Brûlerie Lumen Xmas draw: your account was picked! Confirm at lumen-prizes.example tonight
    @brulerielumen_official here: you're one of 3 winners! send card details to cover postage 📦
    WINNER ALERT 🏆 DM us your address and phone to receive your free Lumen Duo
    You were selected for our ambassador program, just pay €9.90 for your welcome kit 💕
    giveaway!! like, share and register at free-coffee-gifts.example to win a year of beans
    Official Lumen support: please verify your account at lumen-verify.example or it will close
    > ⚠️ This is not us. We never ask for card details and only announce giveaways on @brulerielumen.
    > Please don't click that link! We've reported the account. – {agent}
    > That account is fake. Thanks to everyone who flagged it 🙏
    """),
    _s("profanity", "en", "comment mention", 1, "praise", "profanity", "removed", """
    shit, that Sidamo espresso just woke up my ancestors | damn, the Huila is fucking incredible
    this grinder is so damn quiet, what the hell | fuck me, best flat white I've had all year
    shit, I forgot how good the Maison blend is | bloody hell the Duo pulls a gorgeous shot
    + sorry for the language lol | + but seriously, amazing | + 😂
    > Haha, we'll take the enthusiasm (we had to hide it for the language 🙈). Thanks {first_name}!
    > Glad you love it, {first_name}! ☕ Language aside, this made us smile.
    > Thank you! Which brew method did you use? – {agent}
    """),
    _s("harassment", "en", "comment", 0.5, "", "harassment", "removed", """
    @dave_k go troll somewhere else, your takes are as bitter as burnt robusta, moron
    {agent} you're useless, go find a job you're actually good at
    whoever made my flat white today should be banned from touching milk. clueless idiot
    lol look at this loser still drinking pods, pathetic
    @mia.b you're so dumb it hurts to read your comments
    the person running this account is an idiot and should be fired
    + just saying what everyone thinks | + whatever | + fine, deleted
    > Let's keep it kind here, please. Everyone can share an opinion without insults. – {agent}
    > We've hidden a comment that targeted someone personally. Disagreement is fine, insults aren't.
    > Our team works hard and deserves respect. If something went wrong, DM us and we'll fix it.
    """),
    _s("pii-self", "en", "comment", 0.8, "shipping", "pii_self", "answered", """
    my order {order_no} still hasn't arrived, email me at jess.morgan@example.com
    order {order_no} came without the milk jug, call me on 07700 900461
    can someone phone me about my parcel? my number is 07700 900318
    parcel never came, address is Flat 3, 14 Orchard Road, {city}. order {order_no}
    tracking for {order_no} is dead, you can reach me at tom.h@example.org
    still waiting on {order_no}, reach me on 07700 900872 anytime
    + ok sent you a DM | + thanks, didn't realise it was public | + got your message
    > Hi {first_name}, we've hidden your comment to protect your details. We're checking \
    {order_no} and will reply in DM. – {agent}
    > Thanks {first_name}! For your privacy we've hidden the comment; check your DMs ☕
    > Got it {first_name}, let's continue in private messages so your details stay safe. – {agent}
    """),
    _s("threat", "en", "comment dm mention", 0.1, "complaint", "threat", "escalated", """
    I know where your shop is. You'll regret this.
    keep ignoring me and I'll come down to the roastery and sort it out myself
    one more excuse and I'm coming round to smash that shiny machine on your counter
    tell your driver he'd better not show his face on my street again
    you think you can ignore me? wait till I'm standing in your shop
    I know what time you close. see you then.
    + I mean it. | + we'll see who laughs last | + whatever, just send my refund
    > We've received your message and passed it to our management. We won't continue this \
    conversation under threats. – {agent}
    > We want to solve your issue, {first_name}, but threats against our team are not \
    acceptable. Please write to us calmly.
    > This message has been reported. For any order issue, our supervisor will reply by email.
    """),
    _s("hate", "en", "comment", 0.15, "", "hate", "removed", """
    no wonder the service is slow, half your staff aren't even from here. hire locals
    women have no business running a roastery, leave it to men
    saw the rainbow flag in your window. won't be buying from people like that again
    people like that should go back to their own country instead of making my coffee
    typical, another shop run by immigrants. no thanks
    hiring disabled people at the counter explains why everything takes forever
    > We've removed a comment that attacked people for who they are. Everyone is welcome here.
    > Our team and our customers come from everywhere, and that's not up for debate.
    > Hateful comments are deleted on this page. Thanks to those who reported it. – {agent}
    """),
    _s("vip-praise", "en", "comment mention", 0.5, "praise", "", "answered", """
    my favourite roaster of the year, hands down. the Huila is a 10/10 @brulerielumen
    just posted my top 5 beans of the year and Brûlerie Lumen took first place 🏆
    tested a LOT of grinders for the channel. the M2 is the one I actually use every day
    shoutout @brulerielumen for the best cortado in {city} today
    my followers keep asking what coffee I drink. it's this one. it's always been this one ☕
    the Lumen Duo has been on my counter for a year and it still makes me happy every morning
    + thanks team, see you at the roastery | + happy to! | + yes please send the new harvest
    > Thank you so much {first_name}! It means the world to a small roastery like ours 🧡
    > Wow, thank you {first_name}! The whole team is celebrating 🏆 – {agent}
    > Thanks for the love {first_name}! Next cup is on us when you're in Nantes ☕
    """, vip=True),
    # ------------------------------------------------------------------ Français
    _s("price-question", "fr", "comment dm mention", 7, "purchase", "", "answered", """
    {product}, c'est combien ? | prix {product} svp 🙏
    M2 à combien en ce moment ? vu dans vos stories
    la Lumen Duo est toujours à 649 € ou elle a augmenté ? | combien pour 1 kg de Maison ?
    Bonjour, quel est le prix de l'abonnement Découverte par mois ?
    vous avez une grille de prix quelque part ? je trouve rien sur mobile
    c koi la diff de prix entre le M1 et le M2 ?
    {product} est en promo pour le black friday ou pas ?
    ça revient à combien, 3 paquets de Yirgacheffe avec la livraison ?
    Bonjour, vous faites un geste si j'en prends deux ?
    je suis à {city}, combien la livraison pour {product} ?
    + et les frais de port ? | + ok merci, je commande ce soir
    + il y a un code promo en ce moment ?
    > Bonjour {first_name} ! {product} est à {price}, livraison offerte dès 45 €. – {agent}
    > Hello {first_name} 👋 {product} est à {price}. Besoin d'un conseil ? Écrivez-nous en MP !
    > Merci pour votre message ! {product} : {price}, torréfié à la commande et expédié sous \
    {delay}. – {agent}
    """),
    _s("availability", "fr", "comment dm", 5, "purchase", "", "answered", """
    {product}, c'est de nouveau dispo ? | le Huila est encore en rupture ? 😭
    c'est quand le prochain arrivage de Sidamo ? | le M2 existe en noir ou seulement en blanc ?
    la Duo sera livrable avant Noël ?
    toujours pas de Yirgacheffe sur le site, il revient quand ? | le déca existe en grains ?
    vous avez le Maison en sachet d'un kilo ?
    on trouve {product} chez un revendeur à {city} ou seulement sur internet ?
    + vous pouvez me prévenir quand il revient ? | + ok, il part cette semaine alors ?
    + pas grave, je prends le Huila à la place
    > Bonjour {first_name}, {product} est de retour et part sous {delay} ☕ – {agent}
    > Bonne nouvelle : le prochain arrivage de {product} est prévu cette semaine, on vous \
    prévient en MP !
    > Désolés {first_name}, {product} est parti plus vite que prévu. Retour prévu dans {delay}.
    """),
    _s("want-to-order", "fr", "comment dm mention", 5, "purchase", "", "order-placed", """
    Bonjour, je voudrais commander 2 paquets de Sidamo, comment on fait ?
    je veux commander la Lumen Duo, c'est possible en 3 fois sans frais ?
    le bouton « payer » ne marche pas sur mon tel, je peux commander autrement ?
    je prends {product} ! le lien svp
    on peut commander par message ? j'ai pas envie de créer un compte
    c'est possible d'offrir l'abonnement ? je cherche une idée pour l'anniversaire de mon père
    je peux récupérer ma commande à la boutique plutôt que de me la faire livrer ?
    une carte cadeau, ça existe chez vous ? c'est pour un pot de départ
    je voudrais réserver l'atelier latte art pour deux, c'est encore possible ?
    je voudrais commander pour le bureau, environ 4 kg par mois, vous faites des factures ?
    + c'est fait ! commande {order_no} 🎉 | + ok je réessaie sur l'ordi
    + vous pouvez ajouter un petit mot pour le cadeau ?
    > Avec plaisir {first_name} ! Je vous envoie le lien direct vers {product} en MP. – {agent}
    > Bonjour {first_name}, oui : choisissez « retrait en boutique » au paiement, c'est prêt \
    sous {delay}.
    > Merci {first_name} ! Commande {order_no} bien reçue, expédition sous {delay} ☕ – {agent}
    """),
    _s("wholesale", "fr", "dm", 0.8, "purchase", "", "info-given", """
    on ouvre un bar à vin à {city} au printemps et on voudrait un vrai bon café, vous \
    travaillez avec les pros ?
    on cherche un torréfacteur pour notre resto, environ 10 kg par mois, c'est jouable ?
    on tient une fromagerie à {city}, on aimerait vendre vos sachets au comptoir, ça se discute ?
    vous louez des machines aux entreprises ? on est 30 au bureau
    vous livrez les cafés-restaurants en dehors de Nantes ?
    nous aimerions servir votre Maison dans nos chambres d'hôtes, quelles sont vos conditions ?
    + super, je vous envoie nos volumes | + on peut passer goûter à l'atelier ?
    + parfait, merci pour le devis
    > Bonjour {first_name}, avec plaisir ! Je vous envoie notre grille pro par mail aujourd'hui.
    > Merci {first_name} ! Venez goûter à l'atelier, on vous prépare une sélection adaptée.
    > Oui, nous livrons les pros dans toute la France sous {delay}. Je vous appelle pour en \
    parler ? – {agent}
    """),
    _s("subscription-question", "fr", "comment dm", 3, "purchase question", "", "answered", """
    Comment marche l'abonnement Découverte ? un café différent chaque mois ?
    on peut choisir grains ou moulu dans l'abonnement ? | c'est quoi le café du mois dans la box ?
    on part 3 semaines en août, l'abonnement peut attendre notre retour ?
    l'abonnement, c'est un prix fixe ? | vous avez une formule abonnement 100 % déca ?
    combien de grammes par envoi ? on en boit beaucoup à la maison 😅
    je peux offrir 6 mois d'abonnement ?
    + et on peut résilier quand on veut ? | + la livraison est comprise ? | + top, je m'abonne
    > Bonjour {first_name} ! Chaque mois, 2 × 250 g d'une nouvelle origine, en grains ou moulu, \
    pour 29 € livraison comprise.
    > Oui {first_name}, pause, mois sauté ou résiliation : tout se fait depuis votre compte, \
    sans engagement. – {agent}
    > Bonne idée ! La version cadeau existe en 3, 6 ou 12 mois, avec la date de début de votre \
    choix. – {agent}
    """),
    _s("where-is-my-order", "fr", "dm comment", 5, "shipping", "", "info-given", """
    où en est ma commande {order_no} ?
    toujours pas de confirmation d'envoi pour ma commande de jeudi, vous pouvez regarder ?
    le suivi ne bouge plus depuis mardi, c'est normal ?
    marqué « livré » chez Colissimo, sauf que ma boîte aux lettres est vide
    ma Duo part quand ? payée lundi
    des nouvelles de {order_no} ? c'est pour un anniversaire samedi
    vous passez par quel transporteur ? je sais pas quoi surveiller
    le lien de suivi m'affiche une page d'erreur
    mon colis serait bloqué au centre de tri de {city} apparemment
    + merci, toujours rien aujourd'hui | + reçu ! merci
    + ah ça vient de bouger, en cours de livraison 🙌
    > Bonjour {first_name}, votre commande {order_no} a quitté l'atelier et arrive sous {delay}.
    > Merci pour votre patience {first_name} ! Le transporteur confirme : colis en transit à {city}.
    > Désolés pour l'attente ! J'ouvre une enquête auprès du transporteur pour {order_no}, \
    retour sous {delay}. – {agent}
    """),
    _s("shipping-delay", "fr", "dm comment mention", 3, "shipping complaint", "", "info-given", """
    commande passée il y a {delay} et toujours rien, c'est un peu long
    le site annonçait 48 h, ça fait {delay}. il se passe quoi ?
    mes grains vont être rassis avant d'arriver 😅
    toujours aucune trace de {order_no}, c'était pour un cadeau
    livraison encore repoussée, c'est la troisième date qu'on me donne
    je comprends que c'est la folie avant Noël mais {delay} pour un paquet de café, c'est beaucoup
    + ok j'attends vendredi, après je veux être remboursé | + merci d'avoir vérifié
    + enfin reçu ! et le café est top
    > Vraiment désolés {first_name}, c'est plus long que prévu. J'ai relancé le transporteur \
    pour {order_no}. – {agent}
    > Vous avez raison de nous le signaler. Le colis a été retenu au centre de tri, nouvelle \
    estimation : {delay}.
    > Pardon pour l'attente {first_name} ! S'il n'est pas chez vous sous {delay}, on vous le \
    renvoie à nos frais.
    """),
    _s("sarcasm", "fr", "comment mention", 1, "shipping complaint", "", "info-given", """
    bravo pour le « suivi en temps réel » qui n'a pas bougé depuis lundi 👏
    incroyable, trois transporteurs différents pour un paquet de café. une vraie aventure
    trop bien le suivi qui dit « en préparation » depuis 9 jours, très zen comme approche 🙃
    le café « fraîchement torréfié » qui arrive 5 semaines après. très frais. bravo.
    ah super, encore un mail « votre commande est en route ». en route vers la lune ? 🚀
    service client 5 étoiles, mon mail pour {order_no} est « lu » depuis une semaine 👌
    + mouais | + toujours rien au fait | + ok merci, reçu. désolé pour l'ironie
    > Touché, {first_name} 😅 Ce n'est pas l'expérience qu'on veut vous offrir. Je regarde \
    {order_no} tout de suite.
    > On l'a mérité, celle-là. Vous pouvez nous envoyer votre numéro de commande en MP ? – {agent}
    > Désolés {first_name}, rien ne justifie ce délai. Votre colis est reparti, arrivée estimée \
    sous {delay}.
    """),
    _s("refund-request", "fr", "dm comment", 2, "refund", "", "refunded", """
    Bonjour, je souhaiterais être remboursée pour la commande {order_no}, le moulin est encore \
    sous blister
    je peux renvoyer le moulin M1 ? trop bruyant pour notre appart
    comment ça marche les retours ? je me suis trompé de mouture
    deux prélèvements pour une seule commande sur mon relevé, vous pouvez vérifier ?
    j'avais résilié l'abonnement en octobre et j'ai encore été prélevée ce mois-ci, je peux \
    être remboursée ?
    deux sachets éventrés à l'arrivée, je préfère un remboursement. photos jointes
    + je l'envoie où ? | + ça met combien de temps pour revenir sur ma carte ?
    + bien reçu, merci !
    > Bien sûr {first_name}. Le remboursement de {order_no} est lancé, comptez {delay}. – {agent}
    > Bonjour {first_name}, les retours sont gratuits sous 30 jours. Je vous envoie l'étiquette \
    prépayée en MP.
    > Désolés pour le double prélèvement ! Le paiement en trop est remboursé, il arrive sous \
    {delay}. – {agent}
    """),
    _s("complaint", "fr", "comment dm mention", 3, "complaint", "", "answered", """
    un peu déçu, le Sidamo est plat comparé à la dernière fois
    vos nouveaux sachets refermables ne se referment pas vraiment, café éventé en une semaine
    j'avais commandé en grains, reçu en moulu. pas dramatique mais bon
    le M1 est bien plus bruyant que dans votre vidéo
    j'ai l'impression que le Maison est torréfié plus foncé qu'avant, c'est voulu ?
    torréfié en septembre, reçu en novembre… je pensais que c'était torréfié à la commande ?
    un des sachets a explosé dans le carton, des grains partout
    le pichet à lait reçu n'est pas de la même couleur que sur la photo 😕
    + ok merci pour l'explication | + merci, je retente avec le prochain lot
    + vous pouvez m'en renvoyer un ?
    > Merci de nous le dire {first_name}, ce n'est pas le niveau qu'on vise. Vous pouvez nous \
    envoyer votre n° de commande en MP ? – {agent}
    > Désolés ! On vous renvoie un sachet neuf, offert, il part sous {delay}. – {agent}
    > Vous avez raison, on a ajusté la torréfaction sur ce lot. On vous l'échange volontiers \
    contre autre chose.
    """),
    _s("complaint-angry", "fr", "comment mention dm", 1, "complaint", "", "escalated", """
    C'EST SCANDALEUX. 650 € la machine et personne n'est capable de me dire où elle est.
    des amateurs, du début à la fin. je recommanderai plus jamais chez vous
    PLUS JAMAIS. Zéro suivi, zéro excuse, zéro respect.
    une arnaque, cette boutique. je vais raconter mon expérience sur tous les sites d'avis
    service client inexistant, c'est honteux pour une maison qui se dit artisanale
    N'ACHETEZ PAS CHEZ EUX. On paie, on attend, et rien.
    tout mon club de dégustation va savoir comment vous traitez vos clients. lamentable.
    + TOUJOURS RIEN. | + je veux un appel aujourd'hui, pas un message tout fait
    + bon. si c'est réglé vendredi je modifie mon avis
    > {first_name}, toutes mes excuses : vous n'auriez jamais dû avoir à nous relancer. Je \
    m'en occupe personnellement. – {agent}
    > Votre colère est légitime. J'ai transmis {order_no} à notre responsable, vous aurez des \
    nouvelles sous {delay}.
    > Je vous entends {first_name}. Puis-je vous appeler aujourd'hui ? Envoyez-moi un numéro et \
    un créneau en MP. – {agent}
    """),
    _s("vip-complaint", "fr", "mention dm comment", 0.3, "complaint", "", "escalated", """
    @brulerielumen le M2 reçu pour mon test fait un bruit bizarre, je tourne demain, on fait quoi ?
    je vous envoie du monde depuis des années, et mes trois dernières commandes ont toutes eu \
    une semaine de retard
    le dernier lot de Huila n'est vraiment pas à votre niveau, mes abonnés me posent la question
    deuxième fois que la box part à mon ancienne adresse alors que je l'ai changée 🙄
    passée à la boutique avec mon équipe de tournage, on nous a refusé la moindre image. gênant
    vos nouveaux sachets sont jolis en vidéo mais la moitié des miens sont arrivés sans valve
    + merci pour la réponse rapide, il me le faut avant ma prochaine vidéo
    + merci pour l'appel | + ok, c'est correct, merci de le reconnaître
    > Bonjour {first_name}, merci de nous l'écrire directement. Notre équipe senior s'en occupe \
    et vous appelle aujourd'hui. – {agent}
    > Vraiment désolés {first_name}. Un remplacement part en express, le suivi arrive en MP \
    dans l'heure.
    > Vous avez raison, ce n'est pas notre niveau. Notre torréfacteur regarde ce lot et vous \
    écrit en MP. – {agent}
    """, vip=True),
    _s("warranty", "fr", "dm comment", 1.5, "warranty", "", "replaced", """
    mon moulin M1 ne tourne plus, le moteur ronronne mais rien. c'est sous garantie ?
    plus une goutte d'eau chaude qui sort de la Duo depuis hier. achetée au printemps, la \
    garantie marche ?
    mon M2 sort un mélange de poudre et de gros morceaux depuis une semaine, un souci de meules ?
    la buse vapeur de la Duo fuit au niveau du raccord, c'est pris en garantie ?
    le couvercle du réservoir de ma Duo s'est cassé net, c'est couvert ?
    mon M1 fait un bruit de cailloux depuis ce matin, je n'ose plus l'utiliser
    la pompe de ma machine fait un bruit énorme d'un coup et la pression est faible
    + achetée en mars, commande {order_no} | + ok je l'envoie demain
    + pièce reçue, tout remarche, merci !
    > Bonjour {first_name}, oui, c'est couvert par la garantie de 2 ans. Je vous envoie une \
    étiquette prépayée en MP. – {agent}
    > Désolés ! Vous pouvez nous envoyer une petite vidéo du bruit ? Ça aide beaucoup notre atelier.
    > Bonne nouvelle {first_name} : c'est couvert. La pièce part aujourd'hui, comptez {delay}.
    """),
    _s("warranty-repeat", "fr", "dm comment", 0.5, "warranty complaint", "", "escalated", """
    Je reviens vers vous pour la deuxième fois : le M2 « réparé » a exactement le même défaut.
    Duo revenue de votre atelier et la pompe fait toujours ce bruit. deuxième fois.
    troisième message pour le même moulin. quelqu'un lit les précédents ?
    2e réparation sur la Lumen Duo et elle goutte de nouveau au bout d'une semaine
    vous m'avez envoyé des meules neuves, ça n'a rien changé, et maintenant silence radio
    ça fait {delay} que j'ai renvoyé la machine pour la deuxième fois. toujours en panne.
    + je ne veux pas d'une autre réparation, je veux une machine neuve ou être remboursé
    + ok, un échange me va | + merci pour l'appel, ça m'a vraiment aidé
    > {first_name}, toutes mes excuses pour cette deuxième panne. J'ai transmis au technicien \
    senior, fini les allers-retours. – {agent}
    > Après deux réparations, ce n'est pas acceptable. On vous l'échange contre un \
    appareil neuf, expédié sous {delay}.
    > J'ai relu tout l'historique, {first_name}. Je vous appelle aujourd'hui pour convenir d'un \
    échange ou d'un remboursement. – {agent}
    """),
    _s("safety", "fr", "dm comment mention", 0.2, "safety complaint", "", "escalated", """
    j'ai trouvé un morceau de verre dans mon paquet de Sidamo ce matin. photos en MP
    la buse vapeur a craché de l'eau brûlante, j'ai la main toute rouge et des cloques
    de la fumée est sortie du M1 pendant la mouture, j'ai dû débrancher en catastrophe
    mon fils a fait une réaction après un chocolat du coffret de Noël, il y a des fruits à coque ?
    la Duo me donne du courant quand je touche la partie en métal, c'est normal ??
    la machine a fait un gros bruit puis de la fumée est sortie de l'arrière 😱
    + ça va, je suis passée à la pharmacie. mais ça aurait pu être mon fils
    + oui j'ai gardé le paquet et le bout de verre | + merci de prendre ça au sérieux
    > {first_name}, toutes nos excuses. N'utilisez plus le produit et gardez-le tel quel. Notre \
    superviseure vous appelle aujourd'hui. – {agent}
    > Merci de nous avoir prévenus. Gardez le paquet et l'emballage : nous ouvrons une enquête \
    qualité immédiatement.
    > Vous allez bien, {first_name} ? Votre sécurité passe avant tout. Envoyez-nous un numéro, \
    notre responsable qualité vous rappelle.
    """),
    _s("legal", "fr", "dm mention comment", 0.15, "legal complaint", "", "escalated", """
    sans remboursement d'ici vendredi, je transmets tout à mon avocat
    mon dossier part chez une association de consommateurs dès lundi, vous êtes prévenus
    votre site reprend mot pour mot les textes de mon blog. mon avocate prépare un courrier.
    vous refusez d'échanger un moulin tombé en panne sous garantie, je saisis le tribunal
    Ceci vaut mise en demeure : remboursez la commande {order_no} sous 8 jours.
    j'ai signalé votre mention « bio » à la DGCCRF, aucun label sur le paquet
    + j'attends une réponse écrite. | + mon avocat a copie de tous nos échanges
    + d'accord, j'attends l'appel de votre responsable
    > Bonjour {first_name}, merci pour votre message. Notre responsable a votre dossier et vous \
    répondra par écrit sous {delay}.
    > Nous prenons cela très au sérieux, {first_name}. La direction vous contacte aujourd'hui. \
    – {agent}
    > Merci {first_name}. Nous avons bien reçu votre courrier concernant {order_no} et vous \
    répondrons formellement sous {delay}.
    """),
    _s("data-request", "fr", "dm", 0.15, "legal", "", "escalated", """
    Demande d'accès RGPD : merci de m'envoyer toutes les informations me concernant que vous \
    conservez.
    supprimez mon compte et toutes mes données svp, et confirmez-le moi par mail
    d'où vient mon adresse mail ? je n'ai jamais commandé chez vous. j'attends une explication
    à qui transmettez-vous mes données ? outil de newsletter, pubs, autres ? RGPD oblige
    merci d'effacer mon historique de commandes et mon adresse de vos fichiers
    désinscrite deux fois et toujours vos mails. prochaine étape : plainte à la CNIL
    + je voudrais une confirmation écrite | + ça prend combien de temps ? | + bien reçu, merci
    > Bonjour {first_name}, votre demande est enregistrée ; vous recevrez une réponse complète \
    par mail sous {delay}. – {agent}
    > Merci {first_name}. Notre référente données personnelles s'en charge et vous confirmera \
    par écrit.
    > Désolés pour ces mails, {first_name}. Vous êtes retirée de toutes nos listes dès \
    aujourd'hui, confirmation par mail.
    """),
    _s("praise", "fr", "comment mention dm", 8, "praise", "", "answered", """
    le Sidamo, c'est une claque. on dirait de la myrtille !
    torréfié lundi, dans ma tasse mercredi. imbattable 👌
    deux ans que mon M1 tourne tous les matins, toujours impeccable
    l'équipe de la boutique est toujours adorable ❤️
    merci pour le petit mot manuscrit dans le colis, ça m'a fait ma journée
    je n'arrive plus à me passer du Maison ☕☕
    votre déca n'a pas du tout le goût de déca, c'est le plus beau compliment que je puisse faire
    j'ai offert l'abonnement à ma mère, elle m'appelle chaque mois pour parler café 🥹
    Huila le matin, Yirgacheffe l'après-midi. la belle vie
    les sachets sont tellement beaux que je les garde
    {agent}, grâce à vous mon Aeropress est enfin buvable, merci pour l'astuce !
    meilleur flat white de Nantes, et de loin
    + merci pour la réponse ! | + déjà recommandé 😄 | + promis, on passe samedi
    > Merci beaucoup {first_name} ! Toute l'équipe a le sourire ☕ – {agent}
    > C'est adorable, {first_name} 🙏 On transmet à l'équipe !
    > Ça fait plaisir ! Belles tasses à vous, {first_name} 🧡
    > Merci ! Identifiez-nous la prochaine fois, on adore voir vos installations 📸
    """),
    _s("keyword-trap", "fr", "comment mention", 1.5, "praise", "", "answered", """
    ce Sidamo, c'est une dinguerie. je suis mort 😵
    mon avocat m'a conseillé de diversifier mes placements, j'ai acheté trois paquets de Sidamo 😂
    je me suis brûlé la langue tellement j'étais pressée de goûter. aucun regret
    le Huila devrait être interdit tellement il est bon | ce Yirgacheffe est une bombe 💣
    votre espresso va finir par me tuer (de bonheur) ☕🔥
    + haha c'est vrai | + 😂 coupable | + je recommande la semaine prochaine c'est sûr
    > Haha, pas besoin d'avocat, juste d'un autre café ☕ Merci {first_name} ! – {agent}
    > On prend ça comme un compliment 😄 Régalez-vous, {first_name} !
    > Attention à la première gorgée la prochaine fois 😅 Merci pour l'amour !
    """),
    _s("negation", "fr", "comment dm", 1.5, "praise", "", "answered", """
    pas déçue du tout, le Yirgacheffe tient toutes ses promesses
    pour une fois le livreur a été doux : pas un carton abîmé, pas un grain perdu 😄
    je ne crois pas que je reviendrai un jour au café de supermarché
    jamais eu un mauvais paquet chez vous, pas une seule fois en deux ans
    je n'étais pas convaincu par le déca. j'avais tort, il est super
    aucune réclamation, juste un mot : le moulin de remplacement est parfait
    + franchement rien à redire | + merci ! aucun souci | + ha, pas une seule plainte
    > Le meilleur genre de message ! Merci {first_name} ☕ – {agent}
    > Merci {first_name}, vous faites notre journée !
    > Ravis que tout soit arrivé entier cette fois 🙌 Bonne dégustation !
    """),
    _s("short", "fr", "comment", 4, "purchase", "", "answered", """
    prix? | dispo? | ?? | combien ? | lien ? | c'est combien
    tarif ? | en stock ? | on commande où ? | 1 kg ? | je veux 😍 | lien svp 🙏
    + merci | + ok | + commandé | + top merci 🙏
    > Bonjour {first_name} ! {product} est à {price}, le lien est dans notre bio ☕
    > Oui, en stock et expédié sous {delay} 👍
    > Je vous envoie le lien en MP, {first_name} !
    """),
    _s("franglais", "fr", "comment dm", 1, "purchase", "", "answered", """
    hello ! vous avez le Huila en stock ? je suis vraiment hooked
    la Lumen Duo, elle est worth it pour une débutante ? need avis avant d'acheter
    c'est possible de order le Sidamo en 500 g ? asap svp 🙏
    je veux le M2, mais honestly je sais pas si le M1 suffit, any advice ?
    vous faites des bundles machine + moulin ? ça serait un game changer
    je cherche un gift pour Noël, le coffret est toujours available ?
    + ok let's go je commande | + thanks, super helpful | + perfect merci !
    > Hello {first_name} ! {product} est dispo à {price}, je vous envoie le lien en MP 😉
    > Pour débuter, le M1 suffit largement. Pour l'espresso au quotidien, le M2 est plus \
    précis. – {agent}
    > Oui ! Le coffret est en stock et part sous {delay} 🎁
    """),
    _s("ugc", "fr", "comment mention", 3, "ugc", "", "answered", """
    regardez-moi cette tulipe !!! 3 mois d'entraînement sur la Duo, ça paie enfin
    dimanche tranquille : Chemex, Sidamo et zéro programme 📸
    tentative de latte art n°47, on y est presque 😅 #brulerielumen
    cuisine refaite, j'ai construit toute l'étagère autour de la Duo mdr
    café tonic au Yirgacheffe, la recette est dans mon reel 🍋
    ouverture de ma première box d'abonnement en live dans mes stories 📦 @brulerielumen
    cœur sur lait d'avoine, soyez honnêtes 👀
    + bien sûr, vous pouvez reposter ! | + oui identifiez-moi svp | + merci 😍
    > Magnifique, {first_name} ! On peut la partager sur notre page ? En vous créditant bien sûr.
    > Regardez-moi ce versage 😍 Énorme progrès ! On peut reposter ?
    > Quelle installation ! Merci de nous avoir identifiés, {first_name} ☕
    """),
    _s("partnership", "fr", "dm", 1, "partnership", "", "answered", """
    coucou ! je fais des vidéos de recettes du matin (environ 5k), vos grains pourraient y figurer ?
    on écrit une petite newsletter sur les artisans nantais, on peut vous présenter ?
    on est un espace de coworking à {city}, on cherche un partenaire café, ça vous dit ?
    bonjour, j'organise un marché de producteurs au printemps, un stand vous intéresserait ?
    je suis formatrice barista, une collab sur un atelier latte art ça vous tente ?
    étudiant en journalisme, je fais un sujet sur les torréfacteurs indépendants, une interview ?
    + super, je vous envoie mon kit média | + la semaine prochaine ça me va
    + merci, au plaisir !
    > Bonjour {first_name}, merci d'avoir pensé à nous ! Vous pouvez nous envoyer quelques \
    détails par mail ? – {agent}
    > Ça a l'air chouette ! On étudie les demandes de collab chaque semaine, retour sous {delay}.
    > Merci {first_name} ! J'ai transmis à notre responsable partenariats, réponse sous {delay}.
    """),
    _s("partnership-vip", "fr", "dm mention", 0.3, "partnership", "", "answered", """
    Bonjour, journaliste pour une radio nationale : on prépare une émission sur le café, on \
    peut venir enregistrer chez vous ?
    on a 200k passionnés de café sur ce compte, une collab rémunérée pour le lancement du M2 ?
    productrice télé : on tourne un sujet sur les torréfacteurs artisans en mai, partants ?
    j'anime une chaîne de cuisine (300k abonnés), une vidéo spéciale café avec vous ?
    on organise un festival gourmand (page à 150k), on aimerait vous avoir en tête d'affiche cet été
    Bonjour ! Grande fan. Vous m'enverriez la Lumen Duo pour un test au long cours sur ma chaîne ?
    + parfait, à qui je parle pour les tarifs ? | + super, je vous envoie notre brief
    + jeudi ça me va
    > Bonjour {first_name}, merci, avec grand plaisir ! Notre équipe senior vous recontacte \
    sous {delay}.
    > Quelle belle idée {first_name}. J'ai transmis directement à notre fondatrice. – {agent}
    > Merci {first_name} ! Vous pouvez nous donner vos dates et vos chiffres d'audience ? \
    Réponse aujourd'hui.
    """, vip=True),
    _s("brewing-question", "fr", "comment dm", 5, "question", "", "answered", """
    cafetière à piston : je mouds gros ou moyen ?
    une fois le sachet ouvert, le café reste bon combien de semaines ?
    on garde le café au frigo ou pas ? | vous utilisez quel ratio pour la V60 ? le mien est acide
    le Sidamo, plutôt en espresso ou en filtre ?
    l'eau est super calcaire à {city}, c'est grave pour la Duo ?
    je détartre la Duo tous les combien ? et avec quoi ?
    votre déca est décaféiné comment ? sans solvant j'espère
    mon espresso coule beaucoup trop vite, je mouds plus fin ou je dose plus ?
    lequel de vos cafés va le mieux avec du lait d'avoine ? | je mouds comment pour une Chemex ?
    + merci ! j'essaie demain | + et l'infusion doit durer combien de temps ?
    + ça a tout réglé, merci
    > Bonjour {first_name} ! Pour le piston, mouture grossière comme du gros sel, et 4 minutes \
    d'infusion. – {agent}
    > Bonne question ! Partez sur 1:16 (15 g de café pour 250 g d'eau) ; si c'est acide, moulez \
    plus fin.
    > Notre déca est décaféiné à l'eau (procédé Swiss Water), sans aucun solvant ☕ – {agent}
    """),
    _s("shop-info", "fr", "comment dm", 4, "question", "", "answered", """
    la boutique ouvre à quelle heure le dimanche ? | vous fermez à quelle heure le samedi ?
    on peut voir le torréfacteur en action un jour ? mon copain adorerait
    comment on s'inscrit à l'atelier latte art ? | la boutique est accessible en fauteuil ?
    on peut venir avec le chien ? | il y a un revendeur de vos cafés à {city} ?
    vos sachets, ça va au tri ou à la poubelle classique ?
    vous prenez des stagiaires ? je suis en BTS et j'aimerais apprendre la torréfaction
    + super merci ! | + parfait, à samedi | + ok je vous écris par mail alors
    > Bonjour {first_name} ! La boutique est ouverte du mardi au dimanche, de 8 h à 18 h ☕
    > Oui ! Les chiens sont les bienvenus, on a même des friandises derrière le comptoir 🐶
    > Bonne question : le sachet va au tri avec le papier, la petite valve à la poubelle \
    classique. – {agent}
    """),
    _s("tag-friend", "fr", "comment", 3, "", "", "no-action", """
    @maelle.b samedi matin, on teste ?? | @lucas_d regarde ce moulin 😍
    @ines.k pour mon anniv 👀👀
    @hugo.p il nous faut cette machine | @chloe_r la boutique devant laquelle on est passées !
    @tom.g c'est celui dont je t'ai parlé
    + grave | + ok ça marche | + samedi ça me va
    > À bientôt tous les deux ! ☕ | > Vous avez du goût, {first_name} 😄
    > Venez ensemble, le Sidamo est en filtre tout le week-end 😉
    """),
    _s("spam", "fr", "comment dm", 3, "", "spam", "removed", """
    abonne-toi à moi je m'abonne à toi direct 🔁
    Je recherche 5 personnes motivées pour travailler depuis chez elles 💼 sérieux uniquement, MP
    5 000 abonnés pour 9 € seulement 👉 abonnes-pas-chers.example
    signaux crypto qui marchent vraiment 📈 rejoins le groupe : lune-crypto.example
    ma cousine a quitté son job grâce à une appli 😱 écris-moi « COMMENT »
    jolies photos ! on peut les promouvoir gratuitement sur notre page, écris-nous 😍
    200 € transformés en 4 000 € en un mois, sans expérience. demande-moi comment 👇
    > Attention : nous ne demandons jamais d'argent ni d'abonnement en MP. Ne cliquez pas sur \
    les liens inconnus.
    > Nous avons masqué un commentaire indésirable. Restez prudents ☕
    > Rappel : notre seul compte est @brulerielumen. Méfiez-vous des promesses d'argent facile.
    """),
    _s("profanity", "fr", "comment mention", 1, "praise", "profanity", "removed", """
    putain mais ce Huila c'est quoi cette merveille
    bordel, le Sidamo en espresso, j'ai jamais bu un truc pareil
    merde, j'avais oublié à quel point le Maison est bon
    putain de flat white ce matin, le meilleur de l'année
    ce moulin est tellement silencieux, c'est dingue bordel
    la Duo envoie des shots de malade, putain
    + pardon pour le langage mdr | + mais sérieux, incroyable | + 😂
    > Haha, on prend l'enthousiasme (on a dû masquer pour le vocabulaire 🙈). Merci {first_name} !
    > Ravis que ça vous plaise, {first_name} ! ☕ Vocabulaire mis à part, ça nous fait sourire.
    > Merci ! Vous l'avez préparé comment ? – {agent}
    """),
    _s("harassment", "fr", "comment", 0.5, "", "harassment", "removed", """
    @julien_m va troller ailleurs, tes avis sont aussi amers que du robusta cramé, abruti
    {agent} t'es nul, change de métier
    celui qui m'a fait mon cappuccino ce matin devrait être interdit de lait. quel incapable
    mdr regardez ce bouffon qui boit encore des dosettes, pathétique
    @lea.r t'es tellement débile que ça fait mal de te lire
    la personne qui gère ce compte est une crétine, virez-la
    + je dis juste ce que tout le monde pense | + bref | + ok c'est supprimé
    > On reste bienveillants ici, s'il vous plaît. Chacun peut donner son avis sans insulter.
    > Nous avons masqué un commentaire visant une personne. Le désaccord oui, les insultes non.
    > Notre équipe travaille dur et mérite le respect. Un souci ? Écrivez-nous en MP. – {agent}
    """),
    _s("pii-self", "fr", "comment", 0.8, "shipping", "pii_self", "answered", """
    ma commande {order_no} n'est jamais arrivée, écrivez-moi à camille.petit@example.fr
    il manque le pichet dans {order_no}, vous pouvez me rappeler au 06 39 98 21 07 ?
    vous pouvez m'appeler pour mon colis ? mon numéro c'est le 06 39 98 47 15
    colis pas reçu, mon adresse c'est 8 rue des Lilas, {city}. commande {order_no}
    le suivi de {order_no} ne marche pas, mon mail : julien.m@example.fr
    je vous laisse mon portable pour {order_no} : 06 39 98 63 90, appelez quand vous voulez
    + ok je vous ai écrit en MP | + merci, je n'avais pas vu que c'était public
    + bien reçu votre message
    > Bonjour {first_name}, nous avons masqué votre commentaire pour protéger vos coordonnées. \
    On regarde {order_no} et on vous répond en MP. – {agent}
    > Merci {first_name} ! Par confidentialité, le commentaire est masqué ; regardez vos MP ☕
    > C'est noté {first_name}, on continue en message privé pour protéger vos infos. – {agent}
    """),
    _s("doxxing", "fr", "comment", 0.1, "complaint", "doxxing", "removed", """
    votre livreur s'appelle Kevin, il habite 3 impasse des Tilleuls à {city}. allez lui demander
    la vendeuse qui m'a mal parlé, son numéro perso c'est le 06 39 98 52 44, régalez-vous
    votre torréfacteur habite 17 rue du Moulin, 2e étage. allez lui demander pourquoi c'est amer
    le gérant a un compte perso, son adresse mail c'est gerant.lumen@example.fr, spammez-le
    la barista du samedi habite juste au-dessus de la boulangerie de {city}, tout le monde le sait
    voilà le numéro du livreur qui a jeté mon colis : 06 39 98 30 81. appelez-le tous
    + c'est public de toute façon | + bon ok, j'enlève | + je voulais juste qu'on m'écoute
    > Nous avons supprimé un commentaire contenant les coordonnées d'une personne. Ce n'est \
    pas acceptable ici.
    > Votre souci de commande nous intéresse, {first_name}, écrivez-nous en MP. Les infos \
    privées de notre équipe, non. – {agent}
    > Commentaire supprimé : on ne publie jamais les coordonnées de quelqu'un. Merci de votre \
    compréhension.
    """),
    _s("threat", "fr", "comment dm mention", 0.1, "complaint", "threat", "escalated", """
    Je sais où se trouve votre boutique. Vous allez le regretter.
    continuez à m'ignorer et je passe à l'atelier régler ça moi-même
    encore une excuse et je viens casser votre belle machine sur le comptoir
    dites à votre livreur de ne plus remettre les pieds dans ma rue
    vous croyez pouvoir m'ignorer ? attendez que je sois dans votre boutique
    je sais à quelle heure vous fermez. à ce soir.
    + je suis sérieux. | + on verra qui rira le dernier | + bref, remboursez-moi
    > Nous avons bien reçu votre message et l'avons transmis à la direction. Nous ne \
    poursuivrons pas cet échange sous la menace. – {agent}
    > Nous voulons régler votre problème, {first_name}, mais les menaces envers notre équipe \
    sont inacceptables. Écrivez-nous calmement.
    > Ce message a été signalé. Pour votre commande, notre responsable vous répondra par mail.
    """),
    _s("hate", "fr", "comment", 0.15, "", "hate", "removed", """
    pas étonnant que le service soit lent, la moitié de l'équipe n'est même pas d'ici
    une femme à la torréfaction ? laissez ça aux hommes
    vu le drapeau arc-en-ciel en vitrine. ces gens-là, très peu pour moi
    ces gens-là devraient rentrer chez eux au lieu de servir des cafés ici
    encore une boutique tenue par des immigrés, je passe mon chemin
    des handicapés au comptoir, pas étonnant que ça traîne
    > Nous avons supprimé un commentaire qui visait des personnes pour ce qu'elles sont. Tout \
    le monde est bienvenu ici.
    > Notre équipe et nos clients viennent de partout, et ce n'est pas un sujet de débat.
    > Les commentaires haineux sont supprimés sur cette page. Merci à ceux qui l'ont signalé.
    """),
)

FIRST_NAMES: dict[str, tuple[str, ...]] = {
    "en": tuple("""
        Emma Olivia Amelia Isla Ava Grace Chloe Sophie Lily Ella Hannah Megan Zoe Priya Aisha
        Niamh Freya Ruby Jessica Laura Maya Imogen Oliver Jack Harry George Noah Leo James Ethan
        Samuel Daniel Liam Connor Ryan Aaron Ben Tom Marcus Kwame Arjun Callum Finn Rhys Owen
        Mateo Yusuf
    """.split()),
    "fr": tuple("""
        Camille Léa Manon Chloé Inès Jade Louise Zoé Clémence Margaux Océane Pauline Élodie Sarah
        Mathilde Juliette Anaïs Émilie Nadia Yasmine Maëlle Agathe Lucas Hugo Louis Nathan Théo
        Arthur Jules Raphaël Maxime Antoine Thomas Julien Nicolas Quentin Bastien Romain Mehdi
        Karim Baptiste Guillaume Sébastien Adrien Gaël Timothée
    """.split()),
}

LAST_NAMES: dict[str, tuple[str, ...]] = {
    "en": tuple("""
        Smith Jones Taylor Brown Williams Wilson Evans Roberts Walker Wright Robinson Thompson
        White Hughes Edwards Green Hall Wood Harris Clarke Patel Khan Murphy O'Brien Kelly
        Campbell Stewart Mensah Nguyen Okafor Fraser Lewis Bennett Doyle
    """.split()),
    "fr": tuple("""
        Martin Bernard Dubois Robert Richard Petit Durand Leroy Moreau Simon Laurent Lefebvre
        Michel Garcia David Bertrand Roux Vincent Fournier Morel Girard André Mercier Dupont
        Lambert Bonnet François Legrand Garnier Faure Rousseau Blanc Guérin Diallo Haddad Nguyen
    """.split()) + ("Le Gall", "Da Silva"),
}

CITIES: dict[str, tuple[str, ...]] = {
    "en": (
        "London", "Manchester", "Leeds", "Bristol", "Edinburgh", "Glasgow", "Dublin", "Cork",
        "Cardiff", "Brighton", "Birmingham", "Liverpool", "Oxford", "York", "Belfast",
        "Amsterdam", "Brussels", "New York", "Toronto", "Montreal",
    ),
    "fr": (
        "Nantes", "Paris", "Lyon", "Marseille", "Bordeaux", "Lille", "Rennes", "Angers",
        "Grenoble", "Annecy", "Saint-Nazaire", "Clermont-Ferrand", "Dijon", "Montpellier",
        "Toulouse", "Strasbourg", "La Rochelle", "Bruxelles", "Genève", "Lausanne", "Québec",
    ),
}

PRODUCTS: tuple[tuple[str, int], ...] = (
    ("Sidamo", 14),
    ("Huila", 13),
    ("Yirgacheffe", 15),
    ("Maison", 11),
    ("Maison 1 kg", 38),
    ("Déca Nuit Calme", 13),
    ("Abonnement Découverte", 29),
    ("Coffret Dégustation", 34),
    ("Moulin M1", 89),
    ("Moulin M2", 189),
    ("Lumen Duo", 649),
    ("Kit V60", 39),
    ("Pichet à lait", 22),
    ("Balance Lumen", 45),
    ("Tasse Lumen", 16),
    ("Carte cadeau", 30),
)

# What customers call the products in the openers above: a thread that names one keeps to it,
# so the agent's "{product} is back" answers the product that was asked about. Capitalised
# names match only as written ("Maison" the blend, not "à la maison").
PRODUCT_NAMES: tuple[tuple[str, str], ...] = (
    ("Lumen Duo", "Lumen Duo"), ("Duo", "Lumen Duo"), ("Moulin M2", "Moulin M2"),
    ("M2", "Moulin M2"), ("Moulin M1", "Moulin M1"), ("M1", "Moulin M1"), ("Sidamo", "Sidamo"),
    ("Huila", "Huila"), ("Yirgacheffe", "Yirgacheffe"), ("Maison", "Maison"),
    ("decaf", "Déca Nuit Calme"), ("déca", "Déca Nuit Calme"), ("V60", "Kit V60"),
    ("Discovery", "Abonnement Découverte"), ("Découverte", "Abonnement Découverte"),
)
_PRODUCT_NAME = re.compile("|".join(rf"\b{re.escape(alias)}\b" for alias, _ in PRODUCT_NAMES))


@functools.cache  # catalogue texts only: a few thousand
def named_product(text: str) -> tuple[str, int] | None:
    """The product (name, price) a catalogue text names first, if it names one."""
    found = _PRODUCT_NAME.search(text)
    if found is None:
        return None
    name = dict(PRODUCT_NAMES)[found.group()]
    return next(p for p in PRODUCTS if p[0] == name)


def everyday_messages() -> list[tuple[str, str]]:
    """(text, language) of every customer message of the scenarios with no moderation label,
    filled with each product: hand-written everyday inbox messages, which moderation must
    leave alone (its tests and the fitting of its thresholds use them)."""
    found: dict[str, str] = {}
    for scenario in SCENARIOS:
        if scenario.moderation:
            continue
        for text in scenario.openers + scenario.followups:
            for product, price in PRODUCTS:
                values = {"product": product, "price": f"{price} €", "order_no": "BL-10482",
                          "delay": "3 jours" if scenario.lang == "fr" else "3 days",
                          "first_name": "Marie", "agent": "Julie", "city": "Nantes"}
                found[fill(text, values)] = scenario.lang
    return sorted(found.items())


# (login, display name, role, languages)
AGENTS: tuple[tuple[str, str, str, str], ...] = (
    ("julie", "Julie Marchand", "agent", "fr,en"),
    ("tom", "Tom Becker", "agent", "en,fr"),
    ("sofiane", "Sofiane Haddad", "agent", "fr,en"),
    ("claire", "Claire Dubois", "senior", "fr,en"),
    ("helene", "Hélène Roux", "supervisor", "fr,en"),
    ("nadia", "Nadia Benali", "admin", "fr,en"),
)
# What `{agent}` is filled with: the first word of each display name.
AGENT_FIRST_NAMES: tuple[str, ...] = tuple(display.split()[0] for _, display, _, _ in AGENTS)

# (campaign slug, platform, post caption)
CAMPAIGNS: tuple[tuple[str, str, str], ...] = (
    ("moulin-m2-launch", "instagram",
     "Le Moulin M2 est arrivé ✨ Meules coniques de 48 mm, réglage sans cran, presque "
     "silencieux. Disponible dès aujourd'hui."),
    ("moulin-m2-launch", "x",
     "Meet the Moulin M2: 48 mm conical burrs, stepless adjustment, quiet enough for 6am. "
     "Out now."),
    ("noel-2026", "instagram",
     "Le coffret de Noël est là 🎄 Trois origines, une tasse Lumen et un mot écrit à la main."),
    ("noel-2026", "facebook",
     "Our Christmas box is live 🎄 Three origins, a Lumen cup and a handwritten card. "
     "Order by 18 December for delivery before the 24th."),
    ("abonnement-rentree", "facebook",
     "Rentrée = nouvelles habitudes ☕ -20 % sur le premier mois de l'Abonnement Découverte "
     "avec le code RENTREE."),
    ("latte-art-challenge", "tiktok",
     "Défi latte art 🥛 Montrez-nous votre plus beau cœur avec #LumenLatte, on reposte nos "
     "préférés !"),
    ("lumen-duo-demo", "tiktok",
     "60 seconds from bean to flat white on the Lumen Duo. Sound on 🔊"),
    ("sidamo-new-harvest", "instagram",
     "New harvest Sidamo just landed: bergamot, peach, black tea. Roasted Tuesday, shipped "
     "Wednesday."),
    ("origin-trip-huila", "linkedin",
     "Back from Huila, Colombia: two weeks with the growers' cooperative we buy from, and a "
     "direct-trade contract signed for 2027."),
    ("recrutement-torrefacteur", "linkedin",
     "On recrute ! Torréfacteur·rice en CDI à Nantes, profil débutant motivé bienvenu. "
     "Candidatures en message privé."),
    ("decaf-nuit-calme", "x",
     "Nuit Calme, our Swiss Water decaf, is back. All the chocolate, none of the 3am ceiling "
     "staring."),
    ("atelier-barista", "facebook",
     "Ateliers barista du samedi : 2 h, 6 personnes maximum, latte art et réglage de mouture. "
     "Réservation en ligne."),
)

BOT_ACKS: dict[str, tuple[str, ...]] = {
    "en": (
        "Thanks for your message! Someone from the team will get back to you within a few "
        "hours ☕",
        "Hi! We've got your message. A real person from Brûlerie Lumen will reply shortly "
        "(Tuesday to Sunday, 9am to 6pm).",
        "Thanks for reaching out. Your message is in our queue and a team member will answer "
        "as soon as possible.",
    ),
    "fr": (
        "Merci pour votre message ! Une personne de l'équipe vous répond d'ici quelques "
        "heures ☕",
        "Bonjour ! Votre message est bien reçu. Quelqu'un de la Brûlerie Lumen vous répond très "
        "vite (du mardi au dimanche, de 9 h à 18 h).",
        "Merci de nous avoir écrit. Votre message est dans notre file et un membre de l'équipe "
        "vous répond dès que possible.",
    ),
}
# fmt: on
