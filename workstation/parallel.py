"""Reading text on every core: an ordered map over runs of lines, a few runs ahead.

Triage of a message is pure and costs far more than parsing it, so large inputs are cut into
runs of lines handed to worker processes; results come back in input order, and at most a
few runs are in flight, so memory does not grow with the input. Workers get the pipeline
(with its loaded rules) by fork where the platform has it.
"""

from __future__ import annotations

import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, TypeVar

from workstation.pipeline import Pipeline

T = TypeVar("T")
PARALLEL_FROM_BYTES = 2_000_000
"""Inputs smaller than this are read in-process: a worker pool costs more than it saves."""

_pipeline: Pipeline | None = None


def default_workers(size: int | None) -> int:
    """Worker processes for an input of `size` bytes (None: a stream of unknown length)."""
    if size is not None and size < PARALLEL_FROM_BYTES:
        return 1
    return min(2, os.cpu_count() or 1)


def runs(lines: Iterator[bytes], size: int) -> Iterator[tuple[int, list[bytes]]]:
    """Consecutive runs of `size` lines, each with the number of its first line."""
    first = 1
    while True:
        run = list(islice(lines, size))
        if not run:
            return
        yield first, run
        first += len(run)


def _init(pipeline: Pipeline | None) -> None:
    global _pipeline
    _pipeline = pipeline or Pipeline()


def _call(func: Callable[..., T], args: tuple[Any, ...]) -> T:
    assert _pipeline is not None
    return func(_pipeline, *args)


def ordered_map(
    func: Callable[..., T],
    pipeline: Pipeline,
    tasks: Iterator[tuple[Any, ...]],
    workers: int,
) -> Iterator[T]:
    """`func(pipeline, *task)` for every task, in order, on `workers` processes.

    `func` must be a module-level function (it is pickled by name).
    """
    if workers <= 1:
        for task in tasks:
            yield func(pipeline, *task)
        return
    method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
    # With fork, workers inherit the loaded rules; with spawn, they load them again.
    handed = pipeline if method == "fork" else None
    with multiprocessing.get_context(method).Pool(workers, _init, (handed,)) as pool:
        pending: deque[Any] = deque()
        for task in tasks:
            pending.append(pool.apply_async(_call, (func, task)))
            if len(pending) > workers * 2:
                yield pending.popleft().get()
        while pending:
            yield pending.popleft().get()
