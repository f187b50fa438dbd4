"""Fixtures of the workers' tests: a frozen clock and a store with the team."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine

from tests.thread_factory import NOW, add_agents
from workstation.clock import FrozenClock


@pytest.fixture
def clock() -> FrozenClock:
    return FrozenClock(NOW)


@pytest.fixture
def team(engine: Engine) -> Engine:
    add_agents(engine)
    return engine
