"""Where CRM targets and the receiver's secrets come from, and what is refused."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from workstation.cli import main
from workstation.crm import signing
from workstation.crm.config import HubSpotTarget, WebhookTarget, load_targets
from workstation.db import ConfigError
from workstation.webhooks.config import load_secrets


def secrets_file(tmp_path: Path, text: str, mode: int = 0o600) -> dict[str, str]:
    path = tmp_path / "secrets.toml"
    path.write_text(text)
    os.chmod(path, mode)
    return {"WORKSTATION_SECRETS": str(path)}


def test_nothing_configured_means_no_target() -> None:
    assert load_targets({}) == []


def test_targets_come_from_the_environment_before_the_file(tmp_path: Path) -> None:
    env = secrets_file(tmp_path, '[crm]\nhubspot_token = "file-token"\n'
                                 'webhook_url = "https://crm.example/hook"\n'
                                 'webhook_secret = "file-secret"\n')
    env["WORKSTATION_HUBSPOT_TOKEN"] = "env-token"
    hub, hook = load_targets(env)
    assert isinstance(hub, HubSpotTarget) and hub.token == "env-token"
    assert hub.base_url == "https://api.hubapi.com"
    assert isinstance(hook, WebhookTarget) and hook.secret == "file-secret"
    assert "env-token" not in repr(hub) and "file-secret" not in repr(hook)


@pytest.mark.parametrize("env, reason", [
    ({"WORKSTATION_CRM_WEBHOOK_URL": "https://crm.example/hook"}, "no signing secret"),
    ({"WORKSTATION_HUBSPOT_TOKEN": "t", "WORKSTATION_HUBSPOT_URL": "ftp://x"}, "http(s)"),
])
def test_unusable_settings_are_config_errors(env: dict[str, str], reason: str) -> None:
    with pytest.raises(ConfigError, match=reason.replace("(", r"\(").replace(")", r"\)")):
        load_targets(env)


def test_a_secrets_file_others_can_read_is_refused(tmp_path: Path) -> None:
    env = secrets_file(tmp_path, '[crm]\nhubspot_token = "t"\n', mode=0o644)
    with pytest.raises(ConfigError, match="must be 0600"):
        load_targets(env)


def test_a_broken_secrets_file_names_its_line_not_its_content(tmp_path: Path) -> None:
    env = secrets_file(tmp_path, '[meta]\napp_secret = "s3cr3t\n')
    with pytest.raises(ConfigError) as caught:
        load_secrets(env)
    assert "secrets.toml:2" in str(caught.value) and "s3cr3t" not in str(caught.value)


def test_the_receiver_needs_an_app_secret(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no Meta app secret"):
        load_secrets({})
    env = secrets_file(tmp_path, '[meta]\napp_secret = "a"\nverify_token = "v"\n')
    secrets = load_secrets(env)
    assert (secrets.app_secret, secrets.verify_token) == ("a", "v")
    assert "a" not in repr(secrets).replace("MetaSecrets", "").replace("hidden", "")


def test_the_commands_stop_with_one_line_when_unconfigured(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
) -> None:
    for name in ("WORKSTATION_META_APP_SECRET", "WORKSTATION_HUBSPOT_TOKEN",
                 "WORKSTATION_CRM_WEBHOOK_URL", "WORKSTATION_SECRETS"):
        monkeypatch.delenv(name, raising=False)
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert main(["--db", db, "webhook", "--port", "0"]) == 2
    assert main(["--db", db, "crm", "push"]) == 2
    errors = capsys.readouterr().err.strip().splitlines()
    assert len(errors) == 2 and all(e.startswith("workstation: error:") for e in errors)
    assert main(["--db", db, "crm", "status"]) == 0


def test_a_standard_webhooks_signature_binds_id_timestamp_and_body() -> None:
    secret, now = "whsec_" + "c2VjcmV0", int(time.time())
    headers = signing.headers(secret, "msg_1", now, b'{"a":1}')
    assert signing.verify(secret, headers, b'{"a":1}', now=now)
    assert not signing.verify(secret, headers, b'{"a":2}', now=now)
    assert not signing.verify("whsec_b3RoZXI=", headers, b'{"a":1}', now=now)
    assert not signing.verify(secret, {**headers, "webhook-id": "msg_2"}, b'{"a":1}', now=now)
    assert not signing.verify(secret, headers, b'{"a":1}', now=now + 301)  # a replay
