"""Local HTTP servers that play the CRM: a strict fake HubSpot and a signed-webhook receiver.

Both check what they receive the way the real thing would (request shapes, bearer token,
signatures) and answer from a script, so a test can make them return 429s or 500s.
"""

from __future__ import annotations

import json
import threading
import time
from collections import deque
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from collections.abc import Callable
from typing import Any

from workstation.crm import signing

TOKEN = "pat-na1-test-token-0001"
WEBHOOK_SECRET = "whsec_c2VjcmV0LWtleS1mb3ItdGVzdHM="


@dataclass
class Seen:
    """One request as the fake received it."""

    path: str
    headers: dict[str, str]
    body: bytes
    status: int

    @property
    def json(self) -> Any:
        return json.loads(self.body)


@dataclass
class Script:
    """Answers to give before behaving normally: (path prefix, status, headers)."""

    queue: deque[tuple[str, int, dict[str, str]]] = field(default_factory=deque)

    def then(self, prefix: str, status: int, **headers: str) -> Script:
        self.queue.append((prefix, status, headers))
        return self

    def take(self, path: str) -> tuple[int, dict[str, str]] | None:
        for entry in list(self.queue):
            if path.startswith(entry[0]):
                self.queue.remove(entry)
                return entry[1], entry[2]
        return None


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self, handler: type[BaseHTTPRequestHandler]) -> None:
        super().__init__(("127.0.0.1", 0), handler)
        self.seen: list[Seen] = []
        self.script = Script()
        self.lock = threading.Lock()
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}"

    def stop(self) -> None:
        self.shutdown()
        self.server_close()

    def requests(self, prefix: str = "") -> list[Seen]:
        with self.lock:
            return [s for s in self.seen if s.path.startswith(prefix)]


class _Handler(BaseHTTPRequestHandler):
    server: _Server

    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002
        pass

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        scripted = self.server.script.take(self.path)
        if scripted is not None:
            status, headers, answer = scripted[0], scripted[1], {"message": "scripted"}
        else:
            status, headers, answer = self.answer(body)
        with self.server.lock:
            self.server.seen.append(Seen(self.path, dict(self.headers), body, status))
        data = json.dumps(answer).encode()
        self.send_response(status)
        for name, value in headers.items():
            self.send_header(name.replace("_", "-"), value)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def answer(self, body: bytes) -> tuple[int, dict[str, str], Any]:
        raise NotImplementedError


class _HubSpotHandler(_Handler):
    def answer(self, body: bytes) -> tuple[int, dict[str, str], Any]:
        server: FakeHubSpot = self.server  # type: ignore[assignment]
        if self.headers.get("Authorization") != f"Bearer {TOKEN}":
            return 401, {}, {"status": "error", "category": "INVALID_AUTHENTICATION"}
        data = json.loads(body)
        if self.path == "/crm/v3/objects/contacts/batch/upsert":
            return server.upsert(data)
        if self.path == "/crm/v3/objects/notes":
            return server.note(data)
        return 404, {}, {"message": "no such endpoint"}


class FakeHubSpot(_Server):
    """Contacts keyed by e-mail; refuses malformed requests as HubSpot would (400)."""

    def __init__(self) -> None:
        self.contacts: dict[str, str] = {}
        self.notes: list[dict[str, Any]] = []
        self.refused_emails: set[str] = set()
        super().__init__(_HubSpotHandler)

    def upsert(self, data: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        inputs = data.get("inputs", [])
        emails = [i.get("id") for i in inputs]
        if not inputs or len(set(emails)) != len(emails):
            return 400, {}, {"message": "Duplicate IDs found in batch input"}
        for item in inputs:
            props = item.get("properties", {})
            if item.get("idProperty") != "email" or props.get("email") != item.get("id"):
                return 400, {}, {"message": "idProperty must be email and match"}
            if item["id"] in self.refused_emails:
                return 400, {}, {"message": f"Property values were not valid: {item['id']}"}
        results = []
        for item in inputs:
            new = item["id"] not in self.contacts
            contact = self.contacts.setdefault(item["id"], str(1000 + len(self.contacts)))
            results.append({"id": contact, "new": new, "properties": item["properties"]})
        return 200, {}, {"status": "COMPLETE", "results": list(reversed(results))}

    def note(self, data: dict[str, Any]) -> tuple[int, dict[str, str], Any]:
        props, links = data.get("properties", {}), data.get("associations", [])
        ok = (props.get("hs_timestamp") and props.get("hs_note_body") and len(links) == 1
              and links[0]["to"]["id"] in self.contacts.values()
              and links[0]["types"] == [{"associationCategory": "HUBSPOT_DEFINED",
                                         "associationTypeId": 202}])
        if not ok:
            return 400, {}, {"message": "note without timestamp, body or a contact"}
        self.notes.append(data)
        return 201, {}, {"id": str(5000 + len(self.notes))}


class _ReceiverHandler(_Handler):
    def answer(self, body: bytes) -> tuple[int, dict[str, str], Any]:
        server: WebhookReceiver = self.server  # type: ignore[assignment]
        headers = {k.lower(): v for k, v in self.headers.items()}
        if not signing.verify(WEBHOOK_SECRET, headers, body, now=server.now()):
            server.bad_signatures += 1
            return 401, {}, {"message": "bad signature"}
        return 200, {}, {"ok": True}


class WebhookReceiver(_Server):
    """Verifies Standard Webhooks signatures against `now` (Unix seconds); 401 when they fail."""

    def __init__(self, now: Callable[[], float] = time.time) -> None:
        self.now = now
        self.bad_signatures = 0
        super().__init__(_ReceiverHandler)
