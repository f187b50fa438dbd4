"""What ingest's worker processes read in a run of lines, and its compact form for the trip back.

A worker parses each line, reads its text (`Pipeline.signals`), decides it as the first
message of a new thread (`Pipeline.decide_alone`) and reads what the leads work looks for in
its words (`leads.reading.Reader`): everything that needs no store. The main process then only
writes.

Results cross from the workers as flat tuples of strings, numbers and times (`pack`), rebuilt
into objects on arrival (`unpack`): pickling the frozen dataclasses themselves cost more than
reading the text did (their state goes through Python code on both sides), and a message's
signals only travel when a rule on the thread may have the main process decide it again.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager
from datetime import datetime
from typing import Any, NamedTuple

from workstation.clock import Clock
from workstation.events import Author, Event, PostRef, Rejected, parse_line
from workstation.leads import config as flows
from workstation.leads.reading import Reader, Reading
from workstation.parallel import OrderedMap, runs
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
    leads: Reading | None
    """What the leads work found in the words, None for nothing."""


Chunk = tuple[list[Read], list[Rejected]]
AHEAD_LINES = 20_000
"""Lines handed to the workers before the first run is asked for (at least three runs):
about what two workers read while the main process imports and opens the store, and a
bound on what is in flight, so memory does not grow with the batch size."""
_reader: Reader | None = None


class Chunks(AbstractContextManager["Chunks"], Iterator[Chunk]):
    """The chunks of an input, read on `workers` processes from the moment this is made."""

    def __init__(self, pipeline: Pipeline, lines: Iterator[bytes], size: int, workers: int,
                 clock: Clock) -> None:
        tasks = ((first, run, clock()) for first, run in runs(lines, size))
        self._packed = workers > 1
        self._map: OrderedMap[Any] = OrderedMap(
            read_packed if self._packed else read_chunk, pipeline, tasks, workers,
            max(3, AHEAD_LINES // size) if self._packed else None)

    def __next__(self) -> Chunk:
        found = next(self._map)
        if not self._packed:
            return found  # type: ignore[no-any-return]
        packed, rejects = found
        return [unpack(p) for p in packed], rejects

    def close(self) -> None:
        """Stop the workers."""
        self._map.close()

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_chunk(pipeline: Pipeline, first_line: int, lines: list[bytes], now: datetime) -> Chunk:
    """Parse and read a run of lines (in a worker, or in-process)."""
    global _reader
    book = flows.current()
    if _reader is None or _reader.book is not book:
        _reader = Reader(book)  # remembers what it read while flows.toml stays the same
    reader = _reader
    reads: list[Read] = []
    rejects: list[Rejected] = []
    events: list[Event] = []
    for line_no, raw in enumerate(lines, start=first_line):
        parsed = parse_line(raw, line_no, now)
        if parsed is None:
            continue
        if isinstance(parsed, Rejected):
            rejects.append(parsed)
            continue
        events.append(parsed)
    # the run's signals at once: read stage by stage, they cost a third less
    for parsed, signals in zip(events, pipeline.signals_many(events), strict=True):
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


def read_lines(stream: Any, size: int | None = None,
               progress: Callable[[int, int | None], None] | None = None) -> Iterator[bytes]:
    """Yield the lines of a binary stream, reporting bytes read to `progress`."""
    done = 0
    for line in stream:
        done += len(line)
        if progress is not None:
            progress(done, size)
        yield line
