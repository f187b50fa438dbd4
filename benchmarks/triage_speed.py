"""Triage speed against VADER alone, with the shipped rules and with a large rules file.

    python benchmarks/triage_speed.py 50000

Prints, as whole processes on the same generated file: VADER alone scoring every text,
`workstation triage --json` with the shipped rules, and again with a rules file of 500 rules
and 5,000 lexicon terms; plus how long that large file takes to load. Goals (issue 3):
triage >= 0.6x VADER's speed; with the large file >= 0.4x; the large file loads in < 1 s.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workstation import paths
from workstation.rules import load

sys.path.insert(0, str(Path(__file__).parent))
from ingest import generate  # noqa: E402  (the same event generator as the ingest benchmark)

BIN = Path(sys.executable).parent
VADER_ALONE = r"""
import json, sys
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer
analyzer = SentimentIntensityAnalyzer()
with open(sys.argv[1], "rb") as f:
    for line in f:
        analyzer.polarity_scores(json.loads(line)["text"])
"""
WORDS = ("cafe", "grain", "moulin", "tasse", "colis", "machine", "filtre", "sachet", "roast",
         "bean", "grinder", "mug", "parcel", "kettle", "cup", "paper", "brew", "latte")


def big_rules(path: Path, rules: int = 500, terms: int = 5000, seed: int = 3) -> None:
    """The shipped rules plus enough synthetic rules and lexicon terms to reach the sizes."""
    rng = random.Random(seed)
    shipped = paths.shipped("rules.toml").read_text(encoding="utf-8")
    existing = len(re.findall(r"^\[\[rules\]\]", shipped, flags=re.M))
    lines = [shipped, "\n[intents.catalogue]\ndescription = \"synthetic product words\""]
    words = [f"{rng.choice(WORDS)}{i}" for i in range(terms)]
    lines.append(f"en.keywords = {words[: terms // 2]!r}".replace("'", '"'))
    lines.append(f"fr.keywords = {words[terms // 2 :]!r}".replace("'", '"'))
    for index in range(rules - existing):
        chosen = rng.sample(words, 3)
        lines.append(f'\n[[rules]]\nname = "synthetic-{index}"\n'
                     f'when = {{ keywords = {chosen!r}, platform = "instagram" }}\n'
                     f'do = {{ tag = "t{index}" }}'.replace("'", '"'))
    path.write_text("\n".join(lines), encoding="utf-8")


def timed(argv: list[object], env: dict[str, str] | None = None) -> float:
    started = time.perf_counter()
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL, env=env)
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=50_000)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        events, rules = Path(tmp) / "events.jsonl", Path(tmp) / "big-rules.toml"
        generate(events, args.count)
        big_rules(rules)
        started = time.perf_counter()
        loaded = load(rules)
        load_s = time.perf_counter() - started
        print(f"{args.count} events, {os.cpu_count()} cores; big rules: {len(loaded.rules)} rules,"
              f" 5,000 more lexicon terms, loaded in {load_s * 1000:.0f} ms (goal < 1000 ms)")
        vader = timed([sys.executable, "-c", VADER_ALONE, events])
        print(f"VADER alone               {vader:6.2f} s  {args.count / vader:8,.0f} texts/s")
        env = {**os.environ, "XDG_DATA_HOME": tmp}
        shipped = timed([BIN / "workstation", "triage", events, "--json"], env)
        print(f"triage, shipped rules     {shipped:6.2f} s  {args.count / shipped:8,.0f} events/s"
              f"  = {vader / shipped:.2f}x VADER (goal >= 0.6)")
        big = timed([BIN / "workstation", "triage", events, "--json"],
                    {**env, "WORKSTATION_RULES": str(rules)})
        print(f"triage, 500 rules         {big:6.2f} s  {args.count / big:8,.0f} events/s"
              f"  = {vader / big:.2f}x VADER (goal >= 0.4)")


if __name__ == "__main__":
    main()
