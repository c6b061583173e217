"""The sync job handler and the re-sync schedule."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import update

from aicaller.database.models import DocumentationSource
from aicaller.knowledge.sources import tasks
from aicaller.knowledge.sources.sync import DocumentationSync
from aicaller.worker import JobContext, JobResources
from tests.factories import Tenant
from tests.knowledge.site import DocSite
from tests.knowledge.sources.test_sync import SOURCES, add_source, small_site

SYNCS = "/api/v1/documentation/syncs"


def job_context(app: FastAPI, business_id: uuid.UUID | None, *, attempt: int = 1) -> JobContext:
    return JobContext(
        database=app.state.database,
        settings=app.state.settings,
        job_id=uuid.uuid4(),
        name="test",
        attempt=attempt,
        max_attempts=3,
        business_id=business_id,
        worker_id="test",
        resources=JobResources(http=app.state.http, events=app.state.events),
    )


async def latest_sync(client: httpx.AsyncClient, tenant: Tenant, source_id: str) -> str | None:
    """Start a sync to learn whether one is running: 409 means the schedule started one."""
    response = await client.post(f"{SOURCES}/{source_id}/sync", headers=tenant.headers())
    return "running" if response.status_code == 409 else None


async def test_the_handler_runs_the_sync_until_its_job_is_cancelled(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    ctx = job_context(app, tenant.business_id)

    async def owned() -> bool:  # this context's job id has no jobs row to own
        return False

    monkeypatch.setattr(ctx, "is_cancelled", owned)
    assert await tasks.sync_source(ctx, {"sync_id": started["id"]}) == {"status": "completed"}

    async def taken_away() -> bool:
        return True

    again = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    monkeypatch.setattr(ctx, "is_cancelled", taken_away)
    assert await tasks.sync_source(ctx, {"sync_id": again["id"]}) == {"status": "cancelled"}


async def test_a_sync_fails_after_its_last_attempt(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = await add_source(client, tenant, site.url("/"))
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()

    async def broken(self: DocumentationSync) -> str:
        raise RuntimeError("disk full")

    monkeypatch.setattr(DocumentationSync, "run", broken)
    for attempt in (1, 3):
        with pytest.raises(RuntimeError):
            await tasks.sync_source(
                job_context(app, tenant.business_id, attempt=attempt), {"sync_id": started["id"]}
            )
        state = (await client.get(f"{SYNCS}/{started['id']}", headers=tenant.headers())).json()
        # Earlier attempts leave it to the retry; the last one gives up with the reason.
        assert state["status"] == ("pending" if attempt == 1 else "failed")
    assert state["error"] == "RuntimeError: disk full"


async def test_the_schedule_starts_due_sources_once(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, site: DocSite
) -> None:
    due = await add_source(client, tenant, site.url("/"), name="due")
    manual = await add_source(client, tenant, site.url("/"), name="manual")
    await client.patch(
        f"{SOURCES}/{manual['id']}", json={"resync_interval_hours": None}, headers=tenant.headers()
    )
    fresh = await add_source(client, other_tenant, site.url("/"), name="fresh")
    async with app.state.database.transaction() as session:
        await session.execute(
            update(DocumentationSource)
            .where(DocumentationSource.id == uuid.UUID(fresh["id"]))
            .values(last_synced_at=datetime.now(UTC) - timedelta(hours=1))
        )
    ctx = job_context(app, None)
    assert await tasks.resync_due_sources(ctx, {}) == {"started": 1}
    assert await tasks.resync_due_sources(ctx, {}) == {"started": 0}  # already running
    assert await latest_sync(client, tenant, due["id"]) == "running"
    assert await latest_sync(client, tenant, manual["id"]) is None
    assert await latest_sync(client, other_tenant, fresh["id"]) is None


async def test_a_deleted_source_ends_its_job_quietly(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    source = await add_source(client, tenant, site.url("/"))
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    await client.delete(f"{SOURCES}/{source['id']}", headers=tenant.headers())
    ctx = job_context(app, tenant.business_id)
    assert await tasks.sync_source(ctx, {"sync_id": started["id"]}) == {"status": "deleted"}
