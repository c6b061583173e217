"""The sync progress WebSocket: a snapshot on connect, updates per batch, close at the end."""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator
from contextlib import AsyncExitStack, asynccontextmanager
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from httpx_ws import AsyncWebSocketSession, WebSocketDisconnect, aconnect_ws
from httpx_ws.transport import ASGIWebSocketTransport

from tests.factories import Tenant
from tests.knowledge.conftest import run_sync
from tests.knowledge.site import DocSite
from tests.knowledge.sources.test_sync import SOURCES, add_source, small_site


@asynccontextmanager
async def ws_session(
    app: FastAPI, url: str, headers: dict[str, str] | None = None
) -> AsyncIterator[AsyncWebSocketSession]:
    # Opened and closed in the test's own task: the ASGI transport's task group must not
    # cross tasks (a fixture's teardown runs in another one).
    transport = ASGIWebSocketTransport(app)
    async with AsyncExitStack() as stack:
        client = await stack.enter_async_context(
            httpx.AsyncClient(transport=transport, base_url="http://testserver")
        )
        ws: AsyncWebSocketSession = await stack.enter_async_context(
            aconnect_ws(url, client, headers=headers or {})
        )
        yield ws


async def receive_until_closed(ws: AsyncWebSocketSession, seen: list[dict[str, Any]]) -> int:
    """Collect messages until the server closes; returns the close code."""
    while True:
        try:
            seen.append(json.loads(await asyncio.wait_for(ws.receive_text(), 10)))
        except WebSocketDisconnect as closed:
            return closed.code


def progress_url(sync_id: str) -> str:
    return f"/api/v1/documentation/syncs/{sync_id}/progress"


async def test_progress_streams_until_the_sync_ends(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"), concurrency=1)
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    seen: list[dict[str, Any]] = []
    async with ws_session(app, progress_url(started["id"]), tenant.headers("viewer")) as ws:
        seen.append(json.loads(await ws.receive_text()))
        crawl = asyncio.create_task(run_sync(app, tenant.business_id, started["id"]))
        code = await receive_until_closed(ws, seen)
        assert await crawl == "completed"
    assert code == 1000
    assert seen[0]["status"] == "pending"
    assert seen[-1]["status"] == "completed"
    assert seen[-1]["indexed"] == 4
    indexed = [update["indexed"] for update in seen]
    assert indexed == sorted(indexed)
    assert len(seen) >= 3  # progress arrived between the first and the last message


async def test_an_ended_sync_sends_once_and_closes(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant,
    site: DocSite,
) -> None:  # fmt: skip
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    await run_sync(app, tenant.business_id, started["id"])
    token = tenant.headers()["Authorization"].removeprefix("Bearer ")
    seen: list[dict[str, Any]] = []
    async with ws_session(app, f"{progress_url(started['id'])}?token={token}") as ws:
        code = await receive_until_closed(ws, seen)
    assert code == 1000
    assert [update["status"] for update in seen] == ["completed"]


@pytest.mark.parametrize("who", ["nobody", "bad token", "other tenant", "unknown sync"])
async def test_refusals_close_with_a_reason(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant,
    other_tenant: Tenant, site: DocSite, who: str,
) -> None:  # fmt: skip
    source = await add_source(client, tenant, site.url("/"))
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    sync_id = "00000000-0000-0000-0000-000000000000" if who == "unknown sync" else started["id"]
    headers = {
        "nobody": {},
        "bad token": {"Authorization": "Bearer not-a-token"},
        "other tenant": other_tenant.headers(),
        "unknown sync": tenant.headers(),
    }[who]
    seen: list[dict[str, Any]] = []
    async with ws_session(app, progress_url(sync_id), headers) as ws:
        code = await receive_until_closed(ws, seen)
    assert code == (1008 if who in {"nobody", "bad token"} else 4404)
    assert seen == []
