"""The HTTP side of the receiver: Meta's handshake, signed POSTs, quick answers.

Standard library only (`http.server`): the receiver handles a few requests a second at most,
sits behind the TLS-terminating proxy Meta requires anyway, and needs nothing an extra
dependency would add. Every request is answered from its own thread; a slow or silent client
times out instead of holding one. A POST is read up to a size limit, its signature checked
over the raw bytes before anything is parsed, and only then handed to the `Receiver`. A
rejected request leaves one log line (reason, peer, size) and nothing in the store; no log
line ever carries a body, a secret or a token.
"""

from __future__ import annotations

import logging
import threading
from concurrent.futures import TimeoutError as FutureTimeout
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from sqlalchemy import Engine

from workstation.clock import Clock, utcnow
from workstation.pipeline import Pipeline
from workstation.text import inert

from .config import MetaSecrets
from .receiver import Receiver
from .signature import HEADER, challenge_answer, problem

log = logging.getLogger("workstation.webhooks")
MAX_BODY = 4 * 1024 * 1024
"""Bytes; Meta batches at most 1000 events, well under this."""


class _Handler(BaseHTTPRequestHandler):
    server: WebhookServer
    timeout = 15
    """Seconds a client may stay silent; a stalled upload loses its thread, not ours."""
    server_version = "workstation-webhook"
    sys_version = ""

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        params = dict(parse_qsl(urlsplit(self.path).query, keep_blank_values=True))
        answer = challenge_answer(params, self.server.secrets.verify_token)
        if answer is None:
            self._refuse(403, "handshake refused (mode or verify token)")
            return
        log.info("webhook: subscription handshake verified")
        self._answer(200, answer)

    def do_POST(self) -> None:  # noqa: N802
        try:
            length = int(self.headers.get("Content-Length", ""))
        except ValueError:
            self._refuse(411, "no Content-Length")
            return
        if length < 0 or length > self.server.max_body:
            self.close_connection = True
            self._refuse(413, f"body of {length} bytes over the limit")
            return
        raw = self.rfile.read(length)
        if len(raw) != length:
            self._refuse(400, "body shorter than its Content-Length")
            return
        why = problem(raw, self.headers.get(HEADER), self.server.secrets.app_secret)
        if why is not None:
            self._refuse(403, why, size=length)
            return
        future = self.server.receiver.submit(raw)
        if future is None:
            self._refuse(503, "backlog full, Meta will retry", retry=True)
            return
        try:
            report = future.result(timeout=self.server.ack_within)
        except FutureTimeout:
            # Still being stored; Meta's retry will be deduplicated.
            self._refuse(503, "store slow, Meta will retry", retry=True)
            return
        except Exception as exc:
            log.error("webhook: delivery not stored: %s", inert(str(exc), limit=200))
            self._answer(500, "not stored")
            return
        log.info("webhook: delivery of %d bytes: %s", length, report.summary())
        self._answer(200, "EVENT_RECEIVED")

    def _refuse(self, status: int, reason: str, *, size: int | None = None,
                retry: bool = False) -> None:
        path = inert(urlsplit(self.path).path, limit=80)
        what = f"{self.command} {path}" + (f" ({size} bytes)" if size is not None else "")
        log.warning("webhook: refused %s from %s: %s", what, self.client_address[0], reason)
        self._answer(status, "refused", retry_after=5 if retry else None)

    def _answer(self, status: int, body: str, *, retry_after: int | None = None) -> None:
        data = body.encode("utf-8")
        self.send_response(status)
        self.send_header("Content-Type", "text/plain; charset=utf-8")
        self.send_header("Content-Length", str(len(data)))
        self.send_header("X-Content-Type-Options", "nosniff")
        if retry_after is not None:
            self.send_header("Retry-After", str(retry_after))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        # http.server writes every request to stderr, with the query string (the verify
        # token of a handshake): keep that out of the logs.
        log.debug("webhook: %s %s", self.command, inert(urlsplit(self.path).path, limit=80))


class WebhookServer(ThreadingHTTPServer):
    """The receiver; `start()` serves on a background thread, `stop()` ends it.

    Args:
        engine: the store.
        secrets: the app secret and verify token.
        host, port: where to listen; port 0 picks a free one (see `url`).
        pipeline: the triage pipeline (the shipped rules by default).
        clock: the time ingest stamps.
        max_body: the largest body taken, in bytes.
        ack_within: seconds a delivery may take to store before Meta is told to retry.
    """

    daemon_threads = True

    def __init__(self, engine: Engine, secrets: MetaSecrets, *, host: str = "127.0.0.1",
                 port: int = 8788, pipeline: Pipeline | None = None, clock: Clock = utcnow,
                 max_body: int = MAX_BODY, ack_within: float = 10.0) -> None:
        super().__init__((host, port), _Handler)
        self.secrets = secrets
        self.max_body = max_body
        self.ack_within = ack_within
        self.receiver = Receiver(engine, pipeline=pipeline, clock=clock)
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        """The base URL it answers on."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> WebhookServer:
        """Serve on a daemon thread; returns self."""
        self._thread = threading.Thread(target=self.serve_forever, name="webhook-http",
                                        daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop taking requests, finish storing what was accepted, release the port."""
        if self._thread is not None:
            self.shutdown()
            self._thread.join()
            self._thread = None
        self.server_close()
        self.receiver.close()
