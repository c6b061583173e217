"""``WS /api/v1/calls/{id}/audio``: a web test call spoken from the browser, 16 kHz PCM."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI
from httpx_ws import WebSocketDisconnect

from tests.agent.clinic import set_up_clinic, start_call
from tests.factories import Tenant
from tests.knowledge.sources.test_progress import ws_session
from tests.voice.browser_caller import BrowserCaller
from tests.voice.conftest import SHORT_GREETING, transcript


async def test_a_test_call_spoken_in_the_browser(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting=SHORT_GREETING)
    call_id = (await start_call(client, tenant))["call"]["id"]
    url = f"/api/v1/calls/{call_id}/audio?token={tenant.tokens['agent']}"
    async with ws_session(app, url) as ws:
        caller = BrowserCaller(ws)
        await caller.start()
        try:
            await caller.wait_for("agent_audio", within=5)
            await caller.wait_quiet()
            said = await caller.say("What are your opening hours?")
            await caller.wait_for("agent_audio", after=said, within=8)
            await caller.wait_quiet()
            await caller.hang_up()
            await asyncio.wait_for(caller.closed.wait(), 5)
        finally:
            await caller.stop()
    assert caller.times("mark_played")
    assert caller.close_code == 1000
    detail = await transcript(client, tenant, call_id)
    assert [turn["speaker"] for turn in detail["transcript"]] == ["agent", "caller", "agent"]
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_hangup")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_who_may_open_the_audio_socket(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting=SHORT_GREETING)
    call_id = (await start_call(client, tenant))["call"]["id"]
    refusals = [
        (f"/api/v1/calls/{call_id}/audio", 1008),  # not signed in
        (f"/api/v1/calls/{call_id}/audio?token={tenant.tokens['viewer']}", 1008),
        (f"/api/v1/calls/{call_id}/audio?token={other_tenant.tokens['agent']}", 4404),
    ]
    for url, code in refusals:
        async with ws_session(app, url) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                await asyncio.wait_for(ws.receive(), 5)
        assert closed.value.code == code, url
    await client.post(f"/api/v1/calls/{call_id}/end", headers=tenant.headers())
    url = f"/api/v1/calls/{call_id}/audio?token={tenant.tokens['agent']}"
    async with ws_session(app, url) as ws:
        with pytest.raises(WebSocketDisconnect) as closed:
            await asyncio.wait_for(ws.receive(), 5)
    assert closed.value.code == 4409


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_odd_audio_closes_the_socket_and_ends_the_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting=SHORT_GREETING)
    call_id = (await start_call(client, tenant))["call"]["id"]
    url = f"/api/v1/calls/{call_id}/audio?token={tenant.tokens['agent']}"
    async with ws_session(app, url) as ws:
        caller = BrowserCaller(ws)
        await caller.start()
        try:
            await caller.wait_for("agent_audio", within=5)
            await ws.send_bytes(b"\x00" * 641)  # half a sample
            await asyncio.wait_for(caller.closed.wait(), 5)
        finally:
            await caller.stop()
    assert caller.close_code == 1008
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "stream_error")
