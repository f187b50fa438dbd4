"""Where the connectors find their platforms: base URLs and access tokens.

From the environment (`WORKSTATION_META_URL`, `WORKSTATION_META_TOKEN`, `WORKSTATION_X_URL`,
`WORKSTATION_X_TOKEN`, `WORKSTATION_HTTP_TIMEOUT`) or a secrets file, TOML:

    [meta]
    url = "https://graph.facebook.com/v21.0"
    token = "..."
    [x]
    url = "https://api.x.com/2"
    token = "..."

at `$WORKSTATION_SECRETS`, else `$XDG_CONFIG_HOME/workstation/secrets.toml` when it exists.
The file is shared with the webhook receiver and the CRM push, and read and checked by
`workstation.secretfile` only (mode 0600, known sections and keys). The environment wins over
the file.

A token lives in a `Secret`, whose repr and str are masked: it can be printed, logged or put
in an exception by mistake without leaking. Only `reveal()` gives it, for the auth header.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .. import secretfile
from ..db import ConfigError

DEFAULT_URLS = {"meta": "https://graph.facebook.com/v21.0", "x": "https://api.x.com/2"}
DEFAULT_TIMEOUT = 10.0


class Secret:
    """A token that does not show itself."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def reveal(self) -> str:
        return self._value

    def fingerprint(self) -> str:
        """A short, one-way name for the token (rate-limit keys): never the token itself."""
        return hashlib.sha256(self._value.encode()).hexdigest()[:12]

    def __repr__(self) -> str:
        return "Secret('********')"

    __str__ = __repr__

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Secret) and other._value == self._value

    def __hash__(self) -> int:
        return hash(self._value)

    def __reduce__(self) -> Any:
        raise TypeError("a Secret is not pickled")


@dataclass(frozen=True)
class Platform:
    name: str  # "meta" or "x"
    url: str
    token: Secret
    timeout: float = DEFAULT_TIMEOUT


def load(env: Mapping[str, str] = os.environ) -> dict[str, Platform]:
    """The configured platforms, by connector name ("meta", "x"); a platform without a token
    is not configured.

    Raises:
        ConfigError: the secrets file is missing, readable by others, not TOML, or holds an
        unknown section or key (one line, naming the file; see `workstation.secretfile`).
    """
    file_values = secretfile.read(env)
    timeout = _timeout(env.get("WORKSTATION_HTTP_TIMEOUT", ""))
    platforms: dict[str, Platform] = {}
    for name, default_url in DEFAULT_URLS.items():
        section = file_values.get(name, {})
        token = env.get(f"WORKSTATION_{name.upper()}_TOKEN") or section.get("token", "")
        url = env.get(f"WORKSTATION_{name.upper()}_URL") or section.get("url") or default_url
        if not url.startswith(("http://", "https://")):
            raise ConfigError(f"{name} URL must start with http:// or https://: {url!r}")
        if token:
            platforms[name] = Platform(name, url.rstrip("/"), Secret(token), timeout)
    return platforms


def _timeout(text: str) -> float:
    if not text:
        return DEFAULT_TIMEOUT
    try:
        value = float(text)
    except ValueError:
        raise ConfigError(f"WORKSTATION_HTTP_TIMEOUT: not a number: {text!r}") from None
    if value <= 0:
        raise ConfigError("WORKSTATION_HTTP_TIMEOUT: must be above zero")
    return value
