"""Reading text on every core: an ordered map over runs of lines, a few runs ahead.

Triage of a message is pure and costs far more than parsing it, so large inputs are cut into
runs of lines handed to worker processes; results come back in input order, and at most a
few runs are in flight, so memory does not grow with the input. Workers get the pipeline
(with its loaded rules) by fork where the platform has it.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
from collections import deque
from collections.abc import Callable, Iterator
from itertools import islice
from typing import Any, Generic, TypeVar

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


class OrderedMap(Generic[T]):
    """`func(pipeline, *task)` for every task, in order, on `workers` processes (in this one
    for a single worker), started at once.

    The first `ahead` tasks go to the workers when the map is made, before anything is asked
    of it: they read while the caller gets ready (ingest imports and opens the store
    meanwhile). Then one task is handed out for each result taken. `func` must be a
    module-level function (it is pickled by name). Close it (or use it in a `with`) if you
    stop before the end: that stops the workers.
    """

    def __init__(self, func: Callable[..., T], pipeline: Pipeline,
                 tasks: Iterator[tuple[Any, ...]], workers: int, ahead: int | None = None
                 ) -> None:
        self._func = func
        self._pipeline = pipeline
        self._tasks = tasks
        self._pool: Any = None
        self._pending: deque[Any] = deque()
        self._ahead = ahead or workers * 2 + 1
        self._done = False
        if workers > 1:
            method = "fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn"
            # With fork, workers inherit the loaded rules; with spawn, they load them again.
            handed = pipeline if method == "fork" else None
            thawed = gc.get_freeze_count() == 0  # the app freezes its heap after start-up
            if handed is not None:
                # Tables built before the fork are shared by the workers, not built by each;
                # frozen, the collector leaves them alone, so their pages are not copied
                # either (a collection writes to every object it visits).
                pipeline.warm()
                gc.freeze()
            try:
                self._pool = multiprocessing.get_context(method).Pool(workers, _init, (handed,))
            finally:
                if handed is not None and thawed:
                    gc.unfreeze()  # this process collects as before; its workers stay frozen
            self._fill()

    def __iter__(self) -> OrderedMap[T]:
        return self

    def __next__(self) -> T:
        if self._done:
            raise StopIteration
        if self._pool is None:
            task = next(self._tasks, None)
            if task is None:
                self._done = True
                raise StopIteration
            return self._func(self._pipeline, *task)
        try:
            self._fill()
            result = self._pending.popleft() if self._pending else None
            value: T = result.get() if result is not None else None  # type: ignore[assignment]
        except BaseException:
            self.close()
            raise
        if result is None:
            self._pool.close()
            self._pool.join()
            self._pool = None
            self._done = True
            raise StopIteration
        return value

    def _fill(self) -> None:
        while len(self._pending) < self._ahead:
            task = next(self._tasks, None)
            if task is None:
                return
            self._pending.append(self._pool.apply_async(_call, (self._func, task)))

    def close(self) -> None:
        """Stop the workers (what they were reading is dropped)."""
        self._done = True
        if self._pool is not None:
            self._pool.terminate()
            self._pool.join()
            self._pool = None

    def __enter__(self) -> OrderedMap[T]:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def __del__(self) -> None:
        self.close()


def ordered_map(
    func: Callable[..., T],
    pipeline: Pipeline,
    tasks: Iterator[tuple[Any, ...]],
    workers: int,
    ahead: int | None = None,
) -> OrderedMap[T]:
    """`func(pipeline, *task)` for every task, in order, on `workers` processes (see
    `OrderedMap`: the workers start at once)."""
    return OrderedMap(func, pipeline, tasks, workers, ahead)
