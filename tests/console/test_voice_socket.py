"""The test call page's microphone: ``WS /api/v1/calls/{id}/audio`` takes the console's
session cookie, from a page of the same origin only (a browser sends the cookie with a
handshake whichever site opens it; WebSockets have no CORS)."""

from __future__ import annotations

import asyncio
import json

import httpx
import pytest
import wsproto.events
from fastapi import FastAPI
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect

from aicaller.console.session import SESSION_COOKIE
from tests.agent.clinic import set_up_clinic, start_call
from tests.factories import Tenant
from tests.knowledge.sources.test_progress import ws_session
from tests.voice.conftest import SHORT_GREETING, transcript

SAME_ORIGIN = "http://testserver"  # the test client's base URL


def _headers(tenant: Tenant, role: str, origin: str | None) -> dict[str, str]:
    headers = {"cookie": f"{SESSION_COOKIE}={tenant.tokens[role]}"}
    return headers | ({"origin": origin} if origin else {})


async def _drain(ws: AsyncWebSocketSession) -> None:
    """Read until the server closes (the agent's audio may still be on its way)."""
    while True:
        await asyncio.wait_for(ws.receive(), 15)


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_console_session_opens_the_audio_socket_from_its_own_origin(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting=SHORT_GREETING)
    call_id = (await start_call(client, tenant))["call"]["id"]
    url = f"/api/v1/calls/{call_id}/audio"
    async with ws_session(app, url, _headers(tenant, "agent", SAME_ORIGIN)) as ws:
        greeting = b""
        while len(greeting) < 3200:  # a tenth of a second of the spoken greeting
            message = await asyncio.wait_for(ws.receive(), 20)
            if isinstance(message, wsproto.events.BytesMessage):
                greeting += bytes(message.data)
        await ws.send_text(json.dumps({"type": "hangup"}))
        with pytest.raises(WebSocketDisconnect) as closed:
            await _drain(ws)
    assert closed.value.code == 1000
    detail = await transcript(client, tenant, call_id)
    assert (detail["status"], detail["end_reason"]) == ("completed", "caller_hangup")


@pytest.mark.parametrize("backend", ["sqlite"])
async def test_the_cookie_from_another_origin_or_role_is_refused(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant, greeting=SHORT_GREETING)
    call_id = (await start_call(client, tenant))["call"]["id"]
    refusals = [
        (_headers(tenant, "agent", "http://evil.example"), 1008),  # another site's page
        (_headers(tenant, "agent", "https://testserver"), 1008),  # another scheme
        (_headers(tenant, "agent", None), 1008),  # no Origin: not a page of ours
        (_headers(tenant, "viewer", SAME_ORIGIN), 1008),  # a viewer may not call
        (_headers(other_tenant, "agent", SAME_ORIGIN), 4404),  # another business's call
        ({"cookie": f"{SESSION_COOKIE}=not-a-token", "origin": SAME_ORIGIN}, 1008),
    ]
    for headers, code in refusals:
        async with ws_session(app, f"/api/v1/calls/{call_id}/audio", headers) as ws:
            with pytest.raises(WebSocketDisconnect) as closed:
                await asyncio.wait_for(ws.receive(), 5)
        assert closed.value.code == code, headers
    detail = await transcript(client, tenant, call_id)
    assert detail["status"] == "in_progress"  # no refused socket touched the call
