"""Where leads go: CRM targets from the environment or the secrets file's `[crm]` section
(environment variable / key):

- `WORKSTATION_HUBSPOT_TOKEN` / `hubspot_token`: a HubSpot private-app token; turns
  HubSpot on. `WORKSTATION_HUBSPOT_URL` / `hubspot_url`: the API base (default
  https://api.hubapi.com).
- `WORKSTATION_CRM_WEBHOOK_URL` / `webhook_url`: where signed lead events are POSTed; turns
  the webhook on. `WORKSTATION_CRM_WEBHOOK_SECRET` / `webhook_secret`: its signing key
  (`whsec_<base64>` as Standard Webhooks issue them, or any string); required with the URL.

Tokens and keys stay in memory: they never reach the store, a log line or `crm status`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from urllib.parse import urlsplit

from workstation.db import ConfigError
from workstation.secretfile import lookup, read_section

HUBSPOT_DEFAULT = "https://api.hubapi.com"


@dataclass(frozen=True, slots=True, repr=False)
class HubSpotTarget:
    """HubSpot CRM v3: contacts upserted by e-mail, a note with the transcript on each."""

    token: str
    base_url: str = HUBSPOT_DEFAULT
    timeout: float = 15.0
    batch: int = 50
    """Contacts per upsert call (HubSpot takes up to 100); with one note call per contact,
    a run stays well inside the per-ten-second request limit."""
    name: str = "hubspot"

    def __repr__(self) -> str:
        return f"HubSpotTarget({self.base_url!r}, token=<hidden>)"


@dataclass(frozen=True, slots=True, repr=False)
class WebhookTarget:
    """Any HTTPS endpoint: lead events signed as Standard Webhooks."""

    url: str
    secret: str
    timeout: float = 15.0
    name: str = "webhook"

    def __repr__(self) -> str:
        return f"WebhookTarget({self.url!r}, secret=<hidden>)"


Target = HubSpotTarget | WebhookTarget


def load_targets(env: Mapping[str, str] | None = None) -> list[Target]:
    """The configured targets, HubSpot first; [] when none is configured.

    Raises:
        ConfigError: a URL that is not http(s), a webhook without a secret, or an unsafe
            secrets file.
    """
    file = read_section("crm", env)
    targets: list[Target] = []
    token = lookup("crm", "hubspot_token", "WORKSTATION_HUBSPOT_TOKEN", env, file=file)
    if token:
        base = lookup("crm", "hubspot_url", "WORKSTATION_HUBSPOT_URL", env, file=file)
        targets.append(HubSpotTarget(token=token, base_url=_url(base or HUBSPOT_DEFAULT,
                                                                "HubSpot URL")))
    url = lookup("crm", "webhook_url", "WORKSTATION_CRM_WEBHOOK_URL", env, file=file)
    if url:
        secret = lookup("crm", "webhook_secret", "WORKSTATION_CRM_WEBHOOK_SECRET", env,
                        file=file)
        if not secret:
            raise ConfigError("the CRM webhook has no signing secret: set"
                              " WORKSTATION_CRM_WEBHOOK_SECRET or webhook_secret under [crm]")
        targets.append(WebhookTarget(url=_url(url, "CRM webhook URL"), secret=secret))
    return targets


def _url(value: str, what: str) -> str:
    parts = urlsplit(value)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ConfigError(f"{what} must be an http(s) URL")
    return value.rstrip("/")
