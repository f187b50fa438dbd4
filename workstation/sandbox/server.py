"""The sandbox platform's HTTP server: token check, budgets, fault injection, and the routes
of the Graph API (`/vNN.N/...`), X API v2 (`/2/...`) and inspection (`/_sandbox/...`).

Usable in-process from tests: `SandboxServer(token=..., port=0).start()`, then `.url`,
`.meta_url`, `.x_url`, `.world`, and `.stop()`; `.suspend()` / `.resume()` take it off the
network and back on the same port, with the same state, to play an outage.
"""

from __future__ import annotations

import hmac
import json
import re
import secrets
import socket
import threading
from collections.abc import Callable
from datetime import datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from ..clock import utcnow
from . import inspection
from .budget import Budgets, meta_headers, x_headers
from .faults import Faults, FaultSpec
from .graph import Graph
from .graph import error as meta_error
from .protocol import Reply, Request
from .traffic import Traffic, seed
from .world import IG_ID, World
from .xapi import XApi, problem

_GRAPH = re.compile(r"^/v\d+\.\d+/")
_META_THROTTLES = (
    (4, 403, "(#4) Application request limit reached"),
    (17, 400, "(#17) User request limit reached"),
    (32, 403, "(#32) Page request limit reached"),
    (613, 400, "(#613) Calls to this api have exceeded the rate limit."),
)


class SandboxServer:
    """A local Meta + X platform with live traffic and faults; see the module docstring."""

    def __init__(self, *, token: str | None = None, host: str = "127.0.0.1", port: int = 0,
                 rate: float = 0.0, faults: str | FaultSpec = "", seed_value: int | None = None,
                 clock: Callable[[], datetime] = utcnow, budget: int = 100_000,
                 window: float = 900.0) -> None:
        self.token = token or secrets.token_urlsafe(24)
        self.host, self.port = host, port
        self.world = World(clock)
        self.traffic = Traffic(self.world, rate, seed_value)
        seed(self.world, self.traffic.rng)
        spec = faults if isinstance(faults, FaultSpec) else FaultSpec.parse(faults)
        self.faults = Faults(spec, seed_value)
        self.budgets = Budgets(budget, window)
        self.graph = Graph(self.world)
        self.x = XApi(self.world)
        self.released = threading.Event()  # set on stop: held (timed-out) answers give up
        self._throttle_turn = 0
        self._httpd: ThreadingHTTPServer | None = None
        self._thread: threading.Thread | None = None

    # ------------------------------------------------------------------ lifecycle
    @property
    def url(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def meta_url(self) -> str:
        return f"{self.url}/v21.0"

    @property
    def x_url(self) -> str:
        return f"{self.url}/2"

    def start(self) -> SandboxServer:
        self._listen()
        self.traffic.start()
        return self

    def _listen(self) -> None:
        httpd = _Server((self.host, self.port), _Handler)
        httpd.sandbox = self
        self.port = httpd.server_address[1]
        self._httpd = httpd
        self._thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.1},
                                        name="sandbox-http", daemon=True)
        self._thread.start()

    def suspend(self) -> None:
        """Stop answering (connections are refused) but keep the state and the port."""
        if self._httpd is not None:
            self._httpd.shutdown()
            self._httpd.server_close()
            self._httpd = None

    def resume(self) -> None:
        if self._httpd is None:
            self._listen()

    def stop(self) -> None:
        self.released.set()
        self.traffic.stop()
        self.suspend()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *_exc: object) -> None:
        self.stop()

    # ------------------------------------------------------------------ requests
    def serve(self, req: Request) -> tuple[Reply, str | None]:
        """The answer to an API request and the fault to apply after it (timeout, malformed,
        drop), if any."""
        graph = bool(_GRAPH.match(req.path))
        parts = [p for p in req.path.split("/")[2:] if p]
        if not graph and not req.path.startswith("/2/"):
            return problem(404, "Not Found", "Unknown API"), None
        if not self._authorised(req):
            if graph:
                return meta_error(400, 190, "Invalid OAuth access token - Cannot parse access "
                                  "token"), None
            return problem(401, "Unauthorized", "Unauthorized"), None
        with self.world.lock:
            self.world.requests += 1
        fault = self.faults.draw()
        family = f"meta:{_product(parts)}" if graph else "x:" + _x_family(req.method, parts)
        left, reset = self.budgets.spend(family)
        if fault == "rate" or left < 0:
            self.world.count_fault("rate" if fault == "rate" else "budget")
            wait = self.faults.spec.reset if fault == "rate" else reset
            return self._throttled(graph, parts, wait), None
        headers = (meta_headers(left, self.budgets.limit, reset, _product(parts)) if graph
                   else x_headers(left, self.budgets.limit, reset))
        if fault == "500":
            self.world.count_fault("500")
            if graph:
                reply = meta_error(500, 2, "An unexpected error has occurred. Please retry your "
                                   "request later.", transient=True)
            else:
                reply = problem(500, "Internal Server Error", "Internal Server Error")
            reply.headers.update(headers)
            return reply, None
        reply = self.graph.handle(req, parts) if graph else self.x.handle(req, parts)
        reply.headers.update(headers)
        if fault:
            self.world.count_fault(fault)
        return reply, fault

    def _authorised(self, req: Request) -> bool:
        given = req.headers.get("authorization", "")
        given = given[7:] if given.lower().startswith("bearer ") else req.param("access_token")
        return hmac.compare_digest(given.encode(), self.token.encode())

    def _throttled(self, graph: bool, parts: list[str], wait: float) -> Reply:
        if not graph:
            reply = problem(429, "Too Many Requests", "Too Many Requests")
            reply.headers.update(x_headers(0, self.budgets.limit, wait))
            return reply
        code, status, message = _META_THROTTLES[self._throttle_turn % len(_META_THROTTLES)]
        self._throttle_turn += 1
        reply = meta_error(status, code, message)
        reply.headers.update(meta_headers(0, self.budgets.limit, wait, _product(parts), wait))
        # Not a Graph header: lets a client wait seconds rather than Meta's whole minutes.
        reply.headers["Retry-After"] = str(max(1, round(wait)))
        return reply


def _product(parts: list[str]) -> str:
    return "instagram" if parts and parts[0] == IG_ID else "pages"


def _x_family(method: str, parts: list[str]) -> str:
    """The endpoint a request counts against: its path with ids replaced."""
    shape = [p if not any(c.isdigit() for c in p) else ":id" for p in parts]
    return f"{method} /2/{'/'.join(shape)}"


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    block_on_close = False
    allow_reuse_address = True
    sandbox: SandboxServer


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def setup(self) -> None:
        super().setup()
        # Headers and body go out in two writes: without this, Nagle's algorithm and the
        # client's delayed ACK add ~40 ms to every answer.
        self.connection.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._handle()

    do_POST = do_PUT = do_DELETE = do_GET

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass  # the inspection endpoint is the log; stderr stays quiet

    def _handle(self) -> None:
        sandbox = self.server.sandbox
        split = urlsplit(self.path)
        length = int(self.headers.get("Content-Length") or 0)
        raw = self.rfile.read(length) if length else b""
        req = Request(self.command, split.path, dict(parse_qsl(split.query)), _body(self, raw),
                      {k.lower(): v for k, v in self.headers.items()},
                      f"http://{self.headers.get('Host', sandbox.url[7:])}")
        if split.path.startswith("/_sandbox/"):
            self._answer(inspection.handle(sandbox, req))
            return
        reply, fault = sandbox.serve(req)
        if fault == "drop":
            self.close_connection = True
            return
        if fault == "timeout":
            sandbox.released.wait(sandbox.faults.spec.hold)
            self.close_connection = True
        if fault == "malformed":
            self._answer(Reply(200, None, reply.headers), raw_body=b'{"data": [{"id": "17')
            return
        self._answer(reply)

    def _answer(self, reply: Reply, raw_body: bytes | None = None) -> None:
        data = raw_body if raw_body is not None else json.dumps(reply.body).encode()
        try:
            self.send_response(reply.status)
            self.send_header("Content-Type", "application/json; charset=UTF-8")
            self.send_header("Content-Length", str(len(data)))
            for name, value in reply.headers.items():
                self.send_header(name, value)
            if self.close_connection:
                self.send_header("Connection", "close")
            self.end_headers()
            self.wfile.write(data)
        except OSError:
            self.close_connection = True  # the client gave up (a timeout fault)


def _body(handler: BaseHTTPRequestHandler, raw: bytes) -> dict[str, Any]:
    if not raw:
        return {}
    kind = handler.headers.get("Content-Type", "")
    try:
        if "json" in kind:
            value = json.loads(raw)
            return value if isinstance(value, dict) else {}
        return dict(parse_qsl(raw.decode("utf-8")))
    except (ValueError, UnicodeDecodeError):
        return {}
