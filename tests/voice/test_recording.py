"""Recording a streamed call: the consent line, the WAV with Range support, deletion with the
call and after the business's retention."""

from __future__ import annotations

import asyncio
import os
import uuid
import wave
from datetime import UTC, datetime, timedelta
from io import BytesIO

import httpx
import pytest
from fastapi import FastAPI

from aicaller.calls.recordings.service import expire_recordings
from tests.factories import Tenant
from tests.voice.conftest import answer, connected

pytestmark = pytest.mark.parametrize("backend", ["sqlite"])
CONSENT = "This call is recorded."


async def test_a_recorded_call_is_served_with_ranges_and_deleted_with_the_call(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, recording_enabled=True, recording_consent=CONSENT)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.wait_quiet()
        await caller.hang_up()
        await asyncio.wait_for(caller.closed.wait(), 15)
    url = f"/api/v1/calls/{call_id}/recording"
    whole = await client.get(url, headers=tenant.headers())
    assert whole.status_code == 200, whole.text
    assert whole.headers["content-type"] == "audio/wav"
    with wave.open(BytesIO(whole.content)) as wav:
        assert (wav.getframerate(), wav.getnchannels(), wav.getsampwidth()) == (8000, 1, 2)
        # The consent line and the greeting, longer than the greeting alone.
        assert wav.getnframes() / 8000 > 1.5
    part = await client.get(url, headers={**tenant.headers(), "Range": "bytes=0-43"})
    assert part.status_code == 206
    assert part.content == whole.content[:44]

    assert (await client.get(url)).status_code == 401
    deleted = await client.delete(f"/api/v1/calls/{call_id}", headers=tenant.headers())
    assert deleted.status_code == 204
    assert app.state.recordings.path(tenant.business_id, uuid.UUID(call_id)) is None


async def test_a_call_without_recording_has_none_and_old_recordings_expire(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    call_id, token = await answer(client, tenant, recording_retention_days=30)
    async with connected(app, token) as caller:
        await caller.wait_for("agent_audio", within=15)
        await caller.hang_up()
        await asyncio.wait_for(caller.closed.wait(), 15)
    missing = await client.get(f"/api/v1/calls/{call_id}/recording", headers=tenant.headers())
    assert (missing.status_code, missing.json()["code"]) == (404, "recording_not_found")

    store = app.state.recordings
    old, new = uuid.uuid4(), uuid.uuid4()
    for call in (old, new):
        writer = store.writer(tenant.business_id, call, 8000)
        writer.append(b"\x00\x00" * 800)
        writer.finish()
    month_ago = (datetime.now(UTC) - timedelta(days=31)).timestamp()
    os.utime(store.path(tenant.business_id, old), (month_ago, month_ago))
    async with app.state.database.transaction() as session:
        assert await expire_recordings(session, store, datetime.now(UTC)) == 1
    assert store.path(tenant.business_id, old) is None
    assert store.path(tenant.business_id, new) is not None
