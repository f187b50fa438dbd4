"""Fault injection: which API requests fail, and how.

SPEC is a comma-separated list of `kind=when` and `option=seconds`:

    rate=every:3,500=0.1,timeout=0.05,malformed=0.02,drop=0.02,reset=1,hold=5

kinds (checked in this order; the first that fires wins):
    rate       rate limit: Meta error codes 4/17/32/613 on 400/403, X 429 with x-rate-limit-reset
    500        server error with the platform's error body (Meta `is_transient`, X problem JSON)
    timeout    hold the answer longer than a client waits; a write is performed first, so its
               outcome is truly unknown to the client
    malformed  answer 200 with a truncated JSON body (a write is performed first)
    drop       close the connection without an answer (a write is performed first)
when:
    every:N    every Nth API request (counted over all API requests)
    P          with probability P (0 to 1), drawn from the sandbox's seeded generator
options:
    reset=S    how long a rate limit lasts, in seconds (default 1)
    hold=S     how long a timeout holds the answer, in seconds (default 15: longer than the
               connectors' default 10 s timeout)

The inspection endpoints (`/_sandbox/...`) are never faulted.
"""

from __future__ import annotations

import random
import threading
from dataclasses import dataclass, field

KINDS = ("rate", "500", "timeout", "malformed", "drop")
OPTIONS = ("reset", "hold")


class FaultSpecError(ValueError):
    """A fault SPEC that cannot be read; the message names the bad part."""


@dataclass(frozen=True)
class Trigger:
    every: int = 0
    probability: float = 0.0


@dataclass(frozen=True)
class FaultSpec:
    triggers: dict[str, Trigger] = field(default_factory=dict)
    reset: float = 1.0
    hold: float = 15.0
    text: str = ""

    @classmethod
    def parse(cls, text: str) -> FaultSpec:
        """Read a SPEC (see the module docstring); an empty text means no faults.

        Raises:
            FaultSpecError: an unknown kind, a bad `every:N` or a probability outside [0, 1].
        """
        triggers: dict[str, Trigger] = {}
        options = {"reset": 1.0, "hold": 15.0}
        for part in filter(None, (p.strip() for p in text.split(","))):
            name, sep, value = part.partition("=")
            name, value = name.strip(), value.strip()
            if not sep or not value:
                raise FaultSpecError(f"{part!r}: expected kind=when, e.g. 500=0.1 or rate=every:3")
            if name in OPTIONS:
                options[name] = _number(part, value, low=0.0, high=3600.0)
            elif name in KINDS:
                if value.startswith("every:"):
                    every = _number(part, value[6:], low=1, high=1_000_000)
                    if every != int(every):
                        raise FaultSpecError(f"{part!r}: every:N needs a whole number")
                    triggers[name] = Trigger(every=int(every))
                else:
                    triggers[name] = Trigger(probability=_number(part, value, low=0.0, high=1.0))
            else:
                known = ", ".join(KINDS + OPTIONS)
                raise FaultSpecError(f"{part!r}: unknown fault {name!r} (known: {known})")
        return cls(triggers, options["reset"], options["hold"], text.strip())


def _number(part: str, value: str, *, low: float, high: float) -> float:
    try:
        number = float(value)
    except ValueError:
        raise FaultSpecError(f"{part!r}: {value!r} is not a number") from None
    if not low <= number <= high:
        raise FaultSpecError(f"{part!r}: {value} is outside {low:.12g}..{high:.12g}")
    return number


class Faults:
    """Decides, request by request, which fault (if any) to inject. Thread-safe."""

    def __init__(self, spec: FaultSpec, seed: int | None = None) -> None:
        self.spec = spec
        self._rng = random.Random(seed)
        self._lock = threading.Lock()
        self._count = 0

    def replace(self, spec: FaultSpec) -> None:
        with self._lock:
            self.spec = spec
            self._count = 0

    def draw(self) -> str | None:
        """The fault for the next API request, or None."""
        with self._lock:
            self._count += 1
            for kind in KINDS:
                trigger = self.spec.triggers.get(kind)
                if trigger is None:
                    continue
                if trigger.every and self._count % trigger.every == 0:
                    return kind
                if trigger.probability and self._rng.random() < trigger.probability:
                    return kind
            return None
