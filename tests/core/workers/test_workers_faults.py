"""End-to-end faults against the sandbox platform: the real connectors, the real workers.

Every reply must arrive exactly once (counted at the sandbox's inspection endpoint) and every
message must be synced once, whatever happens: a worker killed with SIGKILL mid-send, the
platform unreachable for 30 s, rate limits and server errors on every third call, pages that
cannot be read. The waits are bounds on a hung test, never timing assertions.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from sqlalchemy import Engine, func, select

from tests.worker_fakes import queue_reply
from workstation import db
from workstation.connectors import configured
from workstation.models import Conversation, DeadLetter, Message, Outbox
from workstation.pipeline import Pipeline
from workstation.sandbox import SandboxServer
from workstation.workers.syncer import PollState, poll_connectors, position

TOKEN = "sandbox-test-token"
ROOT = Path(__file__).parents[3]
_M = Message.__table__.c  # type: ignore[attr-defined]
_C = Conversation.__table__.c  # type: ignore[attr-defined]
_O = Outbox.__table__.c  # type: ignore[attr-defined]

pytestmark = pytest.mark.slow


def eventually(condition: Callable[[], bool], within: float) -> bool:
    end = time.monotonic() + within
    while time.monotonic() < end:
        if condition():
            return True
        time.sleep(0.1)
    return condition()


@pytest.fixture(scope="module")
def pipeline() -> Pipeline:
    return Pipeline()


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(token=TOKEN, port=0, seed_value=7).start()
    yield server
    server.stop()


@pytest.fixture
def store(tmp_path: Path) -> tuple[str, Engine]:
    url = f"sqlite:///{tmp_path / 'store.db'}"
    return url, db.open_store(url)


def platform_env(server: SandboxServer) -> dict[str, str]:
    return {"WORKSTATION_META_URL": server.meta_url, "WORKSTATION_X_URL": server.x_url,
            "WORKSTATION_META_TOKEN": TOKEN, "WORKSTATION_X_TOKEN": TOKEN}


class Syncs:
    """`workstation sync` subprocesses, killed at the end of the test."""

    def __init__(self, url: str, server: SandboxServer, logs: Path) -> None:
        self.url, self.server, self.logs = url, server, logs
        self.started: list[subprocess.Popen[bytes]] = []

    def start(self, *jobs: str) -> subprocess.Popen[bytes]:
        log = (self.logs / f"sync-{len(self.started)}.log").open("wb")
        process = subprocess.Popen(
            [sys.executable, "-m", "workstation.cli", "--db", self.url, "sync", "--lease", "3",
             "--only", ",".join(jobs)],
            stdout=log, stderr=subprocess.STDOUT,
            env={**os.environ, **platform_env(self.server), "PYTHONPATH": str(ROOT)})
        self.started.append(process)
        return process

    def stop(self) -> None:
        for process in self.started:
            if process.poll() is None:
                process.terminate()
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
                    process.wait()


@pytest.fixture
def syncs(store: tuple[str, Engine], sandbox: SandboxServer,
          tmp_path: Path) -> Iterator[Syncs]:
    runner = Syncs(store[0], sandbox, tmp_path)
    yield runner
    runner.stop()


def received(server: SandboxServer, prefix: str) -> Counter[str]:
    """Replies the platform received whose text starts with `prefix`, by text."""
    answer = httpx.get(f"{server.url}/_sandbox/sent", params={"action": "reply"}).json()
    return Counter(e["text"] for e in answer["sent"] if e.get("text", "").startswith(prefix))


def inbound(engine: Engine) -> int:
    with db.read(engine) as conn:
        return int(conn.execute(select(func.count()).select_from(Message.__table__)  # type: ignore[attr-defined]
                                .where(_M.direction == "in")).scalar_one())


def platform_total(server: SandboxServer) -> int:
    return int(httpx.get(f"{server.url}/_sandbox/state").json()["inbound_total"])


def sync_once(engine: Engine, server: SandboxServer, pipeline: Pipeline,
              state: PollState | None = None) -> Any:
    connectors = configured(engine, platform_env(server))
    try:
        return poll_connectors(engine, connectors, pipeline=lambda: pipeline, state=state)
    finally:
        for connector in connectors:
            connector.close()


def queue_replies(engine: Engine, count: int, prefix: str) -> list[int]:
    """`count` public replies spread over the Instagram comments in the store (those triage
    left visible: the platform refuses a reply under a hidden comment)."""
    with db.read(engine) as conn:
        comments = conn.execute(
            select(_M.conversation_id, _M.external_id)
            .select_from(Message.__table__.join(Conversation.__table__,  # type: ignore[attr-defined]
                                                _C.id == _M.conversation_id))
            .where(_C.platform == "instagram", _C.kind == "comment", _M.direction == "in",
                   _C.moderation == "allow", _M.hidden.is_(False), _M.deleted.is_(False))
            .order_by(_M.id)).all()
    assert comments, "the sandbox should have Instagram comments to answer"
    return [queue_reply(engine, comments[n % len(comments)].conversation_id,
                        text=f"{prefix} {n}", reply_to=comments[n % len(comments)].external_id,
                        key=f"{prefix}-{n}")
            for n in range(count)]


def states(engine: Engine, ids: list[int]) -> Counter[str]:
    with db.read(engine) as conn:
        return Counter(conn.execute(select(_O.state).where(_O.id.in_(ids))).scalars())


def test_a_worker_killed_mid_send_leaves_every_reply_sent_exactly_once(
    store: tuple[str, Engine], sandbox: SandboxServer, syncs: Syncs, pipeline: Pipeline,
) -> None:
    _url, engine = store
    for _ in range(50):
        sandbox.traffic.generate_one("instagram_comment")
    sync_once(engine, sandbox, pipeline)
    ids = queue_replies(engine, 500, "Reply")
    first = syncs.start("send")
    assert eventually(lambda: sum(received(sandbox, "Reply ").values()) >= 100, within=60)
    first.send_signal(signal.SIGKILL)
    first.wait()
    assert sum(received(sandbox, "Reply ").values()) < 500, "killed too late to matter"
    syncs.start("send")
    assert eventually(lambda: states(engine, ids) == Counter(sent=500), within=120), (
        states(engine, ids))
    counts = received(sandbox, "Reply ")
    assert len(counts) == 500 and set(counts.values()) == {1}


def test_a_platform_down_for_30_seconds_loses_nothing(
    store: tuple[str, Engine], sandbox: SandboxServer, syncs: Syncs, pipeline: Pipeline,
) -> None:
    _url, engine = store
    for _ in range(10):
        sandbox.traffic.generate_one("instagram_comment")
    sandbox.traffic.generate(20)
    sync_once(engine, sandbox, pipeline)
    syncs.start("poll", "send")
    sandbox.suspend()
    sandbox.traffic.generate(40)  # customers keep writing while we cannot read
    ids = queue_replies(engine, 100, "Outage")  # and agents keep answering
    time.sleep(30)
    with sandbox.world.lock:  # its inspection endpoint is down too
        assert not any(e.get("text", "").startswith("Outage") for e in sandbox.world.sent)
    sandbox.resume()
    total = platform_total(sandbox)
    assert eventually(lambda: states(engine, ids) == Counter(sent=100)
                      and inbound(engine) == total, within=90), (states(engine, ids),
                                                                 inbound(engine), total)
    counts = received(sandbox, "Outage ")
    assert len(counts) == 100 and set(counts.values()) == {1}


def test_429s_and_500s_on_every_third_call_sync_everything_once(
    store: tuple[str, Engine], sandbox: SandboxServer, pipeline: Pipeline,
) -> None:
    _url, engine = store
    sandbox.traffic.generate(60)
    # Calls 3, 9, 15... answer 500; calls 6, 12, 18... are rate limited for a second.
    sandbox.faults.replace(type(sandbox.faults.spec).parse("rate=every:6,500=every:3,reset=1"))
    state = PollState()
    total = platform_total(sandbox)
    assert eventually(lambda: sync_once(engine, sandbox, pipeline, state) is not None
                      and inbound(engine) == total, within=90)
    report = sync_once(engine, sandbox, pipeline, state)
    assert report.ingested == 0  # everything was there already; nothing came in twice
    faults = httpx.get(f"{sandbox.url}/_sandbox/state").json()["faults"]
    assert faults.get("rate", 0) > 0 and faults.get("500", 0) > 0


def test_an_unreadable_page_or_item_skips_nothing_after_it(
    store: tuple[str, Engine], sandbox: SandboxServer, pipeline: Pipeline,
) -> None:
    _url, engine = store
    inject = f"{sandbox.url}/_sandbox/messages"
    for n, broken in enumerate((False, True, False)):
        answer = httpx.post(inject, json={"channel": "x_mention", "text": f"mention {n}",
                                          "broken": broken})
        assert answer.status_code == 200
    sandbox.faults.replace(type(sandbox.faults.spec).parse("malformed=1"))
    report = sync_once(engine, sandbox, pipeline)
    assert report.errors and inbound(engine) == 0
    assert position(engine, "x", "x:mentions") == ""  # the checkpoint did not move
    sandbox.faults.replace(type(sandbox.faults.spec).parse(""))
    sync_once(engine, sandbox, pipeline)
    with db.read(engine) as conn:
        texts = set(conn.execute(select(_M.text).where(_M.platform == "x",
                                                       _M.direction == "in")).scalars())
        dead = conn.execute(select(DeadLetter.__table__.c.source)).scalars().all()  # type: ignore[attr-defined]
    assert {t.split()[-1] for t in texts} == {"0", "2"}
    assert dead == ["x:x:mentions"]
    checkpoint = position(engine, "x", "x:mentions")
    assert checkpoint  # past the last mention, which was stored
    sandbox.traffic.generate_one("x_mention")
    sync_once(engine, sandbox, pipeline)
    assert int(position(engine, "x", "x:mentions")) > int(checkpoint)
    assert inbound(engine) == 3
