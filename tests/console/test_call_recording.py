"""The call page's audio player: the recording at a console URL the session cookie opens,
with Range requests for seeking; another business's call, or a call without one, is a 404."""

from __future__ import annotations

import uuid

import httpx
from fastapi import FastAPI

from aicaller.core.query_monitor import count_queries
from tests.console.calls_data import make_call
from tests.console.conftest import console_client
from tests.factories import Tenant

RATE = 16_000
SECOND = b"\x01\x00" * RATE  # one second of 16-bit mono PCM


def _record(app: FastAPI, tenant: Tenant, call_id: str) -> None:
    writer = app.state.recordings.writer(tenant.business_id, uuid.UUID(call_id), RATE)
    writer.append(SECOND)
    writer.finish()


async def test_the_recording_plays_from_the_call_page(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant
) -> None:
    recorded = (await make_call(client, tenant))["id"]
    silent = (await make_call(client, tenant))["id"]
    _record(app, tenant, recorded)
    url = f"/app/calls/{recorded}/recording"
    async with console_client(app, tenant, "viewer") as console:
        await console.get(f"/app/calls/{silent}")  # the signed-in user is cached after this
        with count_queries() as without:
            page = await console.get(f"/app/calls/{silent}")
        assert "<audio" not in page.text
        with count_queries() as with_recording:
            page = await console.get(f"/app/calls/{recorded}")
        assert f'<audio controls preload="metadata" src="{url}"' in page.text
        assert with_recording.count == without.count  # the file is looked up, not queried

        whole = await console.get(url)
        assert (whole.status_code, whole.headers["content-type"]) == (200, "audio/wav")
        assert whole.content[:4] == b"RIFF"
        assert len(whole.content) == 44 + len(SECOND)
        part = await console.get(url, headers={"range": "bytes=44-143"})
        assert part.status_code == 206
        assert part.headers["content-range"] == f"bytes 44-143/{44 + len(SECOND)}"
        assert part.content == SECOND[:100]
        assert (await console.get(f"/app/calls/{silent}/recording")).status_code == 404
    async with console_client(app, other_tenant, "admin") as stranger:
        assert (await stranger.get(url)).status_code == 404
        assert (await stranger.get(f"/app/calls/{recorded}")).status_code == 404
    async with console_client(app) as anonymous:
        refused = await anonymous.get(url)
        assert refused.status_code in (303, 401)
        assert refused.headers.get("content-type") != "audio/wav"
