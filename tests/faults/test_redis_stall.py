"""A stalled Redis (a SIGSTOPped server: connections open, nothing answered) must not hang live
calls or readiness; once Redis answers again everything uses it again."""

from __future__ import annotations

import asyncio
import io

import httpx
from fastapi import FastAPI

from aicaller.core.events import Subscription
from tests.agent.clinic import say, set_up_clinic, start_call
from tests.factories import PASSWORD, Tenant, login
from tests.faults.conftest import needs_services
from tests.faults.proxy import TcpProxy
from tests.telephony.twilio_client import TwilioCall

pytestmark = needs_services
# Far above any answer's budget: only a request that waits on Redis itself gets near it.
HANG = 10.0


async def _live_traffic(client: httpx.AsyncClient, tenant: Tenant, call_sid: str) -> None:
    """What callers and the readiness probe do: a web test call, a turn, a phone call's turn."""
    started = await start_call(client, tenant)
    answer = await say(client, tenant, started["call"]["id"], "How much is a cleaning?")
    assert "$120" in answer["reply"]["text"]
    phone = TwilioCall(client, call_sid=call_sid)
    greeting = await phone.connect()
    assert greeting.status_code == 200, greeting.text
    reply = await phone.speak("do you take Cigna insurance?")
    assert reply.status_code == 200, reply.text
    assert "Cigna" in reply.text


async def test_a_stalled_redis_hangs_no_call_and_no_probe(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, redis_proxy: TcpProxy
) -> None:
    await set_up_clinic(client, tenant)
    async with asyncio.timeout(HANG):
        await _live_traffic(client, tenant, "CA" + "01" * 16)

    redis_proxy.pause()
    async with asyncio.timeout(HANG):
        await _live_traffic(client, tenant, "CA" + "02" * 16)
        # Rate limits fall back to per-process windows: signing in still works (and is limited).
        await login(client, tenant.emails["agent"], PASSWORD)
        ready = await client.get("/health/ready")
    assert ready.status_code == 200
    body = ready.json()
    assert body["status"] == "degraded"
    assert set(body["failing"]) == {"cache", "jobs", "events", "rate_limits"}
    assert body["checks"]["database"]["status"] == "ok"

    redis_proxy.resume()
    async with asyncio.timeout(HANG):
        await _live_traffic(client, tenant, "CA" + "03" * 16)
        ready = await client.get("/health/ready")
    assert ready.status_code == 200
    assert (ready.json()["status"], ready.json()["failing"]) == ("ok", [])


async def _until(subscription: Subscription, wanted: dict[str, object]) -> None:
    """Read until ``wanted`` arrives (``get`` also answers None for Redis's own replies)."""
    while await subscription.get(0.5) != wanted:
        pass


async def test_progress_is_dropped_while_redis_stalls_and_flows_again_after(
    app: FastAPI, redis_proxy: TcpProxy, log_output: io.StringIO
) -> None:
    bus = app.state.events
    async with bus.subscribe("probe") as subscription, asyncio.timeout(HANG):
        await bus.publish("probe", {"n": 1})
        await _until(subscription, {"n": 1})

        redis_proxy.pause()
        for n in range(2, 50):
            await bus.publish("probe", {"n": n})  # never waits, never raises
        while "event_publish_failed" not in log_output.getvalue():  # noqa: ASYNC110
            await asyncio.sleep(0.05)  # the log line is the signal: nothing to wait on instead

        redis_proxy.resume()
        back: dict[str, object] = {"n": "back"}
        while True:  # the bus skips Redis for a moment after a failure: publish until it goes
            await bus.publish("probe", back)
            try:
                async with asyncio.timeout(1):
                    await _until(subscription, back)
                break
            except TimeoutError:
                continue
