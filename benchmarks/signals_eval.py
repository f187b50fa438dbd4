"""Quality and speed of the language and sentiment signals on the shared development data.

Why it exists: the lexicons in `workstation.signals` were tuned by hand against these files,
and this script is how a change to them is judged. It prints, for sentiment, macro-averaged
recall (the official TweetEval metric) and accuracy on the French (DEFT 2017) and English
(TweetEval) development halves and on the project's own scenarios; for language, accuracy on
the scenarios (`label.lang`) and on the two sentiment files (French and English by
construction, detected without the English hint the TweetEval events carry); and throughput
of `language.detect` and `sentiment.score` on one core.

Usage: python benchmarks/signals_eval.py [--eval-dir DIR] [--errors N]
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from workstation.signals import language, sentiment

CLASSES = ("negative", "neutral", "positive")
REFERENCES = {
    "tweeteval-sentiment.jsonl": "VADER (±0.05) on the full test set: 0.570",
    "fr-sentiment.jsonl": "VADER on French: 0.41",
}


def default_eval_dir() -> Path:
    """`$WORKSTATION_EVAL_DIR`, else `shared/eval` beside the checkout, else `/work/shared/eval`."""
    env = os.environ.get("WORKSTATION_EVAL_DIR")
    if env:
        return Path(env)
    beside = Path(__file__).resolve().parents[2] / "shared" / "eval"
    return beside if beside.is_dir() else Path("/work/shared/eval")


def load(path: Path) -> list[dict]:
    """The events of a JSONL file (blank lines skipped)."""
    with path.open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


def macro_recall(gold: list[str], predicted: list[str]) -> tuple[float, dict[str, float]]:
    """Mean of per-class recall over the classes present in `gold`, and each recall."""
    seen = Counter(gold)
    hits = Counter(g for g, p in zip(gold, predicted, strict=True) if g == p)
    per_class = {c: hits[c] / seen[c] for c in CLASSES if seen[c]}
    return sum(per_class.values()) / len(per_class), per_class


def sentiment_report(name: str, events: list[dict], lang: str | None, errors: int) -> None:
    """Print macro recall and accuracy of `sentiment` on events with a `label.sentiment`."""
    rows = [e for e in events if e.get("label", {}).get("sentiment") in CLASSES]
    gold = [e["label"]["sentiment"] for e in rows]
    langs = [lang or e["label"].get("lang") or language.detect(e["text"]) for e in rows]
    scores = [sentiment.score(e["text"], lg) for e, lg in zip(rows, langs, strict=True)]
    predicted = [sentiment.label(s) for s in scores]
    recall, per_class = macro_recall(gold, predicted)
    accuracy = sum(g == p for g, p in zip(gold, predicted, strict=True)) / len(gold)
    detail = "  ".join(f"{c[:3]} {r:.3f}" for c, r in per_class.items())
    print(
        f"  {name:<28} n={len(gold):>5}  macro recall {recall:.3f}  accuracy {accuracy:.3f}"
        f"  (recall {detail})"
    )
    if name in REFERENCES:
        print(f"  {'':<28} reference: {REFERENCES[name]}")
    shown = 0
    for event, g, p, s in zip(rows, gold, predicted, scores, strict=True):
        if g != p and shown < errors:
            print(f"      gold {g[:3]} got {p[:3]} {s:+.2f}  {event['text'][:110]!r}")
            shown += 1


def language_report(name: str, texts: list[str], gold: list[str]) -> None:
    """Print the share of `texts` whose detected language (no hint) matches `gold`."""
    predicted = [language.detect(t) for t in texts]
    right = sum(g == p for g, p in zip(gold, predicted, strict=True))
    wrong = Counter(p for g, p in zip(gold, predicted, strict=True) if g != p).most_common(4)
    print(
        f"  {name:<28} n={len(texts):>5}  accuracy {right / len(texts):.4f}"
        f"  (mistaken for: {', '.join(f'{k} {v}' for k, v in wrong) or 'none'})"
    )


def throughput(
    label: str, call: Callable[[str], object], texts: list[str], repeat: int = 3
) -> None:
    """Print texts per second of `call` over `texts`, best of `repeat` runs.

    The detector's per-word memo is emptied before each run, so a run pays for filling it
    as a freshly started process would.
    """
    call(texts[0])  # warm-up: lazy lexicon loading is not what is measured
    best = float("inf")
    for _ in range(repeat):
        getattr(language, "_CACHE", {}).clear()
        start = time.perf_counter()
        for text in texts:
            call(text)
        best = min(best, time.perf_counter() - start)
    print(f"  {label:<28} {len(texts) / best:>10,.0f} texts/s  ({len(texts)} texts)")


def main(argv: list[str] | None = None) -> int:
    """Run every measurement and print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--errors", type=int, default=0, help="print N misclassified examples")
    args = parser.parse_args(argv)
    french = load(args.eval_dir / "fr-sentiment.jsonl")
    english = load(args.eval_dir / "tweeteval-sentiment.jsonl")
    scenarios = load(args.eval_dir / "scenarios-dev.jsonl")

    print("sentiment (dev halves)")
    sentiment_report("fr-sentiment.jsonl", french, "fr", args.errors)
    sentiment_report("tweeteval-sentiment.jsonl", english, "en", args.errors)
    sentiment_report("scenarios-dev.jsonl", scenarios, None, args.errors)

    print("language (no hint)")
    language_report(
        "scenarios-dev.jsonl",
        [e["text"] for e in scenarios],
        [e["label"]["lang"] for e in scenarios],
    )
    language_report("fr-sentiment.jsonl (fr)", [e["text"] for e in french], ["fr"] * len(french))
    language_report(
        "tweeteval-sentiment.jsonl (en)", [e["text"] for e in english], ["en"] * len(english)
    )

    print("throughput (one core)")
    english_texts = [e["text"] for e in english]
    french_texts = [e["text"] for e in french]
    throughput("detect (en+fr tweets)", language.detect, english_texts + french_texts)
    throughput("score en (VADER+)", lambda t: sentiment.score(t, "en"), english_texts)
    throughput("score fr", lambda t: sentiment.score(t, "fr"), french_texts)
    return 0


if __name__ == "__main__":
    sys.exit(main())
