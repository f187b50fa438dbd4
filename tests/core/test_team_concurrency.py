"""Ten processes claim-next, answer and resolve from one queue: nothing is held or answered by
two of them, nothing is left behind, and the audit chain stays whole. (The 60-second version
with figures is `benchmarks/team_load.py`.)"""

from __future__ import annotations

import multiprocessing
import traceback
from collections import defaultdict
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import Engine

from tests.thread_factory import add_thread
from workstation import audit, audit_chain, db
from workstation.models import Agent, AuditEvent
from workstation.services import conversations as cs
from workstation.services import replies
from workstation.services.claim_next import claim_next

WORKERS = 10
CONVERSATIONS = 60


def work(url: str, name: str, results: Any) -> None:
    """One agent's script: claim the next conversation, answer it, resolve it, until none."""
    engine = db.make_engine(url)
    handled: list[int] = []
    try:
        while (claim := claim_next(engine, actor=name)) is not None:
            conv = claim.conversation_id
            draft = replies.compose(engine, conv, None, text="Thanks, on it.", agent=name)
            replies.send_reply(engine, draft)
            cs.resolve(engine, [conv], "answered", actor=name)
            handled.append(conv)
        results.put((name, handled, ""))
    except BaseException:
        results.put((name, handled, traceback.format_exc()))
    finally:
        engine.dispose()


def test_ten_processes_never_share_a_conversation(engine: Engine, store_url: str) -> None:
    with db.write(engine) as conn:
        conn.execute(Agent.__table__.insert(), [  # type: ignore[attr-defined]
            {"name": f"w{i}", "display_name": f"W{i}", "role": "agent", "languages": "en",
             "capacity": 100, "active": True, "created_at": datetime(2026, 1, 1, tzinfo=UTC)}
            for i in range(WORKERS)])
    expected = {add_thread(engine) for _ in range(CONVERSATIONS)}

    context = multiprocessing.get_context("fork")
    results = context.Queue()
    processes = [context.Process(target=work, args=(store_url, f"w{i}", results))
                 for i in range(WORKERS)]
    for process in processes:
        process.start()
    reports = [results.get(timeout=300) for _ in processes]
    for process in processes:
        process.join(timeout=60)
    assert [error for _name, _handled, error in reports if error] == []

    handled = [conv for _name, convs, _error in reports for conv in convs]
    assert sorted(handled) == sorted(expected)  # each once: none lost, none twice

    by_conversation: dict[int, list[tuple[str, str]]] = defaultdict(list)
    for event in audit.list_events(engine):
        if event.conversation_id is not None:
            by_conversation[event.conversation_id].append((event.action, event.actor))
    for conv in expected:
        actions = by_conversation[conv]
        assert [a for a, _ in actions] == ["conversation.claimed", "reply.queued",
                                           "conversation.resolved"], actions
        assert len({actor for _, actor in actions}) == 1, actions
    assert audit_chain.verify(engine, AuditEvent.__table__).intact  # type: ignore[attr-defined]
