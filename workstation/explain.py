"""Why triage decided what it did about a message, in lines a person can read."""

from __future__ import annotations

from workstation.clock import iso
from workstation.events import Event
from workstation.pipeline import Pipeline
from workstation.rules.evaluate import route
from workstation.signals import sentiment


def explain(pipeline: Pipeline, event: Event) -> list[tuple[str, str]]:
    """(label, text) lines: each signal with its evidence, the matrix, each rule that fired."""
    signals = pipeline.signals(event)
    verdict = pipeline.decide(event, signals)
    rules = pipeline.rules
    hinted = " (hint)" if event.lang and event.lang == signals.lang else " (detected)"
    lines = [
        ("language", signals.lang + hinted),
        ("sentiment", f"{signals.sentiment:+.2f} {sentiment.label(signals.sentiment)}"),
    ]
    for name in signals.intents or ("-",):
        words = ", ".join(f'"{w}"' for w in signals.evidence.get(name, ()))
        lines.append(("intent", f"{name} <- {words}" if words else name))
    for category in signals.categories:
        words = ", ".join(f'"{w}"' for w in signals.evidence.get(category, ()))
        lines.append(("moderation", f"{category} <- {words}" if words else category))
    if not signals.categories:
        lines.append(("moderation", "no category"))
    cues = [name for name, on in (("angry", signals.angry), ("confused", signals.confused)) if on]
    if pipeline.is_vip(event.author):
        cues.append("VIP author")
    if cues:
        lines.append(("cues", ", ".join(cues)))
    matrix = route(rules, signals.intents, signals.categories)
    lines.append(("matrix", f"{matrix.role}, {matrix.priority.name.lower()}, SLA {matrix.sla}"
                  + (f", escalate: {matrix.reason}" if matrix.escalate else "")))
    actions = iter(verdict.actions)
    by_rule = {rule.name: rule for rule in rules.rules}
    for name in verdict.rules:
        done = [next(actions) for _ in by_rule[name].actions]
        summary = ", ".join(f"{a['do']} {_value(a['value'])}".strip() for a in done)
        lines.append(("rule", f"{name}: {summary}" + (" (stop)" if by_rule[name].stop else "")))
    if not verdict.rules:
        lines.append(("rule", "none fired"))
    lines.append(("verdict", (
        f"{verdict.role}, {verdict.priority.name.lower()}, moderation {verdict.moderation}, "
        f"SLA {verdict.sla_policy} (first reply due {iso(verdict.first_response_due)})"
        + (f", escalated: {verdict.reason}" if verdict.escalate else "")
    )))
    if verdict.tags:
        lines.append(("tags", ", ".join(verdict.tags)))
    return lines


def _value(value: object) -> str:
    if value is True:
        return ""
    if isinstance(value, int) and not isinstance(value, bool):
        hours = value / 3600
        return f"in {hours:g}h"
    return str(value)

