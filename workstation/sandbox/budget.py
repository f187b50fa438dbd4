"""Call budgets and the rate-limit headers that report them, the way each platform does.

Meta reports usage as percentages of a rolling budget (`X-App-Usage`,
`X-Business-Use-Case-Usage`); X reports, per endpoint, `x-rate-limit-limit`, `-remaining` and
`-reset` (epoch seconds) for a fixed window. The budgets are generous by default so that only
the fault SPEC decides when a client is throttled, unless a test asks for a small one.
"""

from __future__ import annotations

import json
import math
import threading
import time
from dataclasses import dataclass

from .world import PAGE_ID as BUSINESS_ID


@dataclass
class Window:
    start: float
    used: int = 0


class Budgets:
    def __init__(self, limit: int = 100_000, window: float = 900.0) -> None:
        self.limit = limit
        self.window = window
        self._windows: dict[str, Window] = {}
        self._lock = threading.Lock()

    def spend(self, key: str) -> tuple[int, float]:
        """Count one call on `key`; (calls left, seconds until the window resets)."""
        now = time.time()
        with self._lock:
            current = self._windows.get(key)
            if current is None or now - current.start >= self.window:
                current = self._windows[key] = Window(now)
            current.used += 1
            return self.limit - current.used, current.start + self.window - now


def meta_headers(left: int, limit: int, reset: float, product: str,
                 regain_seconds: float = 0.0) -> dict[str, str]:
    used = max(0, min(100, math.ceil(100 * (limit - max(left, 0)) / limit)))
    minutes = math.ceil(regain_seconds / 60) if regain_seconds >= 60 else 0
    app = {"call_count": used, "total_cputime": used // 2, "total_time": used // 2}
    buc = {BUSINESS_ID: [{"type": product, "call_count": used, "total_cputime": used // 2,
                          "total_time": used // 2, "estimated_time_to_regain_access": minutes}]}
    return {"X-App-Usage": json.dumps(app), "X-Business-Use-Case-Usage": json.dumps(buc)}


def x_headers(left: int, limit: int, reset: float) -> dict[str, str]:
    return {"x-rate-limit-limit": str(limit), "x-rate-limit-remaining": str(max(left, 0)),
            "x-rate-limit-reset": str(int(time.time() + reset) + 1)}
