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
        since = None
        cpu_since = 0.0
        while not self._stop.wait(0.002):
            late = time.perf_counter() - self._beat
            if late > self._threshold:
                if since is None:
                    since, cpu_since = self._beat, self._cpu
                frame = sys._current_frames().get(self._thread_id)
                if frame is not None:
                    samples[_stack(frame)] += 1
            elif since is not None:
                wall = self._beat - since
                cpu = self._cpu - cpu_since
                if wall > self._report:
                    self._write(wall, cpu, samples)
                samples.clear()
                since = None

    def _write(self, wall: float, cpu: float, samples: Counter[str]) -> None:
        total = sum(samples.values())
        self._log.write(f"=== stall {wall * 1000:.0f} ms wall, loop thread CPU "
                        f"{cpu * 1000:.0f} ms, during {self.phase!r}, {total} samples\n")
        for stack, n in samples.most_common(6):
            self._log.write(f"--- {n}/{total}\n{stack}\n")
        self._log.flush()


def _stack(frame: object) -> str:
    lines = traceback.format_list(traceback.extract_stack(frame)[-14:])  # type: ignore[arg-type]
    return "".join(line.split("\n")[0] + "\n" for line in lines).rstrip()
