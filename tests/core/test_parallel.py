"""The ordered map over worker processes: results in input order, the same as in-process, and
the parent's collector left as it was after the workers were forked from a warmed pipeline."""

from __future__ import annotations

import gc
from datetime import UTC, datetime
from pathlib import Path

from workstation.commands.triage import triage_run
from workstation.events import Rejected
from workstation.parallel import ordered_map, runs
from workstation.pipeline import Pipeline

GOLDEN = Path(__file__).parent / "signals" / "data" / "golden_events.jsonl"
NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_two_workers_give_in_order_what_one_process_gives() -> None:
    lines = GOLDEN.read_bytes().splitlines(keepends=True) + [b"{not json\n"]
    pipeline = Pipeline()

    def verdicts(workers: int) -> list[object]:
        tasks = ((first, run, NOW) for first, run in runs(iter(lines), 50))
        return [item for results in ordered_map(triage_run, pipeline, tasks, workers)
                for item in results]

    alone = verdicts(1)
    gc.freeze()  # as the app does after start-up: a frozen heap stays frozen
    frozen = gc.get_freeze_count()
    assert verdicts(2) == alone
    assert gc.get_freeze_count() >= frozen > 0
    gc.unfreeze()  # a heap that was not frozen is not left frozen
    assert verdicts(2) == alone
    assert gc.get_freeze_count() == 0
    written = "".join(item for item in alone if isinstance(item, str))
    assert written.count("\n") == len(lines) - 1
    assert [item.line_no for item in alone if isinstance(item, Rejected)] == [len(lines)]
