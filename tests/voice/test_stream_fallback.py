"""A streamed call whose stream fails mid-call goes on with ``<Gather>``: the socket drops
without Twilio's ``stop``, or the pipeline breaks down (the business's hosted voice starts
refusing), and Twilio's REST API (respx) gives the call new TwiML, so the caller is asked to
repeat themselves instead of being left in silence; when Twilio refuses (the caller is gone),
the call is ended."""

from __future__ import annotations

import asyncio
import json
import re
from collections.abc import Callable
from html import unescape
from urllib.parse import parse_qs

import httpx
import respx
from fastapi import FastAPI

from aicaller.telephony.twiml import STREAM_LOST
from tests.core.http_peer import LocalPeer, Reply
from tests.factories import Tenant
from tests.telephony.twilio_client import TwilioCall
from tests.voice.conftest import answer, connected, transcript

# Twilio's REST call resource for the simulated caller's call.
CALLS = r"https://api\.twilio\.com/2010-04-01/Accounts/AC[0-9a-f]+/Calls/CA[0-9a-f]+\.json"


async def _until(done: Callable[[], bool], within: float = 20.0) -> None:
    for _ in range(int(within / 0.05)):
        if done():
            return
        await asyncio.sleep(0.05)
    raise AssertionError("not within the time allowed")


def _gather_url(request: httpx.Request) -> str:
    twiml = parse_qs(request.content.decode())["Twiml"][0]
    assert "<Gather" in twiml
    assert STREAM_LOST in twiml
    found = re.search(r'<Gather action="([^"]+)"', twiml)
    assert found is not None, twiml
    return unescape(found.group(1))


@respx.mock(assert_all_mocked=False, assert_all_called=False)
async def test_a_dropped_stream_goes_on_with_gather(
    respx_mock: respx.MockRouter, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    redirect = respx_mock.post(url__regex=CALLS)
    redirect.mock(return_value=httpx.Response(200, json={"sid": "CA" + "ab" * 16}))
    call_id, token = await answer(client, tenant)
    async with connected(app, token, hang_up=False) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
    # The line's socket dropped (closed without a stop message).
    await _until(lambda: redirect.called)
    assert redirect.call_count == 1
    detail = await transcript(client, tenant, call_id)
    assert detail["status"] == "in_progress"  # the call goes on, on Twilio's recogniser

    # Twilio runs the new TwiML: the caller repeats the question, the agent answers on gather.
    call = TwilioCall(client, next_url=_gather_url(redirect.calls.last.request))
    response = await call.speak("How much is a cleaning?")
    assert response.status_code == 200, response.text
    assert "$120" in response.text
    assert "<Gather" in response.text
    turns = (await transcript(client, tenant, call_id))["transcript"]
    assert [turn["speaker"] for turn in turns] == ["agent", "caller", "agent"]


@respx.mock(assert_all_mocked=False, assert_all_called=False)
async def test_a_stream_whose_voice_breaks_down_goes_on_with_gather(
    respx_mock: respx.MockRouter, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    redirect = respx_mock.post(url__regex=CALLS)
    redirect.mock(return_value=httpx.Response(200, json={"sid": "CA" + "ab" * 16}))
    tone = b"\x00\x10\x00\xf0" * 6000
    async with LocalPeer() as peer:
        json_type = {"content-type": "application/json"}
        heard = json.dumps({"text": "How much is a cleaning?"}).encode()
        peer.route("/v1/audio/transcriptions", Reply(200, json_type, heard))
        refused = json.dumps({"error": {"message": "Incorrect API key provided"}}).encode()
        peer.route(
            "/v1/audio/speech",
            Reply(200, {"content-type": "audio/pcm"}, tone),  # the greeting
            Reply(401, json_type, refused),  # the key was revoked meanwhile
        )
        call_id, token = await answer(
            client, tenant, stt_provider="openai", stt_base_url=peer.url("/v1"),
            stt_api_key="sk-revoked", stt_model="large-v3", tts_provider="openai",
            tts_base_url=peer.url("/v1"), tts_api_key="sk-revoked", tts_voice="nova",
        )  # fmt: skip
        async with connected(app, token, hang_up=False) as caller:
            await caller.wait_for("agent_audio", within=15)
            await caller.wait_quiet()
            await caller.say("how much is a cleaning")
            await _until(lambda: redirect.called)
            await asyncio.wait_for(caller.closed.wait(), 15)
    _gather_url(redirect.calls.last.request)
    detail = await transcript(client, tenant, call_id)
    assert detail["status"] == "in_progress"


@respx.mock(assert_all_mocked=False, assert_all_called=False)
async def test_when_twilio_refuses_the_fallback_the_call_is_ended(
    respx_mock: respx.MockRouter, app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    over = {"code": 21220, "message": "Call is not in-progress. Cannot redirect.", "status": 400}
    redirect = respx_mock.post(url__regex=CALLS)
    redirect.mock(return_value=httpx.Response(400, json=over))
    call_id, token = await answer(client, tenant)
    async with connected(app, token, hang_up=False) as caller:
        await caller.wait_for("agent_audio", within=15)
    await _until(lambda: redirect.called)  # the socket dropped

    for _ in range(100):  # the call is ended once the refusal is in
        detail = await transcript(client, tenant, call_id)
        if detail["status"] == "completed":
            break
        await asyncio.sleep(0.1)
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_hangup")
