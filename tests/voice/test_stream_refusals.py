"""What the media WebSocket refuses before any audio is used, and bad input mid-stream: the
stream is closed with 1008 and one logged reason; a known call ends with ``stream_error``."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.telephony import stream_tokens
from tests.factories import Tenant
from tests.knowledge.sources.test_progress import ws_session
from tests.voice.caller import STREAM_SID, SimulatedCaller
from tests.voice.conftest import MEDIA_PATH, answer, connected, signed_headers, transcript


async def _refused(app: FastAPI, token: str, headers: dict[str, str], **start: Any) -> str:
    async with ws_session(app, MEDIA_PATH, headers=headers) as ws:
        caller = SimulatedCaller(ws)
        try:
            await caller.start(token, **start)
            await asyncio.wait_for(caller.closed.wait(), 5)
        finally:
            await caller.stop()
    assert caller.close_code == 1008, caller.summary()
    assert not caller.agent_audio
    [(_, _, reason)] = [event for event in caller.events if event[1] == "close_reason"]
    return str(reason)


async def test_unsigned_forged_and_replayed_streams_are_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, caplog: pytest.LogCaptureFixture
) -> None:
    call_id, token = await answer(client, tenant)
    assert "signed" in await _refused(app, token, {})
    wrong = signed_headers(signature="bm90IGEgc2lnbmF0dXJl")
    assert "signature" in await _refused(app, token, wrong)
    forged = token[:-4] + ("AAAA" if not token.endswith("AAAA") else "BBBB")
    assert "token" in await _refused(app, forged, signed_headers())
    expired = stream_tokens.issue("x", tenant.business_id, tenant.business_id, now=0)
    assert "token" in await _refused(app, expired, signed_headers())
    # The real token works once; a replay of its start message is refused.
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        await caller.hang_up()
        await asyncio.wait_for(caller.closed.wait(), 5)
    assert "already used" in await _refused(app, token, signed_headers())
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_hangup")
    logged = [r for r in caplog.records if "twilio media stream closed" in r.getMessage()]
    assert len(logged) == 5  # one line per refused stream


async def test_a_wrong_media_format_ends_the_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant)
    linear = {"encoding": "audio/l16", "sampleRate": 16000, "channels": 1}
    assert "media format" in await _refused(app, token, signed_headers(), media_format=linear)
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "stream_error")


MEDIA = {"event": "media", "streamSid": STREAM_SID, "media": {"payload": "//8="}}


@pytest.mark.parametrize(
    ("message", "reason"),
    [
        ("not json", "malformed message"),
        (json.dumps(["media"]), "malformed message"),
        (json.dumps({**MEDIA, "streamSid": "MZ" + "99" * 16}), "another stream"),
        (json.dumps({**MEDIA, "media": {"payload": "A" * 4000}}), "oversized media"),
        (json.dumps({**MEDIA, "media": {"payload": "%%%"}}), "not base64"),
        (json.dumps({"event": "start", "streamSid": STREAM_SID}), "out-of-order start"),
        (json.dumps({"event": "bogus", "streamSid": STREAM_SID}), "unknown event"),
        ("x" * 9000, "oversized message"),
    ],
)
async def test_bad_input_mid_stream_closes_it_and_ends_the_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, message: str, reason: str
) -> None:
    call_id, token = await answer(client, tenant)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        await caller.ws.send_text(message)
        await asyncio.wait_for(caller.closed.wait(), 5)
    assert caller.close_code == 1008
    assert any(reason in str(event[2]) for event in caller.events if event[1] == "close_reason")
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "stream_error")


async def test_shutdown_ends_every_stream_with_a_clear_reason(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=5)
        assert len(app.state.voice_streams) == 1
        await app.state.voice_streams.end_all()
        await asyncio.wait_for(caller.closed.wait(), 5)
    assert len(app.state.voice_streams) == 0
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "server_shutdown")
