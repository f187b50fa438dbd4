"""A webhook receiver on a free port, on each engine, with a frozen clock."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine

from tests.core.webhooks.helpers import APP_SECRET, NOW, VERIFY_TOKEN
from workstation.clock import FrozenClock
from workstation.pipeline import Pipeline
from workstation.webhooks.config import MetaSecrets
from workstation.webhooks.server import WebhookServer


@pytest.fixture(scope="session")
def pipeline() -> Pipeline:
    """The shipped rules, loaded once."""
    return Pipeline()


@pytest.fixture
def server(engine: Engine, pipeline: Pipeline) -> Iterator[WebhookServer]:
    srv = WebhookServer(engine, MetaSecrets(APP_SECRET, VERIFY_TOKEN), port=0,
                        pipeline=pipeline, clock=FrozenClock(NOW), max_body=64 * 1024).start()
    yield srv
    srv.stop()
