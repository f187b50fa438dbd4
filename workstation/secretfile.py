"""Secrets of the webhook receiver and the CRM push: environment first, then the secrets file.

The same file as the connectors' (`connectors.config.secrets_path`: `$WORKSTATION_SECRETS`,
else `$XDG_CONFIG_HOME/workstation/secrets.toml`), with the same rule: readable by its owner
only, or refused, because a leaked app secret lets anyone forge webhooks into the inbox and a
leaked CRM token lets anyone write to the CRM. This reads its own sections (`[meta]`'s
`app_secret` and `verify_token`, `[crm]`) and nothing else of the file. Values never appear
in an error message: a TOML error names the file and line only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from typing import Any

from . import tomllines
from .connectors.config import secrets_path
from .db import ConfigError


def read_section(section: str, env: Mapping[str, str] | None = None) -> dict[str, Any]:
    """One `[section]` of the secrets file; {} when there is no file.

    Raises:
        ConfigError: the file named by `WORKSTATION_SECRETS` is missing, the file is readable
            by others than its owner, or it is not valid TOML.
    """
    path = secrets_path(os.environ if env is None else env)
    if path is None:
        return {}
    try:
        mode = stat.S_IMODE(path.stat().st_mode)
    except OSError:
        raise ConfigError(f"{path}: secrets file not found or unreadable") from None
    if mode & 0o077:
        raise ConfigError(f"{path}: secrets file has mode {mode:04o}, must be 0600"
                          f" (run: chmod 600 {path})")
    try:
        _source, data = tomllines.read(path)
    except tomllines.TomlProblems as exc:
        raise ConfigError(exc.problems[0].split(": ", 1)[0] + ": not valid TOML") from None
    value = data.get(section, {})
    if not isinstance(value, dict):
        raise ConfigError(f"{path}: [{section}] must be a table")
    return value


def lookup(section: str, key: str, env_name: str, env: Mapping[str, str] | None = None,
           *, file: dict[str, Any] | None = None) -> str:
    """A secret or setting: the environment variable `env_name`, else `[section] key` of the
    file (`file`, when already read), else ''.

    Raises:
        ConfigError: the file's value is not text, or the file is unusable.
    """
    env = os.environ if env is None else env
    if env.get(env_name):
        return env[env_name]
    values = read_section(section, env) if file is None else file
    value = values.get(key, "")
    if not isinstance(value, str):
        raise ConfigError(f"{secrets_path(env)}: [{section}] {key} must be text")
    return value
