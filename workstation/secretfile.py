"""The secrets file: the one place that finds, checks and reads it, for every part that needs
a secret (the connectors, the webhook receiver, the CRM push).

`$WORKSTATION_SECRETS`, else `$XDG_CONFIG_HOME/workstation/secrets.toml` when it exists:

    [meta]                   # connectors: url, token; webhook receiver: app_secret, verify_token
    [x]                      # connectors: url, token
    [crm]                    # CRM push: hubspot_url, hubspot_token, webhook_url, webhook_secret

One reader, one schema: the file is checked whole, whoever reads it, so a key meant for one
part never makes another refuse to start, and a typo (`tokn`) is refused by all of them
with `FILE:LINE: reason` instead of being silently ignored. It must be readable by its owner
only (mode 0600): a token, an app secret or a CRM key others can read is one others can use.
Values never appear in an error message: a TOML error names the file and line only.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Mapping
from pathlib import Path

from . import paths, tomllines
from .db import ConfigError

KEYS: dict[str, tuple[str, ...]] = {
    "meta": ("url", "token", "app_secret", "verify_token"),
    "x": ("url", "token"),
    "crm": ("hubspot_url", "hubspot_token", "webhook_url", "webhook_secret"),
}
"""Every section and key the file may hold; each value is text."""


def secrets_path(env: Mapping[str, str]) -> Path | None:
    """The secrets file to read, if any: named by the environment, else the default one if it
    exists."""
    named = env.get("WORKSTATION_SECRETS")
    if named:
        return Path(named).expanduser()
    default = paths.config_dir() / "secrets.toml"
    return default if default.exists() else None


def read(env: Mapping[str, str] | None = None) -> dict[str, dict[str, str]]:
    """The whole file, checked, by section; {} when there is none.

    Raises:
        ConfigError: the file named by `WORKSTATION_SECRETS` is missing or unreadable, the
            file is readable by others than its owner, it is not TOML, or it holds a section
            or key outside `KEYS` or a value that is not text (one line, `FILE:LINE: reason`).
    """
    path = secrets_path(os.environ if env is None else env)
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
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read secrets file: {exc.strerror}") from None
    problems: list[tuple[tuple[str, ...], str]] = []
    result: dict[str, dict[str, str]] = {}
    for name, section in data.items():
        if name not in KEYS or not isinstance(section, dict):
            problems.append(((name,), f"unknown section [{name}] (known: {', '.join(KEYS)})"))
            continue
        result[name] = {}
        for key, value in section.items():
            if key not in KEYS[name]:
                problems.append(((name, key), f"{name}.{key}: unknown key (known: "
                                              f"{', '.join(KEYS[name])})"))
            elif not isinstance(value, str):
                problems.append(((name, key), f"{name}.{key}: must be text (in quotes)"))
            else:
                result[name][key] = value
    if problems:
        raise ConfigError(tomllines.located(path, source, problems)[0])
    return result


def read_section(section: str, env: Mapping[str, str] | None = None) -> dict[str, str]:
    """One section of the checked file ({} when absent); see `read` for what is refused."""
    if section not in KEYS:
        raise ValueError(f"no section {section!r} in the secrets file's schema")
    return read(env).get(section, {})


def lookup(section: str, key: str, env_name: str, env: Mapping[str, str] | None = None,
           *, file: Mapping[str, str] | None = None) -> str:
    """A secret or setting: the environment variable `env_name`, else `[section] key` of the
    file (`file`, that section when already read), else ''.

    Raises:
        ConfigError: the file is unusable (see `read`).
    """
    if key not in KEYS.get(section, ()):
        raise ValueError(f"no key {section}.{key} in the secrets file's schema")
    environ = os.environ if env is None else env
    if environ.get(env_name):
        return environ[env_name]
    values = read_section(section, env) if file is None else file
    return values.get(key, "")
