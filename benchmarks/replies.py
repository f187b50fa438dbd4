"""How fast the replies engine is: rendering, checking, and suggesting templates.

    python benchmarks/replies.py                     # 200 templates, 100,000 past replies
    python benchmarks/replies.py --templates 400 --past 200000 --queries 1000

Prints, for every shipped template, the time to render it (variant choice included) and to
render and run every guardrail on it; then synthesises a large template set and history
(deterministic under --seed) and prints the time to load the templates, build the suggestion
index and answer one suggestion query (median, p95, max). Goals from the issue: rendering
< 1 ms, a suggestion < 20 ms with 200 templates and 100,000 past replies.
"""

from __future__ import annotations

import argparse
import random
import statistics
import tempfile
import time
from pathlib import Path

import tomli_w

from workstation.replies import guardrails, render, rotation, templates
from workstation.replies.suggest import PastReply, Query, SuggestionIndex

VALUES = {"first_name": "Léa", "name": "Léa Martin", "handle": "@lea.m", "agent": "Camille",
          "product": "Sidamo 250 g", "order_no": "BL-10482", "delay": "3 days",
          "link": "https://brulerielumen.fr/p/sidamo", "promo_code": "LUMEN10"}
WORDS = {
    "en": """order parcel delivery grinder burr espresso machine subscription refund bag beans
    roast decaf filter kettle scale gift voucher invoice discount shipping tracking courier
    warranty repair leak noise taste bitter sour fresh stale price stock restock blend origin
    ethiopia colombia brazil cup latte crema grind coarse fine pod capsule box late broken
    cancel change address weekend delay return replace exchange missing damaged wrong""".split(),
    "fr": """commande colis livraison moulin meule expresso machine abonnement remboursement
    paquet grains torrefaction deca filtre bouilloire balance cadeau bon facture remise envoi
    suivi transporteur garantie reparation fuite bruit gout amer acide frais rassis prix stock
    melange origine ethiopie colombie bresil tasse latte creme mouture grossiere fine dosette
    capsule boite retard casse annuler changer adresse weekend retour remplacer echange
    manquant abime mauvais""".split(),
}
FILLER = {"en": "hi hello please my the is any why still can you".split(),
          "fr": "bonjour salut svp mon ma le la est toujours pourquoi vous pouvez".split()}


def time_shipped(repeat: int) -> None:
    registry = templates.load()
    config = guardrails.load_config_file()
    rng = random.Random(1)
    print(f"{'template':<22} {'lang':<4} {'render µs':>10} {'+ guardrails µs':>16}")
    worst = 0.0
    for t in registry:
        choices = [rotation.choose(t, rotation.History(), rng, VALUES) for _ in range(repeat)]
        start = time.perf_counter()
        for c in choices:
            render.render(t, VALUES, c)
        rendered = (time.perf_counter() - start) / repeat * 1e6
        ctx = guardrails.ReplyContext("instagram", "public" if t.fits("public") else "dm",
                                      kind="comment" if t.fits("public") else "dm",
                                      intents=t.intents)
        start = time.perf_counter()
        for c in choices:
            guardrails.check(render.render(t, VALUES, c).text, ctx, config)
        checked = (time.perf_counter() - start) / repeat * 1e6
        worst = max(worst, rendered)
        print(f"{t.id:<22} {t.lang:<4} {rendered:>10.1f} {checked:>16.1f}")
    print(f"slowest render: {worst:.1f} µs (goal < 1000 µs)\n")


def phrase(rng: random.Random, lang: str, topic: list[str], size: int) -> str:
    words = [rng.choice(topic) for _ in range(size)] + rng.sample(FILLER[lang], 2)
    rng.shuffle(words)
    return " ".join(words)


def synthesise(folder: Path, count: int, rng: random.Random) -> dict[str, list[str]]:
    topics: dict[str, list[str]] = {}
    for i in range(count):
        lang = ("en", "fr")[i % 2]
        ident = f"synthetic-{i // 2:03d}"
        topic = rng.sample(WORDS[lang], 5)
        topics[f"{ident}/{lang}"] = topic
        data = {
            "id": ident, "lang": lang, "channel": rng.choice(("public", "dm", "any")),
            "intents": [rng.choice(("shipping", "refund", "purchase", "warranty", "complaint"))],
            "title": f"Synthetic {i}", "triggers": [phrase(rng, lang, topic, 3) for _ in range(6)],
            "parts": {
                "greeting": ["Hi {first_name|there},", "Hello {first_name|there}!"],
                "answer": [phrase(rng, lang, topic, 8) + " {product|}." for _ in range(3)],
                "next_step": [phrase(rng, lang, topic, 6) + "." for _ in range(2)],
                "signoff": ["— {agent|Lumen}", "{agent|Lumen}"],
            },
        }
        (folder / lang).mkdir(exist_ok=True)
        (folder / lang / f"{ident}.toml").write_text(tomli_w.dumps(data), "utf-8")
    return topics


def past_replies(registry: templates.Registry, topics: dict[str, list[str]], count: int,
                 rng: random.Random) -> list[PastReply]:
    pool = list(registry)
    weights = [1 / (i + 1) for i in range(len(pool))]  # a few templates answer most messages
    out = []
    for t in rng.choices(pool, weights, k=count):
        inbound = phrase(rng, t.lang, topics[f"{t.id}/{t.lang}"], rng.randint(3, 7))
        reply = render.render(t, VALUES, rotation.choose(t, rotation.History(), rng)).text
        out.append(PastReply(inbound, reply, t.id if rng.random() < 0.5 else ""))
    return out


def time_suggestions(count: int, past: int, queries: int, seed: int) -> None:
    rng = random.Random(seed)
    with tempfile.TemporaryDirectory() as tmp:
        topics = synthesise(Path(tmp), count, rng)
        start = time.perf_counter()
        registry = templates.load(tmp)
        print(f"load {len(registry)} templates: {time.perf_counter() - start:.2f} s")
    history = past_replies(registry, topics, past, rng)
    start = time.perf_counter()
    index = SuggestionIndex(registry, history)
    built = time.perf_counter() - start
    print(f"index {past:,} past replies: {built:.2f} s "
          f"({sum(index.history.examples.values()):,} credited to a template)")
    by_key = {f"{t.id}/{t.lang}": t for t in registry}
    asked = []
    for _ in range(queries):
        key = rng.choice(list(topics))
        target = by_key[key]
        channel = target.channel if target.channel != "any" else rng.choice(("public", "dm"))
        text = phrase(rng, target.lang, topics[key], rng.randint(3, 9))
        asked.append((Query(text, target.lang, channel, (rng.choice(target.intents),)), target))
    index.suggest(asked[0][0])
    latencies = []
    hits = 0
    for query, target in asked:
        start = time.perf_counter()
        found = index.suggest(query)
        latencies.append((time.perf_counter() - start) * 1000)
        hits += any(s.template_id == target.id and s.lang == target.lang for s in found)
    latencies.sort()
    p95 = latencies[int(len(latencies) * 0.95) - 1]
    print(f"suggest ({queries} queries): median {statistics.median(latencies):.2f} ms, "
          f"p95 {p95:.2f} ms, max {latencies[-1]:.2f} ms (goal < 20 ms); the template the"
          f" message was written from is in the top five {hits / queries:.0%} of the time")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--templates", type=int, default=200)
    parser.add_argument("--past", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=500)
    parser.add_argument("--repeat", type=int, default=2000, help="renders per shipped template")
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args()
    time_shipped(args.repeat)
    time_suggestions(args.templates, args.past, args.queries, args.seed)


if __name__ == "__main__":
    main()
