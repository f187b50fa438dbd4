"""Quality of triage on labelled data: one table, our figure beside the baselines and targets.

    python benchmarks/eval_triage.py ../shared/eval

Runs the pipeline (the code `workstation triage` runs) over every labelled JSONL file it
knows in DIR. The naive baseline is VADER plus a seven-word profanity regex and a link regex,
as measured on the held-out halves; the targets are the issue's.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from workstation.events import Event, parse_line
from workstation.pipeline import Pipeline, Verdict
from workstation.signals import sentiment

TOXIC = {"profanity", "hate", "harassment", "threat"}
LATER = datetime(2100, 1, 1, tzinfo=UTC)


def rows(path: Path) -> Iterator[tuple[Event, dict[str, Any]]]:
    for number, line in enumerate(path.open("rb"), start=1):
        event = parse_line(line, number, LATER)
        if isinstance(event, Event):
            yield event, json.loads(line)["label"]


def macro_recall(pairs: list[tuple[str, str]], classes: tuple[str, ...]) -> float:
    recalls = []
    for cls in classes:
        relevant = [p for p in pairs if p[1] == cls]
        if relevant:
            recalls.append(sum(1 for p in relevant if p[0] == cls) / len(relevant))
    return sum(recalls) / len(recalls)


def f1(pairs: list[tuple[bool, bool]], positive: bool = True) -> float:
    tp = sum(1 for p, g in pairs if p == positive and g == positive)
    fp = sum(1 for p, g in pairs if p == positive and g != positive)
    fn = sum(1 for p, g in pairs if p != positive and g == positive)
    return 2 * tp / (2 * tp + fp + fn) if tp else 0.0


def macro_f1(pairs: list[tuple[bool, bool]]) -> float:
    return (f1(pairs, True) + f1(pairs, False)) / 2


Metric = Callable[[list[tuple[Verdict, dict[str, Any]]]], float]


def _categories(v: Verdict) -> set[str]:
    return set(v.categories)


def sentiment_recall(results: list[tuple[Verdict, dict[str, Any]]]) -> float:
    pairs = [(sentiment.label(v.sentiment), g["sentiment"]) for v, g in results]
    return macro_recall(pairs, ("negative", "neutral", "positive"))


SETS: dict[str, list[tuple[str, str, str, str, Metric]]] = {
    "tweeteval-sentiment.jsonl": [("TweetEval sentiment (en)", "macro recall", "0.57", ">= 0.65",
                                   sentiment_recall)],
    "fr-sentiment.jsonl": [("French sentiment", "macro recall", "0.39", ">= 0.58",
                            sentiment_recall)],
    "youtube-spam.jsonl": [("YouTube spam", "F1 of spam", "0.89", ">= 0.93",
                            lambda r: f1([("spam" in _categories(v), g["spam"]) for v, g in r]))],
    "davidson-hate-offensive.jsonl": [(
        "Davidson toxic vs neither", "macro F1", "0.85", ">= 0.90",
        lambda r: macro_f1([(bool(_categories(v) & TOXIC), g["toxicity"] != "neither")
                            for v, g in r]))],
    "tweeteval-offensive.jsonl": [(
        "TweetEval offensive", "macro F1", "0.62", ">= 0.72",
        lambda r: macro_f1([(bool(_categories(v) & TOXIC), g["offensive"]) for v, g in r]))],
    "tweeteval-hate.jsonl": [(
        "TweetEval hate", "macro F1", "0.36", ">= 0.50",
        lambda r: macro_f1([("hate" in _categories(v), g["hate"]) for v, g in r]))],
    "fr-hostility.jsonl": [(
        "French hostility", "macro F1", "0.16", ">= 0.65",
        lambda r: macro_f1([(bool(_categories(v) & TOXIC), g["toxic"]) for v, g in r]))],
    "scenarios-dev.jsonl": [
        ("scenarios", "primary intent accuracy", "-", ">= 0.85",
         lambda r: _share(r, lambda v, g: (v.intents[:1] or ["-"])[0]
                          == (g["intents"][:1] or ["-"])[0])),
        ("scenarios", "moderation verdict accuracy", "0.88", ">= 0.95",
         lambda r: _share(r, lambda v, g: v.moderation == g["moderation"]["verdict"])),
        ("scenarios", "role accuracy", "0.72", ">= 0.88",
         lambda r: _share(r, lambda v, g: v.role == g["role"])),
        ("scenarios", "escalation recall (supervisor)", "-", ">= 0.95",
         lambda r: _share([x for x in r if x[1]["role"] == "supervisor"],
                          lambda v, g: v.escalate and v.role == "supervisor")),
        ("scenarios", "language accuracy", "-", ">= 0.97",
         lambda r: _share(r, lambda v, g: v.lang == g["lang"])),
        ("scenarios", "priority accuracy", "-", "-",
         lambda r: _share(r, lambda v, g: v.priority.name.lower() == g["priority"])),
    ],
}


def _share(results: list[tuple[Verdict, dict[str, Any]]],
           correct: Callable[[Verdict, dict[str, Any]], bool]) -> float:
    return sum(1 for v, g in results if correct(v, g)) / max(len(results), 1)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dir", type=Path)
    parser.add_argument("--errors", type=int, default=0,
                        help="print this many scenario mistakes (development only)")
    args = parser.parse_args()
    pipeline = Pipeline()
    print(f"| set | metric | naive | target | ours (dev half) | n |")
    print("|---|---|---|---|---|---|")
    started, total = time.perf_counter(), 0
    for name, metrics in SETS.items():
        path = args.dir / name
        if not path.exists():
            continue
        results = [(pipeline.run(event), label) for event, label in rows(path)]
        total += len(results)
        for title, metric, naive, target, measure in metrics:
            print(f"| {title} | {metric} | {naive} | {target} | {measure(results):.3f} "
                  f"| {len(results)} |")
        if name == "scenarios-dev.jsonl" and args.errors:
            _mistakes(path, pipeline, args.errors)
    elapsed = time.perf_counter() - started
    print(f"\n{total} events in {elapsed:.1f} s ({total / elapsed:,.0f} events/s, one core)",
          file=sys.stderr)


def _mistakes(path: Path, pipeline: Pipeline, limit: int) -> None:
    shown = 0
    for event, label in rows(path):
        v = pipeline.run(event)
        got = ((v.intents[:1] or ["-"])[0], v.role, v.moderation, v.priority.name.lower())
        want = ((label["intents"][:1] or ["-"])[0], label["role"],
                label["moderation"]["verdict"], label["priority"])
        if got != want and shown < limit:
            shown += 1
            print(f"  {event.id}: got {got} {list(v.intents)} want {want} {label['intents']}"
                  f" rules={list(v.rules)}", file=sys.stderr)


if __name__ == "__main__":
    main()
