"""One secrets file for the connectors, the webhook receiver and the CRM push, read and
checked by `workstation.secretfile` alone: each part takes its keys, none refuses the others'."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.sandbox_control import TOKEN, Control
from workstation.cli import main
from workstation.connectors import configured
from workstation.crm.config import HubSpotTarget, WebhookTarget, load_targets
from workstation.sandbox import SandboxServer
from workstation.webhooks.config import load_secrets

FULL = """\
[meta]
url = "{meta_url}"
token = "{token}"
app_secret = "app-secret-1"
verify_token = "verify-1"

[x]
url = "{x_url}"
token = "{token}"

[crm]
hubspot_url = "http://127.0.0.1:9/hub"
hubspot_token = "hub-token-1"
webhook_url = "https://crm.example/hook"
webhook_secret = "whsec_c2VjcmV0"
"""


def write(tmp_path: Path, body: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(body, encoding="utf-8")
    path.chmod(mode)
    return path


def test_one_file_with_every_section_serves_sync_webhook_and_crm(
    tmp_path: Path, sandbox: SandboxServer, control: Control
) -> None:
    path = write(tmp_path, FULL.format(meta_url=sandbox.meta_url, x_url=sandbox.x_url,
                                       token=TOKEN))
    env = {"WORKSTATION_SECRETS": str(path)}
    connectors = configured(None, env)
    try:
        assert [c.name for c in connectors] == ["meta", "x"]
        made = control.inject("instagram_dm", "bonjour")
        polled = [e for page in connectors[0].poll("instagram:dm", "") for e in page.events]
        assert made["id"] in {e["id"] for e in polled}  # the file's token reached the sandbox
    finally:
        for connector in connectors:
            connector.close()
    secrets = load_secrets(env)
    assert (secrets.app_secret, secrets.verify_token) == ("app-secret-1", "verify-1")
    hub, hook = load_targets(env)
    assert isinstance(hub, HubSpotTarget) and hub.token == "hub-token-1"
    assert hub.base_url == "http://127.0.0.1:9/hub"
    assert isinstance(hook, WebhookTarget) and hook.secret == "whsec_c2VjcmV0"


@pytest.mark.parametrize("command", [["sync", "--once"], ["webhook", "--port", "0"],
                                     ["crm", "push"]])
@pytest.mark.parametrize(("body", "mode", "reason"), [
    ('[crm]\nhubspot_tokn = "t"\n', 0o600, ":2: crm.hubspot_tokn: unknown key (known: "
                                           "hubspot_url, hubspot_token, webhook_url, "
                                           "webhook_secret)"),
    ('[meta]\napp_secret = "a"\n[hubspot]\ntoken = "t"\n', 0o600,
     ":3: unknown section [hubspot] (known: meta, x, crm)"),
    ('[meta]\napp_secret = "a"\n', 0o640, ": secrets file has mode 0640, must be 0600"),
])
def test_every_command_refuses_a_bad_file_with_one_line_and_exit_2(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str],
    command: list[str], body: str, mode: int, reason: str,
) -> None:
    path = write(tmp_path, body, mode)
    for name in ("WORKSTATION_META_APP_SECRET", "WORKSTATION_HUBSPOT_TOKEN",
                 "WORKSTATION_CRM_WEBHOOK_URL", "WORKSTATION_META_TOKEN", "WORKSTATION_X_TOKEN"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("WORKSTATION_SECRETS", str(path))
    assert main(["--db", f"sqlite:///{tmp_path / 's.db'}", *command]) == 2
    err = capsys.readouterr().err
    assert err.startswith(f"workstation: error: {path}") and reason in err
    assert err.count("\n") == 1 and '"t"' not in err and '"a"' not in err
