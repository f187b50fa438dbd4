"""Fit the moderation models on the shared development data and write them into the package.

Why it exists: `workstation.signals.moderation` combines hand-written rules with logistic
regressions whose weights, thresholds and gates come from data. This script is how those
numbers are made, so anyone can remake them and see where they came from. It uses only the
standard library (CI stays light) and is deterministic (fixed seeds, hash-based split).

What it does:
1. Reads the development halves in ../shared/eval: youtube-spam (`spam`), davidson
   (`toxicity`), tweeteval-offensive, tweeteval-hate, fr-hostility (`toxic`), and the two
   sentiment files as background (everyday tweets: the calm ones count as neither spam nor
   toxic, so that a head's prior is not that of a corpus collected for its label).
2. Splits every file by a hash of the text: bucket 0 (a fifth) is our held-out split, never
   read here and measured by `benchmarks/eval_moderation.py`; buckets 1-4 train.
3. Reads each text with the hand-written layers (`moderation.read`), so the models see the
   same features as `detect`, rule hits included.
4. Fits four one-vs-rest heads, `spam`, `toxic_en`, `toxic_fr`, `hate`, by FTRL-Proximal
   logistic regression (McMahan et al. 2013): L1 keeps the tables small; L2, n-grams seen in
   at least two texts, and averaging over shuffling seeds keep them from memorising.
5. Chooses each head's threshold, and its gate (the weight one uncommon word of the text
   must reach), on 4-fold out-of-fold figures with the rules applied as `detect` applies
   them: the best target metric (smoothed over neighbouring thresholds) among the settings
   that flag at most 2% of the calm background tweets.
6. Refits on buckets 1-4 and writes `workstation/signals/data/moderation.json` with its
   provenance: datasets (sha256, sizes), date, seed, hyper-parameters, cross-validated metrics.

No sentence of the data is written anywhere: only weights of words and word pairs seen in two
texts or more (never a user name or a long number), and the 400 most frequent of them in
each background file.

Usage: python benchmarks/fit_moderation.py [--eval-dir DIR] [--out FILE]
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

from workstation.signals import linear, moderation  # noqa: E402

SEED = 20261102
HELD_OUT = 0  # bucket kept for benchmarks/eval_moderation.py
MIN_DF = 2
PRUNE = 0.01  # weights smaller than this are dropped from the file
TOXIC_RULES = ("profanity", "harassment", "threat", "hate")

# Per head: training sets (dataset, label -> True/False/None to skip, or None for background,
# sample weight) and FTRL hyper-parameters, chosen by 4-fold cross-validation on buckets 1-4.
# Background texts count as negatives when calm (`Example.calm_background`): 78% of
# fr-hostility is hostile and 54% of youtube-spam is spam, an inbox is mostly neither.
BACKGROUND = ("tweeteval-sentiment", "fr-sentiment")
HEADS = {
    "spam": {"data": [("youtube-spam", lambda lab: lab["spam"], 1.0),
                      ("tweeteval-sentiment", None, 1.0), ("fr-sentiment", None, 1.0)],
             "hp": {"alpha": 0.2, "l1": 1.0, "l2": 2.0}},
    "toxic_en": {"data": [("davidson-hate-offensive", lambda lab: lab["toxicity"] != "neither",
                           1.0),
                          ("tweeteval-offensive", lambda lab: lab["offensive"], 4.0),
                          ("tweeteval-hate", lambda lab: True if lab["hate"] else None, 1.0),
                          ("tweeteval-sentiment", None, 0.4)],
                 "hp": {"alpha": 0.2, "l1": 3.0, "l2": 8.0, "bags": 4}},
    "toxic_fr": {"data": [("fr-hostility", lambda lab: lab["toxic"], 1.0),
                          ("fr-sentiment", None, 8.0)],
                 "hp": {"alpha": 0.2, "l1": 0.3, "l2": 20.0, "bags": 4}},
    "hate": {"data": [("tweeteval-hate", lambda lab: lab["hate"], 1.0),
                      ("fr-hostility", lambda lab: "hateful" in lab["hostility"], 0.5),
                      ("tweeteval-sentiment", None, 0.5), ("fr-sentiment", None, 0.5)],
             "hp": {"alpha": 0.2, "l1": 1.0, "l2": 2.0}},
}
LANG = {"fr-hostility": "fr", "fr-sentiment": "fr"}  # every other file is English


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


class Example:
    """One training text, read once: its features, rule hits and labels."""

    __slots__ = ("dataset", "fold", "feats", "hits", "weak_spam", "cue", "cued", "label")

    def __init__(self, dataset: str, event: dict) -> None:
        reading = moderation.read(event["text"], LANG.get(dataset, "en"))
        self.dataset, self.fold = dataset, bucket(event["text"])
        self.feats, self.hits, self.label = reading.features, set(reading.hits), event["label"]
        self.cued = moderation.cued(self.feats)  # a swear word, an insult or a hostile word
        self.weak_spam = len(reading.hits.get("spam_weak", ()))
        self.cue = bool(self.hits & {"spam", "spam_weak", "spam_context"})

    def calm_background(self) -> bool | None:
        """False (a negative) for a background text that is not negative and in which no
        rule sees hostility or spam; None (left out) otherwise."""
        calm = self.label.get("sentiment") != "negative" and not self.hits & {
            "profanity", "harassment", "threat", "hate", "spam"} and not any(
            f in ("_ins_", "_insw_") for f in self.feats)
        return False if calm else None


def sigmoid(x: float) -> float:
    """The logistic function, without overflow."""
    return 1.0 / (1.0 + math.exp(-x)) if x >= 0 else math.exp(x) / (1.0 + math.exp(x))


_HANDLE_OR_NUMBER = re.compile(r"[a-z0-9]_[a-z0-9]|\d{6}")


def impersonal(feature: str) -> bool:
    """False for a feature that may name someone: a user name written without "@"
    ("jane_doe") or a long number. Such features never enter a model."""
    return not _HANDLE_OR_NUMBER.search(feature)


def ftrl(rows: list[tuple[list[str], float, float]], alpha: float, l1: float, l2: float,
         beta: float = 1.0, epochs: int = 8, negative_weight: float = 1.0,
         min_df: int = MIN_DF, seed: int = SEED) -> tuple[float, dict[str, float]]:
    """FTRL-Proximal logistic regression over (features, label, weight) rows.

    Returns:
        The bias and the non-zero weights. Features seen in fewer than `min_df` rows are
        ignored (a rare n-gram is a memorised sentence, not a pattern).
    """
    df = Counter(f for feats, _, _ in rows for f in set(feats))
    keep = {f for f, c in df.items() if (c >= min_df or f.startswith("_")) and impersonal(f)}
    data = [([f for f in feats if f in keep] + ["<bias>"], y,
             w * (negative_weight if y < 0.5 else 1.0)) for feats, y, w in rows]
    z: dict[str, float] = {}
    n: dict[str, float] = {}

    def weight(f: str) -> float:
        zi = z.get(f, 0.0)
        if abs(zi) <= l1:
            return 0.0
        return -(zi - math.copysign(l1, zi)) / ((beta + math.sqrt(n.get(f, 0.0))) / alpha + l2)

    order = list(range(len(data)))
    rng = random.Random(seed)
    for _ in range(epochs):
        rng.shuffle(order)
        for i in order:
            feats, y, sw = data[i]
            ws = [weight(f) for f in feats]
            g = (sigmoid(sum(ws)) - y) * sw
            for f, w in zip(feats, ws, strict=True):
                ni = n.get(f, 0.0)
                z[f] = z.get(f, 0.0) + g - (math.sqrt(ni + g * g) - math.sqrt(ni)) / alpha * w
                n[f] = ni + g * g
    weights = {f: w for f in z if (w := weight(f))}
    return weights.pop("<bias>", 0.0), weights


def fit(rows: list[tuple[list[str], float, float]], bags: int = 1,
        **hp: float) -> tuple[float, dict[str, float]]:
    """`ftrl` averaged over `bags` shuffling seeds: still one linear model, less variance."""
    if bags == 1:
        return ftrl(rows, **hp)
    bias, weights = 0.0, Counter()
    for bag in range(bags):
        b, w = ftrl(rows, seed=SEED + bag, **hp)
        bias += b / bags
        weights.update({f: v / bags for f, v in w.items()})
    return bias, dict(weights)


def rows_for(head: str, examples: list[Example], folds: set[int]) -> list:
    """Training rows of `head` from the examples in `folds`."""
    spec = {name: (fn, w) for name, fn, w in HEADS[head]["data"]}
    rows = []
    for ex in examples:
        if ex.dataset in spec and ex.fold in folds:
            fn, w = spec[ex.dataset]
            y = fn(ex.label) if fn else ex.calm_background()
            if y is not None:
                rows.append((ex.feats, 1.0 if y else 0.0, w))
    return rows


def f1_scores(gold: list[bool], pred: list[bool]) -> tuple[float, float]:
    """(F1 of the positive class, macro F1 of both classes)."""
    tp = sum(g and p for g, p in zip(gold, pred, strict=True))
    fp = sum(p and not g for g, p in zip(gold, pred, strict=True))
    fn = sum(g and not p for g, p in zip(gold, pred, strict=True))
    tn = len(gold) - tp - fp - fn
    pos = 2 * tp / (2 * tp + fp + fn) if tp else 0.0
    neg = 2 * tn / (2 * tn + fp + fn) if tn else 0.0
    return pos, (pos + neg) / 2


GRID = [x / 8 for x in range(-40, 41)]  # thresholds tried, on the log-odds
COMMON = 400  # most frequent features of each background file: never evidence alone


def common_features(examples: list[Example]) -> list[str]:
    """The `COMMON` features found in most texts of each background file ("you", "le")."""
    common: set[str] = set()
    for name in BACKGROUND:
        df = Counter(f for ex in examples if ex.dataset == name for f in set(ex.feats)
                     if not f.startswith("_") and impersonal(f))
        common.update(sorted(df, key=lambda f: (-df[f], f))[:COMMON])  # ties: by name
    return sorted(common)


GATES = [0.0, 0.25, 0.5, 0.75, 1.0, 1.25, 1.5, 2.0]
CALM_FLAGGED = 0.02  # at most this share of calm background texts may be flagged
TIE = 0.005  # metric differences smaller than this are noise


def inbox_texts() -> list[tuple[str, str]]:
    """(language, text) of every customer message of the demo catalogue's clean scenarios
    (no moderation label), filled with each product: hand-written everyday inbox messages."""
    from workstation.demo import catalogue

    return [(lang, text) for text, lang in catalogue.everyday_messages()]


def inbox_readings() -> dict[str, list[list[str]]]:
    """Per toxicity head, the features of the inbox texts of its language that no rule
    flags and that carry no `moderation.CUES` (the texts its `_plain` threshold judges)."""
    out: dict[str, list[list[str]]] = {"toxic_en": [], "toxic_fr": []}
    for lang, text in inbox_texts():
        reading = moderation.read(text, lang)
        if not moderation.cued(reading.features) and not any(
                k in reading.hits for k in TOXIC_RULES):
            out[f"toxic_{'fr' if lang == 'fr' else 'en'}"].append(reading.features)
    return out


def plain_cut(scored: list[tuple[float, float]], cut: float, gate: float) -> float:
    """The lowest threshold on the grid, not below `cut`, above the margin of every inbox
    text (margin, strongest word) whose strongest word passes the gate: plain texts of the
    demo catalogue are never flagged by a model alone."""
    worst = max((m for m, strongest in scored if strongest >= gate), default=-math.inf)
    above = [t for t in GRID if t >= cut and t > worst]
    return above[0] if above else math.floor(worst * 8 + 1) / 8


def choose_thresholds(examples: list[Example], oof: dict[str, dict[int, float]],
                      top: dict[str, dict[int, float]],
                      inbox: dict[str, list[tuple[float, float]]]) -> tuple[dict, dict]:
    """Threshold and gate per head on out-of-fold figures, with the rules applied as `detect`.

    `spam` fires on a spam phrase, two weak cues, or the head when a spam cue is present;
    a toxic category on a rule hit (swear word, aimed insult, threat, hate phrase) or the
    language's toxicity head; `hate` on a hate phrase, or on the hate head when the text is
    also toxic. A head fires when its margin reaches the threshold AND one uncommon word
    weighs at least the gate. A toxicity head judges a text without `moderation.CUES` by its
    `_plain` threshold (`plain_cut` on the fold models' margins of `inbox`). Among the (threshold, gate) pairs that flag at most
    `CALM_FLAGGED` of the calm background texts of the head's languages (everyday tweets, the
    nearest thing to an inbox's ordinary messages), the one with the best target metric wins:
    the datasets are corpora collected for their label, where hostility is the norm; an
    inbox is not.

    Returns:
        (thresholds and gates, cross-validated metrics at those values).
    """
    by: dict[str, list[int]] = {}
    for i, ex in enumerate(examples):
        by.setdefault(ex.dataset, []).append(i)
    rule_toxic = [any(k in ex.hits for k in TOXIC_RULES) for ex in examples]
    calm = {name: [i for i in by[name] if examples[i].calm_background() is False]
            for name in BACKGROUND}
    cuts: dict[str, float] = {}
    metrics: dict[str, float] = {}

    def fires(head: str, i: int, t: float, g: float) -> bool:
        return oof[head][i] >= t and top[head][i] >= g

    def pick(key: str, sets: list, background: tuple[str, ...], predict) -> None:
        """Best (threshold, gate) of `key` for the worst margin over target of each
        (dataset, gold, target, metric index) in `sets`; `predict(i, t, g)` decides."""
        golds = [[bool(fn(examples[i].label)) for i in by[name]] for name, fn, _, _ in sets]
        quiet = [i for name in background for i in calm[name]]
        candidates = []
        for g in GATES:
            per_set = [[f1_scores(gold, [predict(i, t, g) for i in by[name]])[which] - target
                        for t in GRID]
                       for (name, _, target, which), gold in zip(sets, golds, strict=True)]
            joint = [min(values) for values in zip(*per_set, strict=True)]
            allowed = [sum(predict(i, t, g) for i in quiet) <= CALM_FLAGGED * len(quiet)
                       for t in GRID]
            smooth = [sum(joint[max(0, k - 2):k + 3]) / len(joint[max(0, k - 2):k + 3])
                      for k in range(len(GRID))]
            candidates += [(smooth[k], g, GRID[k], [v[k] + tg for v, (_, _, tg, _)
                                                    in zip(per_set, sets, strict=True)])
                           for k in range(len(GRID)) if allowed[k]]
        top_score = max(c[0] for c in candidates)
        print(f"  {key}: best per gate " + ", ".join(
            f"{g}: {max((c[0] for c in candidates if c[1] == g), default=float('nan')):+.3f}"
            for g in GATES))
        # at (nearly) equal quality, the gate that asks for the strongest evidence wins
        near = [c for c in candidates if c[0] >= top_score - TIE]
        _, cuts[f"{key}_gate"], cuts[key], values = max(near, key=lambda c: (c[1], c[0]))
        label = {"spam": "F1(spam)", "hate": "macroF1(hate)"}.get(key, "macroF1(toxic)")
        for (name, _, _, _), value in zip(sets, values, strict=True):
            metrics[f"{name} {label}"] = value

    pick("spam", [("youtube-spam", lambda lab: lab["spam"], 0.93, 0)], BACKGROUND,
         lambda i, t, g: "spam" in examples[i].hits or examples[i].weak_spam >= 2
         or (examples[i].cue and fires("spam", i, t, g)))
    pick("toxic_en", [("davidson-hate-offensive", lambda lab: lab["toxicity"] != "neither",
                       0.90, 1),
                      ("tweeteval-offensive", lambda lab: lab["offensive"], 0.72, 1)],
         ("tweeteval-sentiment",), lambda i, t, g: rule_toxic[i] or fires("toxic_en", i, t, g))
    pick("toxic_fr", [("fr-hostility", lambda lab: lab["toxic"], 0.65, 1)], ("fr-sentiment",),
         lambda i, t, g: rule_toxic[i] or fires("toxic_fr", i, t, g))
    for head, sets in (("toxic_en", (("davidson-hate-offensive",
                                      lambda lab: lab["toxicity"] != "neither"),
                                     ("tweeteval-offensive", lambda lab: lab["offensive"]))),
                       ("toxic_fr", (("fr-hostility", lambda lab: lab["toxic"]),))):
        plain = cuts[f"{head}_plain"] = plain_cut(inbox[head], cuts[head], cuts[f"{head}_gate"])
        for name, gold_of in sets:  # the figures with the stricter threshold on plain texts
            metrics[f"{name} macroF1(toxic)"] = f1_scores(
                [bool(gold_of(examples[i].label)) for i in by[name]],
                [rule_toxic[i] or fires(head, i, cuts[head] if examples[i].cued else plain,
                                        cuts[f"{head}_gate"]) for i in by[name]])[1]
    en = {True: cuts["toxic_en"], False: cuts["toxic_en_plain"]}
    pick("hate", [("tweeteval-hate", lambda lab: lab["hate"], 0.50, 1)], BACKGROUND,
         lambda i, t, g: "hate" in examples[i].hits or (fires("hate", i, t, g) and (
             rule_toxic[i] or fires("toxic_en", i, en[examples[i].cued], cuts["toxic_en_gate"]))))
    return cuts, {k: round(v, 4) for k, v in metrics.items()}


def main(argv: list[str] | None = None) -> int:
    """Fit, choose thresholds, refit and write the model file."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--eval-dir", type=Path, default=default_eval_dir())
    parser.add_argument("--out", type=Path,
                        default=linear.DATA_DIR / f"{moderation.MODEL_NAME}.json")
    args = parser.parse_args(argv)
    names = sorted({name for spec in HEADS.values() for name, _, _ in spec["data"]})
    examples, provenance = [], {}
    for name in names:
        events = load(args.eval_dir, name)
        raw = (args.eval_dir / f"{name}.jsonl").read_bytes()
        train = [e for e in events if bucket(e["text"]) != HELD_OUT]
        examples += [Example(name, e) for e in train]
        provenance[name] = {"file": f"{name}.jsonl", "sha256": hashlib.sha256(raw).hexdigest(),
                            "events": len(events), "trained_on": len(train)}
    print(f"read {len(examples)} training texts from {len(names)} files")
    folds = sorted({ex.fold for ex in examples})
    common = common_features(examples)
    # as `detect` does: everyday words and word beginnings never make a gate's evidence
    ignore = frozenset(common) | {f for ex in examples for f in ex.feats
                                  if moderation.not_evidence(f)}
    oof: dict[str, dict[int, float]] = {head: {} for head in HEADS}
    top: dict[str, dict[int, float]] = {head: {} for head in HEADS}
    plain = inbox_readings()
    inbox: dict[str, list[tuple[float, float]]] = {head: [] for head in plain}
    for k in folds:
        for head, spec in HEADS.items():
            bias, weights = fit(rows_for(head, examples, set(folds) - {k}), **spec["hp"])
            model = linear.LinearModel([head], [bias], {head: weights})
            for i, ex in enumerate(examples):
                if ex.fold == k:
                    oof[head][i] = model.margins(ex.feats)[0]
                    top[head][i] = model.strongest(ex.feats, head, ignore)
            inbox.get(head, []).extend((model.margin(f, head), model.strongest(f, head, ignore))
                                       for f in plain.get(head, ()))
        print(f"  fold {k} done")
    cuts, metrics = choose_thresholds(examples, oof, top, inbox)
    print("thresholds", cuts)
    for key, value in metrics.items():
        print(f"  cross-validated {key}: {value:.3f}")
    biases, tables = [], {}
    for head, spec in HEADS.items():
        bias, weights = fit(rows_for(head, examples, set(folds)), **spec["hp"])
        biases.append(round(bias, 4))
        tables[head] = {f: round(w, 4) for f, w in sorted(weights.items()) if abs(w) >= PRUNE}
        print(f"  {head}: {len(tables[head])} weights")
        if head in plain:  # the final model keeps the inbox clean too (raised, never lowered)
            final = linear.LinearModel([head], [bias], {head: tables[head]})
            cuts[f"{head}_plain"] = max(cuts[f"{head}_plain"], plain_cut(
                [(final.margin(f, head), final.strongest(f, head, ignore))
                 for f in plain[head]], cuts[head], cuts[f"{head}_gate"]))
    print("plain thresholds", {k: v for k, v in cuts.items() if k.endswith("_plain")})
    meta = {
        "what": "moderation heads for workstation.signals.moderation; thresholds are on the "
                "log-odds (a head fires when its margin reaches its threshold)",
        "thresholds": cuts,
        "common": common,
        "provenance": {
            "script": "benchmarks/fit_moderation.py", "date": dt.date.today().isoformat(),
            "seed": SEED, "datasets": provenance, "lexicon": f"{moderation.LEXICON_NAME}.json",
            "split": "sha256(text) % 5; bucket 0 held out for benchmarks/eval_moderation.py, "
                     "buckets 1-4 trained on",
            "method": "FTRL-Proximal logistic regression, one-vs-rest, 8 epochs, averaged over "
                      f"'bags' seeds; n-grams in at least {MIN_DF} texts; |weight| < {PRUNE} "
                      f"pruned; thresholds and gates flag at most {CALM_FLAGGED:.0%} of calm "
                      "background tweets; a toxicity head's '_plain' threshold (texts without a "
                      "swear word, insult or hostile word) flags none of the demo catalogue's "
                      "clean customer messages",
            "hyperparameters": {h: {**s["hp"], "sets": [n for n, _, _ in s["data"]]}
                                for h, s in HEADS.items()},
            "cross_validated_metrics": metrics,
        },
    }
    model = linear.LinearModel(list(HEADS), biases, tables, moderation.FEATURES, meta)
    args.out.write_text(json.dumps(model.to_dict(), ensure_ascii=False, separators=(",", ":"))
                        + "\n", encoding="utf-8")
    print(f"wrote {args.out} ({args.out.stat().st_size / 1e6:.2f} MB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
