"""Fit the sentiment models on the shared development data and write them into the package.

Why it exists: `workstation.signals.sentiment` scores a message with a small multinomial
logistic regression (negative / neutral / positive) per reading, English and French, whose
features are the message's words and the verdict of the hand-written scorers (VADER and its
patches in English, the lexicon scorer in French). This script is how those weights are made,
so anyone can remake them and see where they came from. It uses only the standard library and
is deterministic (fixed seeds, hash-based split, sorted iteration).

What it does:
1. Reads tweeteval-sentiment (English), fr-sentiment (French) and the labelled scenarios
   (`label.sentiment`, each in its `label.lang`, weighted 3x: few, but our inbox) from
   ../shared/eval.
2. Splits every file by a hash of the text, as `fit_moderation.py` does: bucket 0 (a fifth)
   is our held-out split, never used for fitting or for choosing anything; buckets 1-4 train.
3. Reads each text with `sentiment.features` (the exact features the module computes:
   words, word pairs in English, negation-scoped words, and the hand-written scorer's
   verdict as bins, so that the model corrects the rules rather than replaces them).
4. Fits, per language, the sum of two linear models over those features: a softmax
   regression (AdaGrad SGD, L2 on the weights an example touches, averaged over `BAGS`
   shuffling seeds) and `beta` times a smoothed naive Bayes. Every class of every dataset
   weighs the same in total (the metric is macro recall), so the argmax needs no prior
   correction. N-grams seen in fewer than `min_df` texts are ignored. The hyper-parameters
   and feature switches in `SETUPS` were chosen by 4-fold cross-validation on buckets 1-4
   (`--search KEY=VALUE,...` prints the figures of variations).
5. Reports 4-fold cross-validated figures, refits on buckets 1-4, measures bucket 0 once,
   and writes `workstation/signals/data/sentiment_<lang>.json` with its provenance: datasets
   (sha256, sizes), date, seed, split, hyper-parameters, cross-validated and held-out figures.

The figures are those of `sentiment.label(score)` with the score made as the module makes it
(`sentiment.combine`: the model's most likely class, its strength from P(positive) -
P(negative) and the hand-written score), so they are the argmax's.

No sentence of the data is written anywhere: only weights of words and word pairs seen in
`min_df` texts or more (never a user name or a long number), pruned below `PRUNE`.

Usage: python benchmarks/fit_sentiment.py [--eval-dir DIR] [--out-dir DIR] [--lang en|fr]
                                         [--search KEY=VALUE,... ...]
"""

from __future__ import annotations

import argparse
import datetime as dt
import hashlib
import json
import math
import random
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from workstation.signals import linear, sentiment  # noqa: E402

SEED = 20261103
HELD_OUT = 0  # bucket never fitted on: our held-out split
CLASSES = ("negative", "neutral", "positive")
PRUNE = 0.02  # weights smaller than this (after the neutral reference is taken) are dropped

# Per language: the training sets (dataset, sample weight) and the hyper-parameters chosen by
# 4-fold cross-validation on buckets 1-4 (see --search).
SETUPS = {
    "en": {"data": [("tweeteval-sentiment", 1.0), ("scenarios-dev", 3.0)],
           "config": {"negation": True, "bigrams": True, "parts": True, "distinct": True},
           "hp": {"l2": 1e-3, "lr": 0.05, "epochs": 20, "min_df": 2, "alpha": 4.0,
                  "beta": 1.5}},
    "fr": {"data": [("fr-sentiment", 1.0), ("scenarios-dev", 3.0)],
           "config": {"negation": True, "bigrams": False, "parts": True, "distinct": True},
           "hp": {"l2": 1e-3, "lr": 0.05, "epochs": 20, "min_df": 2, "alpha": 4.0,
                  "beta": 0.5}},
}
BAGS = 3  # shuffling seeds averaged in the shipped model


def default_eval_dir() -> Path:
    """`shared/eval` beside the checkout, else `/work/shared/eval`."""
    beside = ROOT.parent / "shared" / "eval"
    return beside if beside.is_dir() else Path("/work/shared/eval")


def bucket(text: str) -> int:
    """The split bucket of a text (0-4), stable across runs and machines."""
    return int(hashlib.sha256(text.encode("utf-8")).hexdigest(), 16) % 5


def load(eval_dir: Path, name: str) -> list[dict]:
    """The events of `name`.jsonl."""
    with (eval_dir / f"{name}.jsonl").open(encoding="utf-8") as handle:
        return [json.loads(line) for line in handle if line.strip()]


_HANDLE_OR_NUMBER = re.compile(r"[a-z0-9]_[a-z0-9]|\d{6}")


def impersonal(feature: str) -> bool:
    """False for a feature that may name someone (a user name written without "@", a long
    number). Such features never enter a model."""
    return not _HANDLE_OR_NUMBER.search(feature)


class Example:
    """One labelled text: dataset, bucket, class index, language and its text."""

    __slots__ = ("dataset", "fold", "y", "lang", "text", "feats", "rules")

    def __init__(self, dataset: str, event: dict, lang: str) -> None:
        self.dataset, self.text, self.lang = dataset, event["text"], lang
        self.fold = bucket(event["text"])
        self.y = CLASSES.index(event["label"]["sentiment"])
        self.feats: list[str] = []
        self.rules = 0.0  # the hand-written scorer's score

    def read(self, config: dict) -> None:
        """Compute the features (and the rules' score) the module computes for this text."""
        self.feats, self.rules = sentiment.read(self.text, self.lang, config)


def examples_for(lang: str, events: dict[str, list[dict]]) -> list[Example]:
    """The labelled texts of `lang` in the datasets of its setup."""
    out = []
    for name, _ in SETUPS[lang]["data"]:
        for event in events[name]:
            label = event.get("label", {})
            if label.get("sentiment") not in CLASSES:
                continue
            if name == "scenarios-dev" and label.get("lang") != lang:
                continue
            out.append(Example(name, event, lang))
    return out


def softmax(margins: list[float]) -> list[float]:
    """Probabilities of the classes from their margins."""
    top = max(margins)
    exps = [math.exp(m - top) for m in margins]
    total = sum(exps)
    return [e / total for e in exps]


def train(rows: list[tuple[list[int], int, float]], size: int, l2: float, lr: float,
          epochs: int, seed: int) -> tuple[list[float], list[list[float]]]:
    """Softmax regression by AdaGrad SGD; L2 is applied to the weights an example touches.

    Args:
        rows: (feature indices, class index, sample weight).
        size: Number of features.

    Returns:
        (one bias per class, one weight list per class).
    """
    weights = [[0.0] * size for _ in CLASSES]
    squares = [[1e-6] * size for _ in CLASSES]
    bias, bias_squares = [0.0] * len(CLASSES), [1e-6] * len(CLASSES)
    order = list(range(len(rows)))
    rng = random.Random(seed)
    sqrt = math.sqrt
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            idx, y, sw = rows[i]
            probs = softmax([b + sum(map(w.__getitem__, idx))
                             for b, w in zip(bias, weights, strict=True)])
            for c, p in enumerate(probs):
                g = (p - (c == y)) * sw
                bias_squares[c] += g * g
                bias[c] -= lr * g / sqrt(bias_squares[c])
                w, sq = weights[c], squares[c]
                for f in idx:
                    gf = g + l2 * w[f]
                    sq[f] += gf * gf
                    w[f] -= lr * gf / sqrt(sq[f])
    return bias, weights


class Fit:
    """A fitted model over a vocabulary: features -> margins (neutral as reference)."""

    def __init__(self, bias: list[float], tables: dict[str, dict[str, float]]) -> None:
        self.bias, self.tables = bias, tables

    def margins(self, feats: list[str]) -> tuple[float, float]:
        """(negative, positive) margins relative to neutral."""
        neg, pos = self.tables["negative"], self.tables["positive"]
        return (self.bias[0] + sum(neg.get(f, 0.0) for f in feats),
                self.bias[1] + sum(pos.get(f, 0.0) for f in feats))


def naive_bayes(rows: list[tuple[list[int], int, float]], size: int,
                alpha: float) -> list[list[float]]:
    """Per class, the log-probability of each feature under a multinomial naive Bayes over
    feature presence (the rows list each feature once), with additive smoothing `alpha`."""
    counts = [[0.0] * size for _ in CLASSES]
    for idx, y, sw in rows:
        row = counts[y]
        for f in idx:
            row[f] += sw
    logs = []
    for row in counts:
        total = sum(row) + alpha * size
        logs.append([math.log((c + alpha) / total) for c in row])
    return logs


def fit(examples: list[Example], weights_by_set: dict[str, float], hp: dict,
        bags: int = 1) -> Fit:
    """Fit on `examples`; return weights with neutral as the reference class.

    The model is the sum of two linear models over the same features: a softmax regression
    (averaged over `bags` seeds) and `beta` times a smoothed naive Bayes. On this little data
    the regression alone under-uses the rarer words and naive Bayes alone ignores that the
    rules' bins and the words overlap; their sum does better than either in cross-validation.
    """
    df = Counter(f for ex in examples for f in set(ex.feats))
    vocab = sorted(f for f, c in df.items()
                   if (c >= hp["min_df"] or f.startswith("_")) and impersonal(f))
    index = {f: i for i, f in enumerate(vocab)}
    # every class of every dataset weighs the same in total (times the dataset's weight)
    counts = Counter((ex.dataset, ex.y) for ex in examples)
    sizes = Counter(ex.dataset for ex in examples)
    rows = []
    for ex in examples:
        sw = weights_by_set[ex.dataset] * sizes[ex.dataset] / (len(CLASSES)
                                                               * counts[(ex.dataset, ex.y)])
        rows.append(([index[f] for f in ex.feats if f in index], ex.y, sw))
    total_bias = [0.0] * 3
    total = [[0.0] * len(vocab) for _ in CLASSES]
    for bag in range(bags):
        bias, weights = train(rows, len(vocab), hp["l2"], hp["lr"], hp["epochs"], SEED + bag)
        total_bias = [a + b / bags for a, b in zip(total_bias, bias, strict=True)]
        for c in range(3):
            total[c] = [a + b / bags for a, b in zip(total[c], weights[c], strict=True)]
    if hp.get("beta"):
        logs = naive_bayes(rows, len(vocab), hp["alpha"])  # classes weigh the same: no prior
        for c in range(3):
            total[c] = [a + hp["beta"] * b for a, b in zip(total[c], logs[c], strict=True)]
    neutral = 1
    tables = {}
    for c, name in ((0, "negative"), (2, "positive")):
        weights = ((f, total[c][i] - total[neutral][i]) for i, f in enumerate(vocab))
        tables[name] = {f: w for f, w in weights if abs(w) >= PRUNE}
    return Fit([total_bias[0] - total_bias[neutral], total_bias[2] - total_bias[neutral]],
               tables)


def macro_recall(gold: list[int], pred: list[int]) -> tuple[float, list[float]]:
    """Mean per-class recall over the classes present in `gold`, and each recall."""
    recalls = []
    for c in range(3):
        n = sum(1 for g in gold if g == c)
        if n:
            recalls.append(sum(1 for g, p in zip(gold, pred, strict=True) if g == c == p) / n)
    return sum(recalls) / len(recalls), recalls


def evaluate(examples: list[Example], margins: list[tuple[float, float]]) -> dict[str, float]:
    """Macro recall, per-class recall and accuracy of `sentiment.label(score)`, the score
    being made as the module makes it (`sentiment.combine`)."""
    gold = [ex.y for ex in examples]
    pred = [CLASSES.index(sentiment.label(sentiment.combine(sentiment.softmax(neg, pos),
                                                            ex.rules)))
            for ex, (neg, pos) in zip(examples, margins, strict=True)]
    recall, per_class = macro_recall(gold, pred)
    return {"macro_recall": recall, "recall_neg": per_class[0], "recall_neu": per_class[1],
            "recall_pos": per_class[2],
            "accuracy": sum(g == p for g, p in zip(gold, pred, strict=True)) / len(gold)}


def cross_validate(examples: list[Example], setup: dict, hp: dict,
                   bags: int = 1) -> list[tuple[float, float]]:
    """Out-of-fold (negative, positive) margins of every example of buckets 1-4."""
    weights = dict(setup["data"])
    oof: list[tuple[float, float]] = [(0.0, 0.0)] * len(examples)
    folds = sorted({ex.fold for ex in examples})
    for k in folds:
        model = fit([ex for ex in examples if ex.fold != k], weights, hp, bags)
        for i, ex in enumerate(examples):
            if ex.fold == k:
                oof[i] = model.margins(ex.feats)
    return oof


def report(name: str, figures: dict[str, float]) -> None:
    """Print one line of figures."""
    print(f"    {name:<38} macro recall {figures['macro_recall']:.3f}  "
          f"(neg {figures['recall_neg']:.3f} neu {figures['recall_neu']:.3f} "
          f"pos {figures['recall_pos']:.3f})  accuracy {figures['accuracy']:.3f}")


def by_set(examples: list[Example],
           margins: list[tuple[float, float]]) -> dict[str, dict[str, float]]:
    """`evaluate` per dataset."""
    out = {}
    for name in sorted({ex.dataset for ex in examples}):
        picked = [i for i, ex in enumerate(examples) if ex.dataset == name]
        out[name] = evaluate([examples[i] for i in picked], [margins[i] for i in picked])
    return out


def search(lang: str, examples: list[Example], grid: list[str]) -> None:
    """Print 4-fold figures for variations of the setup: each item of `grid` is a
    comma-separated list of key=value overriding the hyper-parameters or feature switches."""
    setup = SETUPS[lang]
    main_set = setup["data"][0][0]
    cache: dict[tuple, list[tuple[list[str], float]]] = {}
    for spec in grid or [""]:
        hp, config = dict(setup["hp"]), dict(setup["config"])
        data = dict(setup["data"])
        for item in filter(None, spec.split(",")):
            key, _, value = item.partition("=")
            if key in config:
                config[key] = value == "1"
            elif key in data:  # a dataset's weight
                data[key] = float(value)
            else:
                hp[key] = type(setup["hp"][key])(float(value))
        key = tuple(sorted(config.items()))
        if key not in cache:
            cache[key] = [sentiment.read(ex.text, lang, config) for ex in examples]
        for ex, (feats, rules) in zip(examples, cache[key], strict=True):
            ex.feats, ex.rules = feats, rules
        oof = cross_validate(examples, {**setup, "data": list(data.items())}, hp)
        figures = by_set(examples, oof)
        plain = figures[main_set]
        others = "; ".join(f"{name} {f['macro_recall']:.3f}"
                           for name, f in figures.items() if name != main_set)
        print(f"  {lang} {spec or 'as set'}: macro recall {plain['macro_recall']:.4f} "
              f"(per class {plain['recall_neg']:.3f} {plain['recall_neu']:.3f} "
              f"{plain['recall_pos']:.3f}); {others}", flush=True)


def main(argv: list[str] | None = None) -> int:
    """Cross-validate, refit, measure the held-out bucket, write the model files."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--out-dir", type=Path, default=linear.DATA_DIR)
    parser.add_argument("--search", nargs="*", metavar="KEY=VALUE,...",
                        help="print 4-fold figures of these variations instead of fitting")
    parser.add_argument("--lang", choices=sorted(SETUPS), action="append")
    args = parser.parse_args(argv)
    names = sorted({name for setup in SETUPS.values() for name, _ in setup["data"]})
    events = {name: load(args.eval_dir, name) for name in names}
    provenance = {name: {"file": f"{name}.jsonl", "sha256": hashlib.sha256(
        (args.eval_dir / f"{name}.jsonl").read_bytes()).hexdigest(), "events": len(events[name])}
        for name in names}
    for lang in args.lang or sorted(SETUPS):
        setup = SETUPS[lang]
        everything = examples_for(lang, events)
        train_set = [ex for ex in everything if ex.fold != HELD_OUT]
        held_out = [ex for ex in everything if ex.fold == HELD_OUT]
        print(f"{lang}: {len(train_set)} texts to fit on, {len(held_out)} held out")
        if args.search is not None:
            search(lang, train_set, args.search)
            continue
        for ex in everything:
            ex.read(setup["config"])
        oof = cross_validate(train_set, setup, setup["hp"], BAGS)
        cv = by_set(train_set, oof)
        for name, figures in cv.items():
            report(f"4-fold CV {name}", figures)
        model = fit(train_set, dict(setup["data"]), setup["hp"], BAGS)
        bias = [round(b, 4) for b in model.bias]
        tables = {name: {f: round(w, 4) for f, w in sorted(table.items())}
                  for name, table in model.tables.items()}
        shipped = Fit(bias, tables)  # what the file holds
        held = by_set(held_out, [shipped.margins(ex.feats) for ex in held_out])
        for name, figures in held.items():
            report(f"held-out bucket 0 {name}", figures)
        rounded = {name: {k: round(v, 4) for k, v in f.items()} for name, f in cv.items()}
        meta = {
            "what": "sentiment model for workstation.signals.sentiment: multinomial logistic "
                    "regression over sentiment.features, neutral is the reference class "
                    "(margin 0); the label is the argmax, the score sentiment.combine of the "
                    "probabilities and the hand-written scorer",
            "lang": lang,
            "caveat": "the hand-written scorers whose verdict is a feature (the English "
                      "patches, the French lexicon) were written looking at the whole "
                      "development half, bucket 0 included: held-out figures are somewhat "
                      "optimistic, the French ones most",
            "provenance": {
                "script": "benchmarks/fit_sentiment.py", "date": dt.date.today().isoformat(),
                "seed": SEED, "bags": BAGS,
                "datasets": {name: {**provenance[name], "weight": weight,
                                    "trained_on": sum(ex.dataset == name for ex in train_set),
                                    "held_out": sum(ex.dataset == name for ex in held_out)}
                             for name, weight in setup["data"]},
                "split": "sha256(text) % 5; bucket 0 held out (never fitted on, nothing chosen "
                         "on it), buckets 1-4 fitted on; 4-fold CV = one bucket out at a time",
                "method": "softmax regression, AdaGrad SGD with L2 on touched weights, classes "
                          f"weighted to equal totals per dataset; n-grams in >= "
                          f"{setup['hp']['min_df']} texts, no handles or long numbers; "
                          f"|weight| < {PRUNE} pruned; plus beta x naive Bayes log-"
                          "probabilities (smoothing alpha) over the same features",
                "hyperparameters": setup["hp"],
                "thresholds": [sentiment.NEGATIVE_BELOW, sentiment.POSITIVE_ABOVE],
                "cross_validated": rounded,
                "held_out": {name: {k: round(v, 4) for k, v in f.items()}
                             for name, f in held.items()},
            },
        }
        out = linear.LinearModel(list(CLASSES), [bias[0], 0.0, bias[1]],
                                 {"negative": tables["negative"],
                                  "positive": tables["positive"]}, setup["config"], meta)
        path = args.out_dir / f"{sentiment.MODELS[lang]}.json"
        path.write_text(json.dumps(out.to_dict(), ensure_ascii=False, separators=(",", ":"))
                        + "\n", encoding="utf-8")
        print(f"  wrote {path} ({path.stat().st_size / 1e6:.2f} MB, "
              f"{sum(map(len, tables.values()))} weights)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
