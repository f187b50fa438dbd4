"""Triage speed against VADER alone, with the shipped rules and with a large rules file.

    python benchmarks/triage_speed.py 50000 [--repeat 3] [--distinct DIR]

Prints, as whole processes on the same generated file: VADER alone scoring every text,
`workstation triage --json` with the shipped rules, and again with a rules file of 500 rules
and 5,000 lexicon terms; plus how long that large file takes to load. Goals (issue 3):
triage >= 0.6x VADER's speed; with the large file >= 0.4x; the large file loads in < 1 s.

The machine is shared, so each round runs VADER and triage back to back and prints both the
wall-clock ratio and the CPU-time one (children's user + system time; triage may use two
cores, so its CPU ratio is scaled by the cores it can use, 2 here): the spread over
`--repeat` rounds shows how much the load moved the figures. The generated file repeats
the demo catalogue's ~500 texts, and the pipeline remembers the signals of short texts it
has seen; `--distinct DIR` runs a second file of the same events whose texts are all
different (read at run time from the labelled files in DIR, e.g. ../shared/eval), which is
what a cache cannot help.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from workstation import paths
from workstation.rules import load

sys.path.insert(0, str(Path(__file__).parent))
import compiled  # noqa: E402
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


def timed(argv: list[object], env: dict[str, str] | None = None) -> tuple[float, float]:
    """Wall-clock and CPU seconds (user + system, all its processes) of one command."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    subprocess.run([str(a) for a in argv], check=True, stdout=subprocess.DEVNULL, env=env)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def distinct_copy(events: Path, out: Path, eval_dir: Path) -> int:
    """`events` with every text replaced by a different text of the labelled files (as many
    events as there are texts, so none repeats); returns how many were written."""
    texts = list(dict.fromkeys(
        json.loads(line)["text"] for path in sorted(eval_dir.glob("*.jsonl"))
        for line in path.read_text(encoding="utf-8").splitlines() if line.strip()))
    random.Random(5).shuffle(texts)
    count = 0
    with events.open(encoding="utf-8") as src, out.open("w", encoding="utf-8") as dst:
        for line, text in zip(src, texts, strict=False):
            event = json.loads(line)
            event["text"] = text
            dst.write(json.dumps(event, ensure_ascii=False) + "\n")
            count += 1
    return count


def compare(label: str, events: Path, count: int, env: dict[str, str], repeat: int,
            goal: float) -> None:
    """VADER and triage back to back `repeat` times; the ratios' median and spread."""
    cores = min(2, os.cpu_count() or 1)
    walls, cpus = [], []
    for _ in range(repeat):
        vader = timed([sys.executable, "-c", VADER_ALONE, events])
        triage = timed([BIN / "workstation", "triage", events, "--json"], env)
        walls.append(vader[0] / triage[0])
        cpus.append(vader[1] * cores / triage[1])
        print(f"  {label:<24} VADER {vader[0]:5.2f} s ({vader[1]:5.2f} CPU)  triage "
              f"{triage[0]:5.2f} s ({triage[1]:5.2f} CPU, {count / triage[0]:6,.0f} events/s)"
              f"  = {walls[-1]:.2f}x wall, {cpus[-1]:.2f}x CPU", flush=True)
    print(f"{label:<26} {statistics.median(walls):.2f}x VADER wall (range {min(walls):.2f}-"
          f"{max(walls):.2f}), {statistics.median(cpus):.2f}x CPU on {cores} cores "
          f"(range {min(cpus):.2f}-{max(cpus):.2f}); goal >= {goal}", flush=True)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("count", type=int, nargs="?", default=50_000)
    parser.add_argument("--repeat", type=int, default=3, help="rounds of each comparison")
    parser.add_argument("--distinct", type=Path, metavar="DIR",
                        help="also time a file whose texts all differ, read from DIR/*.jsonl")
    args = parser.parse_args()
    compiled.ensure()
    with tempfile.TemporaryDirectory() as tmp:
        events, rules = Path(tmp) / "events.jsonl", Path(tmp) / "big-rules.toml"
        generate(events, args.count)
        big_rules(rules)
        started = time.perf_counter()
        loaded = load(rules)
        load_s = time.perf_counter() - started
        print(f"{args.count} events, {os.cpu_count()} cores; big rules: {len(loaded.rules)} rules,"
              f" 5,000 more lexicon terms, loaded in {load_s * 1000:.0f} ms (goal < 1000 ms)")
        env = {**os.environ, "XDG_DATA_HOME": tmp}
        compare("shipped rules", events, args.count, env, args.repeat, 0.6)
        compare("500 rules", events, args.count, {**env, "WORKSTATION_RULES": str(rules)},
                args.repeat, 0.4)
        if args.distinct:
            other = Path(tmp) / "distinct.jsonl"
            texts = distinct_copy(events, other, args.distinct)
            print(f"distinct texts: the first {texts:,} events, each with a different text")
            compare("distinct, shipped rules", other, texts, env, args.repeat, 0.6)
            compare("distinct, 500 rules", other, texts,
                    {**env, "WORKSTATION_RULES": str(rules)}, args.repeat, 0.4)


if __name__ == "__main__":
    main()
