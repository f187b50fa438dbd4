"""Tokens from the environment or a 0600 secrets file; never in a repr, a log line or an
error message."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from tests.sandbox_control import TOKEN, Control, Make, env_for
from workstation.connectors import config, configured
from workstation.connectors.base import ConnectorError
from workstation.db import ConfigError
from workstation.sandbox import SandboxServer


def secrets(tmp_path: Path, body: str, mode: int = 0o600) -> Path:
    path = tmp_path / "secrets.toml"
    path.write_text(body, encoding="utf-8")
    path.chmod(mode)
    return path


def test_environment_configures_each_platform_with_a_token() -> None:
    platforms = config.load({"WORKSTATION_X_TOKEN": "abc"})
    assert list(platforms) == ["x"]
    assert platforms["x"].url == "https://api.x.com/2"
    assert config.load({}) == {}


def test_a_private_secrets_file_is_read_and_the_environment_wins(tmp_path: Path) -> None:
    path = secrets(tmp_path, '[meta]\nurl = "http://127.0.0.1:1/v21.0"\ntoken = "from-file"\n'
                             '[x]\ntoken = "x-file"\n')
    platforms = config.load({"WORKSTATION_SECRETS": str(path), "WORKSTATION_X_TOKEN": "x-env"})
    assert platforms["meta"].token.reveal() == "from-file"
    assert platforms["meta"].url == "http://127.0.0.1:1/v21.0"
    assert platforms["x"].token.reveal() == "x-env"


def test_the_default_secrets_file_is_found_in_the_config_dir(private_home: Path) -> None:
    folder = private_home / "config" / "workstation"
    folder.mkdir(parents=True)
    secrets(folder, '[x]\ntoken = "x-default"\n')
    assert config.load({})["x"].token.reveal() == "x-default"


@pytest.mark.parametrize("mode", [0o644, 0o640, 0o604, 0o660])
def test_a_secrets_file_others_can_read_is_refused(tmp_path: Path, mode: int) -> None:
    path = secrets(tmp_path, f'[meta]\ntoken = "{TOKEN}"\n', mode)
    with pytest.raises(ConfigError) as caught:
        config.load({"WORKSTATION_SECRETS": str(path)})
    message = str(caught.value)
    assert message == (f"{path}: secrets file has mode {mode:04o}, must be 0600 "
                       f"(run: chmod 600 {path})")
    assert TOKEN not in message


@pytest.mark.parametrize(
    ("body", "reason"),
    [
        (f'[meta]\ntoken = "{TOKEN}\n', "not valid TOML"),
        (f'[meta]\ntoken = "{TOKEN}"\n[tiktok]\ntoken = "x"\n', ":3: unknown section [tiktok]"),
        (f'[meta]\ntoken = "{TOKEN}"\nsecret = "s"\n', ":3: meta.secret: unknown key"),
        (f'[meta]\ntoken = "{TOKEN}"\n[crm]\nwebhook_url = 3\n',
         ":4: crm.webhook_url: must be text"),
    ],
)
def test_bad_secrets_files_give_one_line_without_the_token(tmp_path: Path, body: str,
                                                           reason: str) -> None:
    path = secrets(tmp_path, body)
    with pytest.raises(ConfigError) as caught:
        config.load({"WORKSTATION_SECRETS": str(path)})
    message = str(caught.value)
    assert reason in message and message.startswith(str(path))
    assert TOKEN not in message and "\n" not in message


def test_a_missing_named_secrets_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="secrets file not found"):
        configured(None, {"WORKSTATION_SECRETS": str(tmp_path / "nope.toml")})


def test_a_bad_timeout_is_an_error() -> None:
    with pytest.raises(ConfigError, match="WORKSTATION_HTTP_TIMEOUT"):
        config.load({"WORKSTATION_HTTP_TIMEOUT": "soon"})


def test_tokens_never_show_in_reprs_logs_or_errors(
    sandbox: SandboxServer, make: Make, control: Control, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)  # httpx and httpcore included
    connectors = configured(None, env_for(sandbox))
    shown = [repr(c) for c in connectors] + [repr(config.load(env_for(sandbox)))]
    errors: list[str] = []
    control.inject("instagram_dm", "bonjour")
    for spec in ("", "500=every:2", "rate=every:1", "malformed=every:1", "drop=every:1",
                 "timeout=every:1,hold=1"):
        control.faults(spec)
        for platform in ("meta", "x"):
            connector = make(platform)
            try:
                for stream in connector.streams():
                    list(connector.poll(stream, ""))
            except ConnectorError as exc:
                errors.append(f"{exc!s} {exc!r} {exc.__cause__!r} {exc.__context__!r}")
    for connector in connectors:
        connector.close()
    assert len(errors) >= 8
    assert "HTTP Request" in caplog.text  # httpx did log its requests
    for text in [*shown, *errors, caplog.text]:
        assert TOKEN not in text


def test_a_url_that_is_not_http_is_an_error() -> None:
    with pytest.raises(ConfigError, match="x URL must start with http:// or https://"):
        config.load({"WORKSTATION_X_URL": "/2", "WORKSTATION_X_TOKEN": "t"})


def test_sync_refuses_to_start_on_an_unsafe_secrets_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    from workstation.cli import main

    path = secrets(tmp_path, f'[x]\ntoken = "{TOKEN}"\n', 0o644)
    monkeypatch.setenv("WORKSTATION_SECRETS", str(path))
    assert main(["--db", f"sqlite:///{tmp_path / 's.db'}", "sync", "--once"]) == 2
    err = capsys.readouterr().err
    assert err == (f"workstation: error: {path}: secrets file has mode 0644, must be 0600 "
                   f"(run: chmod 600 {path})\n")
