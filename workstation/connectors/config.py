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
The file must be readable by its owner only (mode 0600): anything looser is refused, because
a token others can read is a token others can use. The environment wins over the file.

A token lives in a `Secret`, whose repr and str are masked: it can be printed, logged or put
in an exception by mistake without leaking. Only `reveal()` gives it, for the auth header.
"""

from __future__ import annotations

import hashlib
import os
import stat
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .. import paths, tomllines
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


def secrets_path(env: Mapping[str, str]) -> Path | None:
    """The secrets file to read, if any: named by the environment, else the default one if it
    exists."""
    named = env.get("WORKSTATION_SECRETS")
    if named:
        return Path(named).expanduser()
    default = paths.config_dir() / "secrets.toml"
    return default if default.exists() else None


def load(env: Mapping[str, str] = os.environ) -> dict[str, Platform]:
    """The configured platforms, by connector name ("meta", "x"); a platform without a token
    is not configured.

    Raises:
        ConfigError: the secrets file is missing, readable by others, not TOML, or holds
        something other than `url` / `token` strings (one line, naming the file).
    """
    file_values = _read_file(secrets_path(env))
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


def _read_file(path: Path | None) -> dict[str, dict[str, str]]:
    if path is None:
        return {}
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except FileNotFoundError:
        raise ConfigError(f"{path}: secrets file not found") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read secrets file: {exc.strerror}") from None
    if mode & 0o077:
        raise ConfigError(f"{path}: secrets file has mode {mode:04o}, must be 0600 "
                          f"(run: chmod 600 {path})")
    try:
        source, data = tomllines.read(path)
    except tomllines.TomlProblems as exc:
        # A TOML error message quotes the offending line, which may hold a token: keep the
        # location only.
        raise ConfigError(exc.problems[0].split(": ", 1)[0] + ": not valid TOML") from None
    problems: list[tuple[tuple[str, ...], str]] = []
    result: dict[str, dict[str, str]] = {}
    for name, section in data.items():
        if name not in DEFAULT_URLS or not isinstance(section, dict):
            problems.append(((name,), f"unknown section [{name}] (known: meta, x)"))
            continue
        result[name] = {}
        for key, value in section.items():
            if key not in ("url", "token") or not isinstance(value, str):
                problems.append(((name, key), f"{name}.{key}: expected url or token, as text"))
            else:
                result[name][key] = value
    if problems:
        raise ConfigError(tomllines.located(path, source, problems)[0])
    return result
