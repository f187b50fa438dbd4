"""The fast paths of triage give what the plain paths give: verdicts of a fixed sample against
a golden file, rule gates against testing every rule, the hand-written verdict JSON against
`json.dumps`, the one-pass event parser against the field-by-field one, the per-character
accent folding against NFKD, and the pipeline's memory of texts it has read."""

from __future__ import annotations

import copy
import json
import random
import unicodedata
from dataclasses import replace
from datetime import UTC, datetime
from pathlib import Path

import pytest

from workstation.events import Event, Rejected, _validate, parse_line
from workstation.pipeline import Pipeline, Verdict, verdict_line
from workstation.priority import Priority
from workstation.rules import load_rules
from workstation.rules.evaluate import Context, Decision, _apply, holds, route, decide
from workstation.rules.evaluate import moderation_verdict
from workstation.signals import lexicon

DATA = Path(__file__).parent / "data"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline(load_rules())


def golden_events() -> list[Event]:
    lines = (DATA / "golden_events.jsonl").read_bytes().splitlines()
    events = [parse_line(raw, n, NOW) for n, raw in enumerate(lines, start=1)]
    assert all(isinstance(e, Event) for e in events)
    return events  # type: ignore[return-value]


def test_verdicts_match_the_golden_file(pipeline: Pipeline) -> None:
    """506 messages of the demo catalogue in both languages, with hints, VIPs, DMs, replies:
    the verdicts the engine gave before its fast paths (regenerate the file only for an
    intended change of verdicts, and say which)."""
    expected = (DATA / "golden_verdicts.jsonl").read_text(encoding="utf-8").splitlines()
    got = [verdict_line(pipeline.run(e)).rstrip("\n") for e in golden_events()]
    assert len(got) == len(expected)
    differ = [(g, e) for g, e in zip(got, expected, strict=True) if g != e]
    assert not differ, f"{len(differ)} verdicts changed, first: {differ[0]}"


def decide_every_rule(rules, ctx: Context) -> Decision:
    """`decide` as it was: every rule's conditions tested in order."""
    decision = route(rules, ctx.intents, ctx.categories)
    decision.moderation = moderation_verdict(rules, ctx.categories, ctx.event.kind)
    for index, rule in enumerate(rules.rules):
        if holds(rule.when, ctx, rules, index):
            decision.fired.append(rule.name)
            for action in rule.actions:
                _apply(decision, action)
            if rule.stop:
                break
    return decision


def test_rule_gates_fire_what_testing_every_rule_fires(pipeline: Pipeline) -> None:
    rules = pipeline.rules
    rng = random.Random(7)
    intents, categories = list(rules.intents), list(rules.moderation.verdicts)
    checked = 0
    for event in golden_events():
        if event.direction == "out":
            continue
        signals = pipeline.signals(event)
        base = Context(event, signals.lang, signals.sentiment, signals.intents,
                       signals.categories, pipeline.is_vip(event.author), signals.angry,
                       signals.confused, signals.words)
        variants = [base]
        for _ in range(3):  # random signals reach rules the catalogue's texts do not
            variants.append(replace(
                base, intents=tuple(rng.sample(intents, rng.randrange(3))),
                categories=tuple(rng.sample(categories, rng.randrange(2))),
                vip=rng.random() < 0.3, angry=rng.random() < 0.3, confused=rng.random() < 0.2,
                sentiment=rng.uniform(-1, 1),
                words=frozenset(rng.sample(range(len(rules.rules)), 2))))
        for ctx in variants:
            assert decide(rules, ctx) == decide_every_rule(rules, ctx)
            checked += 1
    assert checked > 1000


def test_verdict_line_is_json_dumps_of_the_contract_shape(pipeline: Pipeline) -> None:
    verdicts = [pipeline.run(e) for e in golden_events()[:120]]
    verdicts.append(Verdict(id='q"\\\u2028\x00é😀', lang="fr", sentiment=-0.0,
                            reason="line\nbreak", priority=Priority.URGENT, escalate=True,
                            actions=({"do": "tag", "value": ["a", 1, None, True]},)))
    for verdict in verdicts:
        assert verdict_line(verdict) == json.dumps(verdict.to_json(), ensure_ascii=False) + "\n"


def variants_of(event: dict) -> list[bytes]:
    """An event line with each field missing or of an odd value, one at a time."""
    odd = [None, "", " ", 5, True, -1, [], {}, "x" * 300, "Insta", "in", "out", "dm", "bad",
           "2026-11-02T10:00:00", "fr-CA", "\u0000"]
    out = []
    for key in ("platform", "kind", "id", "text", "created_at", "thread", "parent",
                "direction", "lang", "author", "post"):
        for value in odd:
            changed = copy.deepcopy(event)
            changed[key] = value
            out.append(json.dumps(changed).encode())
        changed = copy.deepcopy(event)
        changed.pop(key, None)
        out.append(json.dumps(changed).encode())
    for part, keys in (("author", ("id", "handle", "name", "followers", "verified")),
                       ("post", ("id", "url", "caption", "campaign"))):
        for key in keys:
            for value in odd:
                changed = copy.deepcopy(event)
                changed[part] = {**(changed.get(part) or {"id": "p1"}), key: value}
                out.append(json.dumps(changed).encode())
    late = {**event, "created_at": "not a time", "thread": 5, "likes": 3}
    return [*out, json.dumps(late).encode()]


def test_the_one_pass_parser_reads_every_line_as_the_field_by_field_one() -> None:
    lines = (DATA / "golden_events.jsonl").read_bytes().splitlines()
    lines += variants_of(json.loads(lines[1]))
    for raw in lines:
        fast = parse_line(raw, 9, NOW)
        try:
            slow: Event | str = _validate(json.loads(raw), NOW)
        except Exception as exc:  # noqa: BLE001 - the reason is what is compared
            slow = str(exc)
        assert (fast.reason if isinstance(fast, Rejected) else fast) == slow


def test_folding_character_by_character_is_nfkd_without_marks() -> None:
    text = "Remboursé Œuvre ﬁn ½ ＡＢＣ 𝐞𝐧𝐞𝐫𝐯𝐞 Ǽ İ ẞ ç\u0301 e\u0301\u0327 한국어 l’été `x' ø"
    folded = text.lower().translate(lexicon._FOLD)
    decomposed = unicodedata.normalize("NFKD", folded)
    assert lexicon.fold(text) == "".join(c for c in decomposed if not unicodedata.combining(c))


def test_signals_of_a_text_read_before_are_remembered_per_hint_and_rules(
        pipeline: Pipeline) -> None:
    event = golden_events()[3]
    fresh = Pipeline(pipeline.rules)
    first = fresh.signals(event)
    assert fresh.signals(replace(event, id="other")) is first
    assert fresh.signals(replace(event, lang="de")) is not first  # another hint
    assert fresh.signals(replace(event, direction="out")).intents == ()
    fresh.rules = load_rules()  # new rules: read again
    again = fresh.signals(event)
    assert again is not first and again == first
    long = replace(event, text="prix ? " * 100)
    assert fresh.signals(long) is not fresh.signals(long)  # long texts are not remembered


def test_signals_read_stage_by_stage_are_those_read_one_by_one(pipeline: Pipeline) -> None:
    """`signals_many` runs each signal over the whole run before the next: every event of the
    golden sample (both languages, hints, replies), with repeats and an outbound copy of an
    inbound text, gets the signals reading it alone gives, and repeats share one reading."""
    events = golden_events()
    events += [replace(events[5], id="again"), replace(events[5], direction="out"),
               replace(events[7], text="prix ? " * 100), replace(events[7], text="")]
    alone = [Pipeline(pipeline.rules).signals(e) for e in events]
    fresh = Pipeline(pipeline.rules)
    together = fresh.signals_many(events)
    assert together == alone
    assert together[-4] is together[5]  # read once
    assert together[-3].intents == () and together[-3].lang == alone[5].lang
    assert fresh.signals_many([]) == []


def test_the_signals_of_a_run_are_remembered_like_those_of_one_event(
        pipeline: Pipeline) -> None:
    events = golden_events()[:20]
    fresh = Pipeline(pipeline.rules)
    first = fresh.signals_many(events)
    assert all(a is b for a, b in zip(fresh.signals_many(events), first, strict=True))
    assert fresh.signals(events[3]) is first[3]
    fresh.rules = load_rules()  # new rules: read again
    assert fresh.signals_many(events[3:4])[0] is not first[3]


def test_warming_a_pipeline_remembers_nothing_and_changes_no_verdict(
        pipeline: Pipeline) -> None:
    fresh = Pipeline(pipeline.rules)
    fresh.warm()
    assert fresh._seen == {}
    events = golden_events()[:60]
    assert [verdict_line(fresh.run(e)) for e in events] == [
        verdict_line(Pipeline(pipeline.rules).run(e)) for e in events]
