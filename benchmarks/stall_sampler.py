"""What the event loop's thread is doing while it stalls: a sampling watchdog for benchmarks.

The loop ticks a heartbeat every few milliseconds (`beat`, from a coroutine); a daemon thread
looks at it every 2 ms and, while it is late by more than `threshold` ms, records the loop
thread's Python stack (`sys._current_frames`). When the loop beats again, a stall longer than
`report` ms is written to the log with its length, the loop thread's CPU time meanwhile (CPU
well under the wall time means it waited for a core or the GIL, not that it worked) and the
stacks seen, most frequent first. Used by `benchmarks/tui.py --stall-log FILE`.
"""

from __future__ import annotations

import sys
import threading
import time
import traceback
from collections import Counter
from pathlib import Path
from typing import TextIO


class StallSampler:
    """Samples one thread's stack while its heartbeat is late; logs stalls to a file."""

    def __init__(self, log: Path, *, threshold: float = 20.0, report: float = 50.0) -> None:
        self._log: TextIO = log.open("w")
        self._threshold = threshold / 1000
        self._report = report / 1000
        self._thread_id = threading.get_ident()
        self._clock = time.pthread_getcpuclockid(self._thread_id)
        self._beat = time.perf_counter()
        self._cpu = time.clock_gettime(self._clock)
        self.phase = "start-up"
        """What the benchmark is doing now (written beside each stall)."""
        self._stop = threading.Event()
        self._sampler = threading.Thread(target=self._run, daemon=True, name="stall-sampler")
        self._sampler.start()

    def beat(self) -> None:
        """Called from the watched thread whenever it is free to run (its loop came round)."""
        self._beat = time.perf_counter()
        self._cpu = time.clock_gettime(self._clock)

    def stop(self) -> None:
        self._stop.set()
        self._sampler.join(1)
        self._log.close()

    def _run(self) -> None:
        samples: Counter[str] = Counter()
        others: Counter[str] = Counter()
        since = None
        cpu_since = 0.0
        threads_since: dict[int, float] = {}
        while not self._stop.wait(0.002):
            late = time.perf_counter() - self._beat
            if late > self._threshold:
                if since is None:
                    since, cpu_since = self._beat, self._cpu
                    threads_since = _thread_cpu()
                frames = sys._current_frames()
                frame = frames.get(self._thread_id)
                if frame is not None:
                    samples[_stack(frame)] += 1
                for ident, other in frames.items():
                    if ident not in (self._thread_id, threading.get_ident()):
                        others[_stack(other, 3)] += 1
            elif since is not None:
                wall = self._beat - since
                cpu = self._cpu - cpu_since
                if wall > self._report:
                    now = _thread_cpu()
                    workers = sum(now.get(i, c) - c for i, c in threads_since.items()
                                  if i not in (self._thread_id, threading.get_ident()))
                    self._write(wall, cpu, workers, samples, others)
                samples.clear()
                others.clear()
                since = None

    def _write(self, wall: float, cpu: float, workers: float, samples: Counter[str],
               others: Counter[str]) -> None:
        total = sum(samples.values())
        self._log.write(f"=== stall {wall * 1000:.0f} ms wall, loop thread CPU "
                        f"{cpu * 1000:.0f} ms, other threads {workers * 1000:.0f} ms, "
                        f"during {self.phase!r}, {total} samples\n")
        for stack, n in samples.most_common(6):
            self._log.write(f"--- {n}/{total}\n{stack}\n")
        busy = [(n, s) for s, n in others.most_common() if "wait" not in s
                and "_worker" not in s.rsplit("\n", 1)[-1]][:4]
        for n, stack in busy:
            self._log.write(f"+++ other thread, {n} samples\n{stack}\n")
        self._log.flush()


def _thread_cpu() -> dict[int, float]:
    """CPU seconds used so far by each live Python thread."""
    spent = {}
    for thread in threading.enumerate():
        if thread.ident is None:
            continue
        try:
            spent[thread.ident] = time.clock_gettime(time.pthread_getcpuclockid(thread.ident))
        except OSError:
            pass
    return spent


def _stack(frame: object, depth: int = 14) -> str:
    lines = traceback.format_list(traceback.extract_stack(frame)[-depth:])  # type: ignore[arg-type]
    return "".join(line.split("\n")[0] + "\n" for line in lines).rstrip()
