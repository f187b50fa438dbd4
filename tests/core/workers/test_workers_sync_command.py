"""`workstation sync`: --once, --only, and a real standby process taking over a killed leader."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from tests.thread_factory import NOW, add_thread
from workstation import audit, cli, db
from workstation.workers import lease


def eventually(condition: Callable[[], bool], within: float = 60.0) -> bool:
    """Wait for `condition` (a bound on a hung test, not a timing assertion)."""
    end = time.monotonic() + within
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


def test_once_runs_the_jobs_and_exits_0(tmp_path: Path,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    engine = db.open_store(url)
    add_thread(engine, sla_due_at=NOW)  # long breached by now: the sweeper escalates it
    assert cli.main(["--db", url, "sync", "--once", "--only", "sla,wake"]) == 0
    err = capsys.readouterr().err
    assert "no connector configured" in err
    assert "sla: breached 1, escalated 1" in err
    assert [e.details["event"] for e in audit.list_events(engine, action="worker.leader")] == [
        "acquired", "released"]


def test_an_unknown_job_is_a_usage_error(tmp_path: Path,
                                         capsys: pytest.CaptureFixture[str]) -> None:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    assert cli.main(["--db", url, "sync", "--once", "--only", "poll,mail"]) == 2
    assert "unknown job 'mail'" in capsys.readouterr().err


def test_once_does_nothing_while_another_process_leads(
    engine: Engine, store_url: str, capsys: pytest.CaptureFixture[str],
) -> None:
    assert lease.acquire(engine, "host:1:abc")
    assert cli.main(["--db", store_url, "sync", "--once"]) == 1
    assert "another process leads (host:1:abc)" in capsys.readouterr().err


@pytest.fixture
def processes() -> Iterator[list[subprocess.Popen[bytes]]]:
    started: list[subprocess.Popen[bytes]] = []
    yield started
    for process in started:
        if process.poll() is None:
            process.kill()
        process.wait()


@pytest.mark.slow
def test_a_standby_takes_over_from_a_killed_leader(
    engine: Engine, store_url: str, processes: list[subprocess.Popen[bytes]], tmp_path: Path,
) -> None:
    def start() -> subprocess.Popen[bytes]:
        process = subprocess.Popen(
            [sys.executable, "-m", "workstation.cli", "--db", store_url, "sync", "--lease", "3",
             "--only", "wake"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            env={**os.environ, "PYTHONPATH": str(Path(__file__).parents[3])})
        processes.append(process)
        return process

    def holder() -> str:
        held = lease.current(engine)
        return held.holder if held else ""

    first = start()
    assert eventually(lambda: f":{first.pid}:" in holder())
    second = start()
    time.sleep(2)  # the second stands by, at least one attempt
    assert f":{first.pid}:" in holder() and second.poll() is None
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert eventually(lambda: f":{second.pid}:" in holder())
    takeover = audit.list_events(engine, action="worker.leader")[-1]
    assert takeover.details["event"] == "acquired"
    assert f":{first.pid}:" in takeover.details["previous"]
    second.send_signal(signal.SIGTERM)
    assert second.wait(timeout=30) == 0
    assert holder() == ""  # a clean stop frees the lease at once


def test_the_help_lists_every_job_with_its_cadence() -> None:
    from workstation.commands.sync import JOBS_HELP
    from workstation.workers.jobs import JOBS

    assert [part.split(" (")[0] for part in JOBS_HELP.split("; ")] == [j.name for j in JOBS]
    for job in JOBS:
        assert f"{job.name} (every {job.every:g}s)" in JOBS_HELP or \
            f"{job.name} ({job.every:g}s)" in JOBS_HELP
