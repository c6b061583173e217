"""Retries: exponential backoff, Retry-After, which failures are retried, typed exhaustion."""

from __future__ import annotations

import io
import json
import socket
from collections.abc import AsyncIterator, Awaitable
from datetime import UTC, datetime

import httpx
import pytest

from aicaller.core.errors import ExternalServiceError, UpstreamHttpError
from aicaller.core.http import RetryPolicy, SafeHttpClient, parse_retry_after, send_with_retry
from tests.core.http_peer import LocalPeer, Reply, SleepRecorder, make_client


@pytest.fixture
async def peer() -> AsyncIterator[LocalPeer]:
    async with LocalPeer() as server:
        yield server


@pytest.fixture
def sleep() -> SleepRecorder:
    return SleepRecorder()


@pytest.fixture
async def http(sleep: SleepRecorder) -> AsyncIterator[SafeHttpClient]:
    async with make_client(sleep=sleep, allow_private_urls=True) as client:
        yield client


def dead_port() -> int:
    """A port with nothing listening: connecting to it is refused at once."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
    return port


async def test_server_errors_retried_with_doubling_delays(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    peer.route("/flaky", Reply(500), Reply(502), Reply(200, body=b"ok"))
    response = await http.fetch(peer.url("/flaky"))
    assert (response.status_code, response.content) == (200, b"ok")
    assert sleep.delays == [1.0, 2.0]
    assert len(peer.requests) == 3


async def test_client_errors_are_not_retried(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    peer.route("/missing", Reply(404, body=b"gone"))
    peer.route("/denied", Reply(403))
    assert (await http.fetch(peer.url("/missing"))).status_code == 404
    assert (await http.fetch(peer.url("/denied"))).status_code == 403
    assert sleep.delays == []
    assert len(peer.requests) == 2


@pytest.mark.parametrize(
    ("retry_after", "expected"),
    [("3", 3.0), ("0", 0.0), ("120", 60.0), ("Wed, 21 Oct 2015 07:28:00 GMT", 0.0)],
)
async def test_retry_after_replaces_the_backoff(
    retry_after: str, expected: float, http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    peer.route("/limited", Reply(429, {"Retry-After": retry_after}), Reply(200))
    assert (await http.fetch(peer.url("/limited"))).status_code == 200
    assert sleep.delays == [expected]  # bounded by the 60 s max delay; a past date is 0


async def test_exhausted_attempts_raise_with_the_last_status(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    peer.route("/down", Reply(500), Reply(503))
    with pytest.raises(UpstreamHttpError) as caught:
        await http.fetch(peer.url("/down?token=abc"))
    error = caught.value
    assert isinstance(error, ExternalServiceError)
    assert (error.status, error.code) == (502, "upstream_http_error")
    assert (error.upstream_status, error.attempts) == (503, 5)
    assert error.url == peer.url("/down")  # no query string: it may carry secrets
    assert sleep.delays == [1.0, 2.0, 4.0, 8.0]
    assert len(peer.requests) == 5


async def test_delays_follow_the_configured_base_and_cap(peer: LocalPeer) -> None:
    peer.route("/down", Reply(503))
    sleep = SleepRecorder()
    async with make_client(
        sleep=sleep,
        allow_private_urls=True,
        http_retry_attempts=6,
        http_retry_base_delay_seconds=0.5,
        http_retry_max_delay_seconds=3,
    ) as client:
        with pytest.raises(UpstreamHttpError):
            await client.fetch(peer.url("/down"))
    assert sleep.delays == [0.5, 1.0, 2.0, 3.0, 3.0]


async def test_retry_can_be_switched_off(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    peer.route("/down", Reply(500))
    with pytest.raises(UpstreamHttpError) as caught:
        await http.fetch(peer.url("/down"), retry=False)
    assert (caught.value.upstream_status, caught.value.attempts) == (500, 1)
    assert (sleep.delays, len(peer.requests)) == ([], 1)


async def test_connection_errors_retried(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    # aiohttp (the guarded fetch's transport) re-sends an idempotent request once, at once,
    # when the connection drops; then the policy's retries take over with their backoff.
    drops = [Reply(drop=True)] * 4
    peer.route("/", *drops, Reply(200, body=b"back"))
    assert (await http.fetch(peer.url("/"))).content == b"back"
    assert sleep.delays == [1.0, 2.0]
    assert len(peer.requests) == 5

    sleep.delays.clear()
    with pytest.raises(UpstreamHttpError, match="ConnectError") as caught:
        await http.fetch(f"http://127.0.0.1:{dead_port()}/")
    assert (caught.value.upstream_status, caught.value.attempts) == (None, 5)
    assert sleep.delays == [1.0, 2.0, 4.0, 8.0]


async def test_timeouts_retried(peer: LocalPeer) -> None:
    peer.route("/slow", Reply(200, delay=5), Reply(200, body=b"fast"))
    sleep = SleepRecorder()
    async with make_client(sleep=sleep, allow_private_urls=True, http_timeout_seconds=0.05) as c:
        assert (await c.fetch(peer.url("/slow"))).content == b"fast"
    assert sleep.delays == [1.0]


async def test_retries_are_logged_with_context(
    http: SafeHttpClient, peer: LocalPeer, log_output: io.StringIO
) -> None:
    peer.route("/flaky", Reply(503), Reply(200))
    await http.fetch(peer.url("/flaky?api_key=hunter2"))
    events = [json.loads(line) for line in log_output.getvalue().splitlines()]
    retries = [event for event in events if event["event"] == "http_retry"]
    assert len(retries) == 1
    assert retries[0]["url"] == peer.url("/flaky")
    assert (retries[0]["attempt"], retries[0]["status"], retries[0]["delay"]) == (1, 503, 1.0)
    ours = [event for event in events if event["logger"].startswith("aicaller")]
    assert "hunter2" not in json.dumps(ours)


async def test_send_with_retry_serves_api_clients(
    http: SafeHttpClient, peer: LocalPeer, sleep: SleepRecorder
) -> None:
    """Trusted API calls use the raw client with the same policy."""
    peer.route("/v1/chat", Reply(502), Reply(200, body=b'{"ok": true}'))
    response = await send_with_retry(
        lambda: http.client.post(peer.url("/v1/chat"), json={"q": 1}), http.retry_policy
    )
    assert response.json() == {"ok": True}
    assert sleep.delays == [1.0]


async def test_non_idempotent_calls_retry_only_unsent_requests(peer: LocalPeer) -> None:
    sleep = SleepRecorder()
    policy = RetryPolicy(attempts=3, sleep=sleep)
    peer.route("/calls", Reply(500), Reply(201))
    peer.route("/limited", Reply(429, {"Retry-After": "2"}), Reply(201))
    peer.route("/slow", Reply(201, delay=10))
    # Only reads time out quickly: a connect or a read that is slow because the machine is busy
    # must not look like a lost request.
    async with httpx.AsyncClient(timeout=httpx.Timeout(10.0, read=1.0)) as client:

        def post(path: str) -> Awaitable[httpx.Response]:
            return client.post(peer.url(path), content=b"{}")

        # A 500 after a POST may have placed the call: returned, not repeated.
        response = await send_with_retry(lambda: post("/calls"), policy, idempotent=False)
        assert response.status_code == 500
        # 429 means "not processed": safe to repeat after the server's delay.
        response = await send_with_retry(lambda: post("/limited"), policy, idempotent=False)
        assert response.status_code == 201
        # A read timeout may hide a processed request: not retried.
        with pytest.raises(UpstreamHttpError, match="ReadTimeout"):
            await send_with_retry(lambda: post("/slow"), policy, idempotent=False)
        # A refused connection never reached the peer: retried.
        with pytest.raises(UpstreamHttpError) as caught:
            await send_with_retry(
                lambda: client.post(f"http://127.0.0.1:{dead_port()}/"), policy, idempotent=False
            )
    assert caught.value.attempts == 3
    assert sleep.delays == [2.0, 1.0, 2.0]
    assert [seen.target for seen in peer.requests] == ["/calls", "/limited", "/limited", "/slow"]


def test_parse_retry_after() -> None:
    now = datetime(2026, 1, 1, 12, 0, 0, tzinfo=UTC)
    assert parse_retry_after("7") == 7.0
    assert parse_retry_after(" 7 ") == 7.0
    assert parse_retry_after("Thu, 01 Jan 2026 12:00:30 GMT", now=now) == 30.0
    assert parse_retry_after("Thu, 01 Jan 2026 11:00:00 GMT", now=now) == 0.0
    assert parse_retry_after("soon") is None
    assert parse_retry_after("-5") is None


def test_policy_validates_and_computes_backoff() -> None:
    policy = RetryPolicy(attempts=5, base_delay=1, max_delay=5)
    assert [policy.backoff(n) for n in range(1, 6)] == [1, 2, 4, 5, 5]
    with pytest.raises(ValueError, match="attempts"):
        RetryPolicy(attempts=0)
