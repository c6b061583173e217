"""Streamed calls: the Twilio settings of tests/telephony and a connected simulated caller."""

from __future__ import annotations

import asyncio
import re
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.config import Settings
from aicaller.telephony.stream_tokens import stream_url
from tests.agent.clinic import set_up_clinic
from tests.factories import Tenant
from tests.fixtures import backend_settings
from tests.knowledge.sources.test_progress import ws_session
from tests.telephony.conftest import ACCOUNT_SID, AUTH_TOKEN, PUBLIC_URL
from tests.telephony.twilio_client import TwilioCall, sign
from tests.voice.caller import SimulatedCaller

MEDIA_PATH = "/telephony/twilio/media"
SHORT_GREETING = "Hello, how can I help?"
_TOKEN = re.compile(r'<Parameter name="token" value="([^"]+)"')


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    """tests/telephony's Twilio install, with one silence prompt before the goodbye."""
    async with backend_settings(
        data_dir,
        backend,
        database_urls,
        twilio_account_sid=ACCOUNT_SID,
        twilio_auth_token=AUTH_TOKEN,
        public_url=PUBLIC_URL,
        agent_silence_prompts=1,
    ) as values:
        yield values


def signed_headers(signature: str | None = None) -> dict[str, str]:
    return {"X-Twilio-Signature": signature or sign(stream_url(PUBLIC_URL), {})}


async def answer(client: httpx.AsyncClient, tenant: Tenant, **config: Any) -> tuple[str, str]:
    """Set up the clinic on the streamed transport and ring it: (call id, stream token)."""
    config = {"greeting": SHORT_GREETING, **config}
    await set_up_clinic(client, tenant, voice_transport="stream", **config)
    response = await TwilioCall(client).connect()
    assert response.status_code == 200, response.text
    assert f'<Stream url="{stream_url(PUBLIC_URL)}">' in response.text
    token = _TOKEN.search(response.text)
    assert token is not None, response.text
    [call] = (await client.get("/api/v1/calls", headers=tenant.headers())).json()["items"]
    return call["id"], token.group(1)


@asynccontextmanager
async def connected(
    app: FastAPI, token: str, *, headers: dict[str, str] | None = None, hang_up: bool = True
) -> AsyncIterator[SimulatedCaller]:
    """A caller on the media stream. Unless ``hang_up`` is False, one still connected at the
    end hangs up as Twilio does (``stop``): a socket that just drops is a failed stream,
    which the server answers by moving the call to ``<Gather>`` (test_stream_fallback.py)."""
    async with ws_session(app, MEDIA_PATH, headers=headers or signed_headers()) as ws:
        caller = SimulatedCaller(ws)
        await caller.start(token)
        try:
            yield caller
            if hang_up and not caller.closed.is_set():
                await caller.hang_up()
                await asyncio.wait_for(caller.closed.wait(), 15)
        finally:
            await caller.stop()


async def transcript(client: httpx.AsyncClient, tenant: Tenant, call_id: str) -> dict[str, Any]:
    response = await client.get(f"/api/v1/calls/{call_id}", headers=tenant.headers())
    assert response.status_code == 200, response.text
    detail: dict[str, Any] = response.json()
    return detail
