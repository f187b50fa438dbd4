"""Driving the sandbox platform from a test: its inspection endpoints and the environment
that points connectors at it."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx

from workstation.sandbox import SandboxServer

TOKEN = "tok-Zq81-SECRET-never-shown"

Make = Callable[..., Any]
"""The `make` fixture: `make("meta" | "x", engine=None)` builds a connector on the sandbox."""


def env_for(sandbox: SandboxServer, **extra: str) -> dict[str, str]:
    return {"WORKSTATION_META_URL": sandbox.meta_url, "WORKSTATION_META_TOKEN": TOKEN,
            "WORKSTATION_X_URL": sandbox.x_url, "WORKSTATION_X_TOKEN": TOKEN,
            "WORKSTATION_HTTP_TIMEOUT": "0.5", **extra}


class Control:
    """The sandbox's inspection endpoints, as a test uses them."""

    def __init__(self, sandbox: SandboxServer) -> None:
        self.url = sandbox.url
        # One client: each bare httpx.post() builds a new TLS context, ~0.1 s apiece.
        self.http = httpx.Client(timeout=10)

    def inject(self, channel: str, text: str, **fields: Any) -> dict[str, Any]:
        answer = self.http.post(f"{self.url}/_sandbox/messages",
                                json={"channel": channel, "text": text, **fields})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def sent(self, action: str = "") -> list[dict[str, Any]]:
        answer = self.http.get(f"{self.url}/_sandbox/sent", params={"action": action})
        return answer.json()["sent"]

    def faults(self, spec: str) -> None:
        answer = self.http.post(f"{self.url}/_sandbox/faults", json={"spec": spec})
        assert answer.status_code == 200, answer.text

    def webhook(self, message_id: str) -> dict[str, Any]:
        """The Meta webhook delivery for a sandbox DM (same ids as polling)."""
        answer = self.http.get(f"{self.url}/_sandbox/webhook", params={"id": message_id})
        assert answer.status_code == 200, answer.text
        return answer.json()

    def state(self) -> dict[str, Any]:
        return self.http.get(f"{self.url}/_sandbox/state").json()
