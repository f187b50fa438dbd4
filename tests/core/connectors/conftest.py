"""A sandbox platform on a free port, and connectors pointed at it over real HTTP."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
from sqlalchemy import Engine

from tests.sandbox_control import TOKEN, Control, Make, env_for
from workstation.connectors import build, config
from workstation.connectors.meta import MetaConnector
from workstation.connectors.x import XConnector
from workstation.sandbox import SandboxServer

__all__ = ["TOKEN"]


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    server = SandboxServer(token=TOKEN, seed_value=11).start()
    yield server
    server.stop()



@pytest.fixture
def make(sandbox: SandboxServer) -> Make:
    """`make("meta" | "x", engine=None)`: a connector on the sandbox that never sleeps."""
    made: list[Any] = []

    def factory(name: str, engine: Engine | None = None, **client: Any) -> Any:
        platform = config.load(env_for(sandbox))[name]
        client.setdefault("sleep", lambda _s: None)
        connector = build(platform, engine, **client)
        made.append(connector)
        return connector

    yield factory
    for connector in made:
        connector.close()


@pytest.fixture
def meta(make: Make) -> MetaConnector:
    return make("meta")


@pytest.fixture
def x(make: Make) -> XConnector:
    return make("x")


@pytest.fixture
def control(sandbox: SandboxServer) -> Control:
    return Control(sandbox)
