"""The receiver's two secrets, from the environment or the secrets file (`[meta]`).

`WORKSTATION_META_APP_SECRET` / `app_secret` signs every delivery (Meta's App Secret);
`WORKSTATION_META_VERIFY_TOKEN` / `verify_token` is the string typed in the App Dashboard
for the subscription handshake. See `workstation.secretfile` for the file's rules.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from workstation.db import ConfigError
from workstation.secretfile import lookup, read_section


@dataclass(frozen=True, slots=True)
class MetaSecrets:
    """What Meta and we share: the app secret (signatures) and the verify token (handshake)."""

    app_secret: str
    verify_token: str

    def __repr__(self) -> str:  # never print a secret, even in a traceback
        return "MetaSecrets(<hidden>)"


def load_secrets(env: Mapping[str, str] | None = None) -> MetaSecrets:
    """The receiver's secrets.

    Raises:
        ConfigError: no app secret anywhere (without it no delivery can be trusted), or the
            secrets file is unsafe or unreadable.
    """
    file = read_section("meta", env)
    secrets = MetaSecrets(
        app_secret=lookup("meta", "app_secret", "WORKSTATION_META_APP_SECRET", env, file=file),
        verify_token=lookup("meta", "verify_token", "WORKSTATION_META_VERIFY_TOKEN", env,
                            file=file),
    )
    if not secrets.app_secret:
        raise ConfigError("no Meta app secret: set WORKSTATION_META_APP_SECRET or app_secret"
                          " under [meta] in the secrets file")
    return secrets
