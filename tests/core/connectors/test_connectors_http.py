"""Every failure is classified into the class that tells the worker what to do: against the
sandbox's injected faults over real HTTP, and (status and code tables) with MockTransport."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from tests.sandbox_control import Control, Make
from workstation.connectors import config
from workstation.connectors.base import (
    Malformed, OutcomeUnknown, Outgoing, RateLimited, Rejected, Transient,
)  # fmt: skip
from workstation.connectors.http import HttpClient
from workstation.connectors.meta import MetaConnector
from workstation.connectors.ratelimit import Limiter
from workstation.connectors.x import XConnector




# ----------------------------------------------------------------- faults over HTTP
@pytest.mark.parametrize(
    ("spec", "read_error", "write_error"),
    [
        ("500=every:1", Transient, Transient),
        ("timeout=every:1,hold=2", Transient, OutcomeUnknown),
        ("malformed=every:1", Malformed, OutcomeUnknown),
        ("drop=every:1", Transient, OutcomeUnknown),
    ],
)
@pytest.mark.parametrize("platform", ["meta", "x"])
def test_each_fault_is_classified_for_reads_and_writes(
    make: Make, control: Control, platform: str, spec: str, read_error: type[Exception],
    write_error: type[Exception],
) -> None:
    connector = make(platform)
    channel = "instagram_comment" if platform == "meta" else "x_mention"
    target = control.inject(channel, "hello")
    stream = connector.streams()[0]
    connector.ids if platform == "meta" else connector.me  # noqa: B018
    control.faults(spec)
    before = control.state()["requests"]
    with pytest.raises(read_error):
        list(connector.poll(stream, ""))
    assert control.state()["requests"] - before == 3  # a read is tried three times
    reply = Outgoing(1, "public", "instagram" if platform == "meta" else "x", "comment",
                     target["id"], target["id"], target["author"], "Bonjour !", "k")
    before = control.state()["requests"]
    with pytest.raises(write_error):
        connector.send(reply)
    assert control.state()["requests"] - before == 1  # a write is never retried blindly


@pytest.mark.parametrize("platform", ["meta", "x"])
def test_rate_limit_faults_raise_rate_limited_with_the_wait(make: Make, control: Control,
                                                            platform: str) -> None:
    control.faults("rate=every:1,reset=7")
    codes = set()
    for _ in range(4 if platform == "meta" else 1):
        connector = make(platform)  # a fresh client each time: no block remembered
        with pytest.raises(RateLimited) as caught:
            list(connector.poll(connector.streams()[0], ""))
        codes.add(caught.value.code)
        assert 5 <= caught.value.retry_after <= 9
    assert codes == ({"4", "17", "32", "613"} if platform == "meta" else {"429"})


def test_a_wrong_token_is_rejected_not_retried(make: Make, control: Control,
                                               sandbox: Any) -> None:
    platform = config.Platform("meta", sandbox.meta_url, config.Secret("wrong"), 0.5)
    client = HttpClient(platform, Limiter(None, "meta:test"), sleep=lambda _s: None)
    try:
        with pytest.raises(Rejected, match="code 190"):
            MetaConnector(client).ids  # noqa: B018
    finally:
        client.close()
    x_platform = config.Platform("x", sandbox.x_url, config.Secret("wrong"), 0.5)
    x_client = HttpClient(x_platform, Limiter(None, "x:test"), sleep=lambda _s: None)
    try:
        with pytest.raises(Rejected, match="HTTP 401"):
            XConnector(x_client).me  # noqa: B018
    finally:
        x_client.close()


# ----------------------------------------------------------------- status and code tables
def client_for(platform: str, handler: Any, sleeps: list[float] | None = None) -> HttpClient:
    spot = config.Platform(platform, "https://api.example", config.Secret("t"), 1.0)
    return HttpClient(spot, Limiter(None, f"{platform}:test"),
                      transport=httpx.MockTransport(handler),
                      sleep=(sleeps.append if sleeps is not None else lambda _s: None))


def answer(status: int, body: Any, headers: dict[str, str] | None = None) -> Any:
    raw = body if isinstance(body, bytes) else json.dumps(body).encode()
    return lambda _request: httpx.Response(status, content=raw, headers=headers or {})


def meta_error(code: int, **extra: Any) -> dict[str, Any]:
    return {"error": {"message": "m", "type": "OAuthException", "code": code, **extra}}


@pytest.mark.parametrize(
    ("status", "body", "write", "expected"),
    [
        (403, meta_error(4), False, RateLimited),
        (400, meta_error(17), True, RateLimited),
        (403, meta_error(32), False, RateLimited),
        (400, meta_error(613), False, RateLimited),
        (400, meta_error(80002), False, RateLimited),
        (400, meta_error(190), False, Rejected),
        (400, meta_error(10, error_subcode=2018278), True, Rejected),
        (400, meta_error(100), True, Rejected),
        (500, meta_error(2, is_transient=True), True, Transient),
        (400, meta_error(1), False, Transient),
        (502, b"<html>bad gateway</html>", False, Transient),
        (502, b"<html>bad gateway</html>", True, OutcomeUnknown),
        (200, b'{"data": [', False, Malformed),
        (200, b'{"id": ', True, OutcomeUnknown),
        (404, b"", False, Rejected),
    ],
)
def test_meta_classification(status: int, body: Any, write: bool,
                             expected: type[Exception]) -> None:
    client = client_for("meta", answer(status, body))
    with pytest.raises(expected):
        client.write("POST", "x") if write else client.get("x")


@pytest.mark.parametrize(
    ("status", "body", "write", "expected"),
    [
        (429, {"title": "Too Many Requests"}, False, RateLimited),
        (403, {"title": "Forbidden", "detail": "no", "status": 403}, True, Rejected),
        (401, {"title": "Unauthorized", "detail": "Unauthorized", "status": 401}, False, Rejected),
        (400, {"errors": [{"message": "bad"}], "title": "Invalid Request"}, False, Rejected),
        (503, {"title": "Service Unavailable", "detail": "over capacity"}, True, Transient),
        (500, b"", True, OutcomeUnknown),
        (200, b"not json", False, Malformed),
    ],
)
def test_x_classification(status: int, body: Any, write: bool, expected: type[Exception]) -> None:
    client = client_for("x", answer(status, body))
    with pytest.raises(expected):
        client.write("POST", "x") if write else client.get("x")


def test_x_429_waits_until_the_reset_header() -> None:
    import time

    reset = str(int(time.time()) + 40)
    client = client_for("x", answer(429, {"title": "Too Many Requests"},
                                    {"x-rate-limit-reset": reset, "x-rate-limit-remaining": "0",
                                     "x-rate-limit-limit": "75"}))
    with pytest.raises(RateLimited) as caught:
        client.get("users/1/mentions")
    assert 35 <= caught.value.retry_after <= 41


def test_reads_back_off_with_jitter_then_succeed() -> None:
    calls = []

    def flaky(request: httpx.Request) -> httpx.Response:
        calls.append(request)
        if len(calls) < 3:
            return httpx.Response(503, json={"title": "Service Unavailable", "detail": "busy"})
        return httpx.Response(200, json={"data": []})

    sleeps: list[float] = []
    client = client_for("x", flaky, sleeps)
    assert client.get("dm_events") == {"data": []}
    assert len(calls) == 3
    assert 0.25 <= sleeps[0] <= 0.5 and 0.5 <= sleeps[1] <= 1.0  # doubling, jittered


def test_the_token_goes_in_a_header_never_in_the_url() -> None:
    seen: list[httpx.Request] = []

    def record(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        return httpx.Response(200, json={})

    client_for("meta", record).get("me", {"fields": "id"})
    assert seen[0].headers["authorization"] == "Bearer t"
    assert "t" not in dict(seen[0].url.params).values() and "access_token" not in str(seen[0].url)


def test_a_success_without_the_created_id_is_unknown_for_a_write_malformed_for_a_read(
) -> None:
    x = XConnector(client_for("x", answer(201, {"data": {}})))
    x._me = {"id": "1", "username": "brand"}  # noqa: SLF001  (skip the account lookup)
    reply = Outgoing(1, "public", "x", "mention", "5", "5", "9", "Hi", "k")
    with pytest.raises(OutcomeUnknown, match="answer without data.id"):
        x.send(reply)
    meta = MetaConnector(client_for("meta", answer(200, {"name": "no id"})))
    with pytest.raises(Malformed, match="answer without id"):
        meta.ids  # noqa: B018


@pytest.mark.parametrize("platform", ["meta", "x"])
def test_a_poll_waits_out_short_rate_limits_and_completes(make: Make, control: Control,
                                                          platform: str) -> None:
    import time

    connector = make(platform, sleep=time.sleep)  # really waits (about a second per limit)
    channel = "instagram_dm" if platform == "meta" else "x_dm"
    made = [control.inject(channel, f"hello {n}") for n in range(5)]
    control.faults("rate=every:4,reset=1" if platform == "meta" else "rate=every:2,reset=1")
    stream = "instagram:dm" if platform == "meta" else "x:dm"
    events = [e for page in connector.poll(stream, "") for e in page.events]
    assert {m["id"] for m in made} <= {e["id"] for e in events}
    assert control.state()["faults"]["rate"] >= 1
