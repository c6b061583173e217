"""``WS /api/v1/calls/{id}/live``: the transcript so far, new turns both ways, close at the end."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import httpx
from fastapi import FastAPI
from httpx_ws import AsyncWebSocketSession

from tests.agent.clinic import say, set_up_clinic, start_call
from tests.factories import Tenant
from tests.knowledge.sources.test_progress import receive_until_closed, ws_session


async def _next(ws: AsyncWebSocketSession) -> dict[str, Any]:
    message: dict[str, Any] = json.loads(await asyncio.wait_for(ws.receive_text(), 10))
    return message


async def test_a_test_call_over_the_websocket(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    await set_up_clinic(client, tenant)
    call = (await start_call(client, tenant))["call"]
    url = f"/api/v1/calls/{call['id']}/live?token={tenant.tokens['agent']}"
    async with ws_session(app, url) as ws:
        greeting, state = await _next(ws), await _next(ws)
        assert (greeting["type"], greeting["intent"]) == ("turn", "greeting")
        assert state == {"type": "call", "status": "in_progress", "end_reason": None}

        await ws.send_text(json.dumps({"type": "say", "text": "how much is whitening?"}))
        caller, agent, state = await _next(ws), await _next(ws), await _next(ws)
        assert (caller["speaker"], caller["text"]) == ("caller", "how much is whitening?")
        assert agent["speaker"] == "agent"
        assert "$350" in agent["text"]
        assert state["status"] == "in_progress"

        await ws.send_text("not json")
        assert (await _next(ws))["code"] == "invalid_message"
        await ws.send_text(json.dumps({"type": "say", "text": ""}))
        assert (await _next(ws))["code"] == "invalid_message"

        # A turn taken through the REST API reaches the socket too.
        await say(client, tenant, call["id"], "what is your cancellation policy")
        caller, agent = await _next(ws), await _next(ws)
        assert "24 hours" in agent["text"]
        await _next(ws)

        await ws.send_text(json.dumps({"type": "hangup"}))
        seen: list[dict[str, Any]] = []
        assert await receive_until_closed(ws, seen) == 1000
        assert seen[-1] == {"type": "call", "status": "completed", "end_reason": "caller_hangup"}


async def test_listeners_cannot_speak_and_strangers_cannot_listen(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    call = (await start_call(client, tenant))["call"]
    base = f"/api/v1/calls/{call['id']}/live"
    async with ws_session(app, f"{base}?token={tenant.tokens['viewer']}") as ws:
        await _next(ws)
        await _next(ws)
        await ws.send_text(json.dumps({"type": "say", "text": "hello"}))
        assert (await _next(ws))["code"] == "read_only"
    for token, code in ((other_tenant.tokens["admin"], 4404), ("nonsense", 1008)):
        async with ws_session(app, f"{base}?token={token}") as ws:
            assert await receive_until_closed(ws, []) == code
