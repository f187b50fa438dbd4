"""A sandbox platform on a free port, and an HTTP client that carries its token."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from tests.sandbox_control import TOKEN, Control
from workstation.sandbox import SandboxServer


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(token=TOKEN, seed_value=5).start()
    yield server
    server.stop()


@pytest.fixture
def api(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url, headers={"Authorization": f"Bearer {TOKEN}"},
                      timeout=5) as client:
        yield client


@pytest.fixture
def control(sandbox: SandboxServer) -> Control:
    return Control(sandbox)
