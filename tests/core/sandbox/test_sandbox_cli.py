"""`workstation sandbox`: bad flags exit 2 with one line; a running sandbox announces where it
listens and feeds live traffic at the asked rate."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from workstation.cli import main


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["sandbox", "--faults", "500=2"], "workstation: error: --faults: '500=2': 2 is outside"),
        (["sandbox", "--rate", "-1"], "workstation: error: --rate must be 0 or more"),
    ],
)
def test_bad_flags_exit_2_with_one_line(argv: list[str], message: str,
                                        capsys: pytest.CaptureFixture[str]) -> None:
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert err.startswith(message) and err.count("\n") == 1


def test_the_command_serves_live_traffic_until_stopped() -> None:
    env = {**os.environ, "WORKSTATION_SANDBOX_TOKEN": "cli-token"}
    process = subprocess.Popen(
        [sys.executable, "-X", "faulthandler", "-m", "workstation.cli", "sandbox", "--port", "0",
         "--rate", "1200", "--seed", "3"], stdout=subprocess.PIPE, text=True, env=env,
        # A suite started in the background (`cmd &` in a script) runs with SIGINT ignored,
        # and an ignored signal stays ignored across exec: the sandbox never heard the ^C
        # below (faulthandler showed it still waiting). Give it the terminal's default.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    try:
        assert process.stdout is not None
        banner = process.stdout.readline()
        assert banner.startswith("sandbox on http://127.0.0.1:")
        assert "1200 messages/min" in banner
        exports = process.stdout.readline().split()
        assert exports[0] == "export"
        url = dict(e.split("=", 1) for e in exports[1:])["WORKSTATION_META_URL"]
        base = url.rsplit("/", 1)[0]
        assert "cli-token" not in process.stdout.readline()  # a given token is not echoed
        generated = 0
        for _ in range(100):  # waits for traffic; no timing is asserted
            generated = httpx.get(f"{base}/_sandbox/state").json()["generated"]
            if generated >= 3:
                break
            time.sleep(0.1)
        assert generated >= 3
        me = httpx.get(f"{url}/me", headers={"Authorization": "Bearer cli-token"})
        assert me.status_code == 200
    finally:
        process.send_signal(signal.SIGINT)
        try:  # a bound on a hung sandbox, not a timing assertion
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            # SIGABRT makes faulthandler print every thread's stack to the captured stderr.
            process.send_signal(signal.SIGABRT)
            process.wait(timeout=10)
            raise
    assert process.returncode == 130
