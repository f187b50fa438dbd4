"""Alerts POSTed to a real local HTTP server: signed, retried, refused, given up, both engines."""

from __future__ import annotations

import hashlib
import hmac
import json
import socket
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests import kpi_factories as kf
from tests import seed
from tests.core.test_alerts import NOW, config
from workstation import db
from workstation.alerts import recent, scan
from workstation.alerts.config import Webhook
from workstation.alerts.webhook import deliver, sign
from workstation.clock import FrozenClock
from workstation.models import AuditEvent

SECRET = "s3cret-for-tests"


class Receiver:
    """A local server answering each POST with the next status of a script."""

    def __init__(self, statuses: list[int]) -> None:
        self.statuses = statuses
        self.received: list[tuple[dict[str, str], bytes]] = []
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802
                body = self.rfile.read(int(self.headers["Content-Length"]))
                receiver.received.append((dict(self.headers), body))
                status = receiver.statuses.pop(0) if receiver.statuses else 200
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_port}/hook"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    r = Receiver([])
    yield r
    r.server.shutdown()
    r.server.server_close()


def _hooked(url: str, **kw: Any) -> Any:
    from dataclasses import replace

    return replace(config(), webhook=Webhook(url, "ALERT_SECRET", **kw))


def _keyword(engine: Engine, text: str = "boycott now") -> None:
    with db.write(engine) as conn:
        c = seed.conversation(conn, start=NOW)
        kf.said(conn, c, NOW, text=text)


def test_an_alert_is_sent_signed(engine: Engine, receiver: Receiver,
                                 monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ALERT_SECRET", SECRET)
    _keyword(engine)
    ids = scan(engine, clock=FrozenClock(NOW), config=_hooked(receiver.url))
    assert len(ids) == 1 and len(receiver.received) == 1
    headers, body = receiver.received[0]
    stamp = headers["X-Workstation-Timestamp"]
    expected = hmac.new(SECRET.encode(), f"{stamp}.".encode() + body, hashlib.sha256)
    assert headers["X-Workstation-Signature"] == f"sha256={expected.hexdigest()}"
    assert headers["X-Workstation-Signature"] == sign(SECRET.encode(), stamp, body)
    sent = json.loads(body)
    assert sent["id"] == ids[0] and sent["kind"] == "keyword" and sent["conversation_ids"]
    assert recent(engine)[0].webhook_state == "sent"


def test_server_errors_are_retried_then_left_for_the_next_scan(
        engine: Engine, receiver: Receiver) -> None:
    receiver.statuses = [500, 503, 502, 500]
    _keyword(engine)
    pauses: list[float] = []
    hooked = _hooked(receiver.url, retries=3)
    scan(engine, clock=FrozenClock(NOW), config=hooked,
         send=lambda e, c, now: deliver(e, c, now, sleep=pauses.append))
    assert len(receiver.received) == 3 and pauses == [0.5, 1.0]
    assert recent(engine)[0].webhook_state == "failed"
    # The next scan raises nothing new but sends the failed alert again: 500, then 200.
    scan(engine, clock=FrozenClock(NOW), config=hooked,
         send=lambda e, c, now: deliver(e, c, now, sleep=pauses.append))
    assert len(receiver.received) == 5 and recent(engine)[0].webhook_state == "sent"
    with db.read(engine) as conn:
        actions = conn.execute(select(AuditEvent.action).where(  # type: ignore[call-overload]
            AuditEvent.action.like("alert.webhook%")).order_by(AuditEvent.id)).scalars().all()
    assert actions == ["alert.webhook_failed", "alert.webhook_sent"]


def test_a_refusal_is_not_retried(engine: Engine, receiver: Receiver) -> None:
    receiver.statuses = [400]
    _keyword(engine)
    scan(engine, clock=FrozenClock(NOW), config=_hooked(receiver.url))
    scan(engine, clock=FrozenClock(NOW), config=_hooked(receiver.url))
    assert len(receiver.received) == 1 and recent(engine)[0].webhook_state == "refused"


def test_an_unreachable_hook_gives_up_after_its_budget(engine: Engine) -> None:
    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    hooked = _hooked(f"http://127.0.0.1:{port}/hook", retries=2, give_up_after=3)
    _keyword(engine)
    for _ in range(3):
        scan(engine, clock=FrozenClock(NOW), config=hooked,
             send=lambda e, c, now: deliver(e, c, now, sleep=lambda s: None))
    with db.read(engine) as conn:
        attempts = conn.execute(select(AuditEvent.details).where(  # type: ignore[call-overload]
            AuditEvent.action == "alert.webhook_failed")).scalars().all()
    assert [d["attempts"] for d in attempts] == [2, 1]  # 3 in all, then no more
    assert recent(engine)[0].webhook_state == "failed"
