"""What ingest's worker processes read in a run of lines, and its compact form for the trip back.

A worker parses each line, reads its text (`Pipeline.signals`), decides it as the first
message of a new thread (`Pipeline.decide_alone`) and reads what the leads work looks for in
its words (`leads.hook.Reader`): everything that needs no store. The main process then only
writes.

Results cross from the workers as flat tuples of strings, numbers and times (`pack`), rebuilt
into objects on arrival (`unpack`): pickling the frozen dataclasses themselves cost more than
reading the text did (their state goes through Python code on both sides), and a message's
signals only travel when a rule on the thread may have the main process decide it again.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, NamedTuple

from workstation.events import Author, Event, PostRef, Rejected, parse_line
from workstation.pipeline import Pipeline, Signals, Verdict
from workstation.priority import Priority

_PRIORITIES = {int(p): p for p in Priority}


class Read(NamedTuple):
    """An event as the worker processes read it, before the store."""

    event: Event
    verdict: Verdict
    """The policy's verdict for the first message of a new thread."""
    alone: bool
    """Whether `verdict` holds in any thread (no rule on the thread's state was tested)."""
    signals: Signals | None
    """What the text says; kept only when `alone` is False (the main process decides again)."""
    angry: bool
    confused: bool
    leads: Any
    """What the leads work found in the words (`leads.hook.Reading`), None for nothing."""


Chunk = tuple[list[Read], list[Rejected]]
_readers: dict[int, Any] = {}


def read_chunk(pipeline: Pipeline, first_line: int, lines: list[bytes], now: datetime) -> Chunk:
    """Parse and read a run of lines (in a worker, or in-process)."""
    from workstation.leads import config as flows
    from workstation.leads.hook import Reader

    book = flows.current()
    reader = _readers.get(id(book))
    if reader is None or reader.book is not book:
        _readers.clear()
        reader = _readers[id(book)] = Reader(book)
    reads: list[Read] = []
    rejects: list[Rejected] = []
    for line_no, raw in enumerate(lines, start=first_line):
        parsed = parse_line(raw, line_no, now)
        if parsed is None:
            continue
        if isinstance(parsed, Rejected):
            rejects.append(parsed)
            continue
        signals = pipeline.signals(parsed)
        verdict, alone = pipeline.decide_alone(parsed, signals)
        inbound = parsed.direction == "in"
        reads.append(Read(parsed, verdict, alone, None if alone else signals, signals.angry,
                          signals.confused, reader(parsed) if inbound else None))
    return reads, rejects


def read_packed(pipeline: Pipeline, first_line: int, lines: list[bytes], now: datetime
                ) -> tuple[list[tuple[Any, ...]], list[Rejected]]:
    """`read_chunk` in the compact form a worker sends back (see `unpack`)."""
    reads, rejects = read_chunk(pipeline, first_line, lines, now)
    return [pack(r) for r in reads], rejects


def pack(read: Read) -> tuple[Any, ...]:
    """A `Read` as a tuple of plain values."""
    e, v = read.event, read.verdict
    a, post = e.author, e.post
    return (
        e.platform, e.kind, e.id, a.id, a.handle, a.name, a.followers, a.verified, e.text,
        e.created_at, e.thread, e.parent, e.direction,
        (post.id, post.url, post.caption, post.campaign) if post is not None else None,
        e.lang, e.extra or None,
        v.id, v.lang, v.sentiment, v.intents, v.moderation, v.categories, int(v.priority),
        v.sla_policy, v.first_response_due, v.role, v.escalate, v.reason, v.rules, v.actions,
        v.tags,
        read.alone, read.signals, read.angry, read.confused, read.leads,
    )


def unpack(packed: tuple[Any, ...]) -> Read:
    """The `Read` that `pack` flattened."""
    (platform, kind, ident, author, handle, name, followers, verified, text, created_at,
     thread, parent, direction, post, lang, extra,
     v_id, v_lang, sentiment, intents, moderation, categories, priority, sla_policy, due, role,
     escalate, reason, rules, actions, tags,
     alone, signals, angry, confused, leads) = packed
    event = Event(platform, kind, ident, Author(author, handle, name, followers, verified),
                  text, created_at, thread, parent, direction,
                  PostRef(*post) if post is not None else None, lang,
                  extra if extra is not None else {})
    verdict = Verdict(v_id, v_lang, sentiment, intents, moderation, categories,
                      _PRIORITIES[priority], sla_policy, due, role, escalate, reason, rules,
                      actions, tags)
    return Read(event, verdict, alone, signals, angry, confused, leads)
