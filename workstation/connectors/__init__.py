"""Platform connectors: the only code that talks to a platform (see `base.py`).

`configured(engine)` builds one connector per platform that has a token in the environment or
the secrets file (`config.py`); the workers poll and send through them.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping

from sqlalchemy import Engine

from . import config
from .base import Connector
from .http import HttpClient
from .meta import MetaConnector
from .ratelimit import Limiter
from .x import XConnector

_ID = re.compile(r"[^/]*\d[^/]*")


def x_bucket(method: str, path: str) -> str:
    """X budgets are per endpoint: `GET users/:id/mentions`."""
    return f"{method} {_ID.sub(':id', path.split('?')[0])}"


def build(platform: config.Platform, engine: Engine | None, **client: object) -> Connector:
    """The connector for one configured platform, its limiter keyed by the token's hash."""
    limiter = Limiter(engine, f"{platform.name}:{platform.token.fingerprint()}")
    if platform.name == "x":
        http = HttpClient(platform, limiter, bucket=x_bucket, **client)  # type: ignore[arg-type]
        return XConnector(http)
    return MetaConnector(HttpClient(platform, limiter, **client))  # type: ignore[arg-type]


def configured(engine: Engine | None, env: Mapping[str, str] = os.environ) -> list[Connector]:
    """A connector for each platform with a token, Meta first.

    Raises:
        db.ConfigError: the secrets file is unsafe (not mode 0600) or unreadable.
    """
    return [build(platform, engine) for platform in config.load(env).values()]


__all__ = ["configured", "build", "x_bucket"]
