"""One active sync per source, whoever starts it: concurrent requests, the re-sync schedule.

The races are made certain, not left to timing: every starter reads the source, then waits at
a barrier until the other one has read it too, and only then tries to create its sync (the
old check-then-create let both pass the check here).
"""

from __future__ import annotations

import asyncio
import io
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

import httpx
import pytest
from fastapi import FastAPI
from sqlalchemy import func, select

from aicaller.database.models import DocumentationSource, Job, SyncJob
from aicaller.knowledge.sources import tasks
from aicaller.knowledge.sources.repository import SourceRepository
from aicaller.knowledge.sources.service import SYNC_JOB
from tests.factories import Tenant
from tests.knowledge.site import DocSite
from tests.knowledge.sources.test_sync import SOURCES, add_source
from tests.knowledge.sources.test_sync_jobs import job_context

Read = Callable[[SourceRepository, uuid.UUID], Awaitable[DocumentationSource]]


def read_then(monkeypatch: pytest.MonkeyPatch, step: Callable[[], Awaitable[None]]) -> None:
    """Run ``step`` each time a starter has read the source, before it goes on."""
    original: Read = SourceRepository.get_or_raise

    async def reading(self: SourceRepository, source_id: uuid.UUID) -> DocumentationSource:
        source = await original(self, source_id)
        await step()
        return source

    monkeypatch.setattr(SourceRepository, "get_or_raise", reading)


async def active_syncs_and_jobs(app: FastAPI) -> tuple[int, int]:
    async with app.state.database.transaction() as session:
        active = select(func.count()).where(SyncJob.status.in_(("pending", "running")))
        jobs = select(func.count()).where(Job.name == SYNC_JOB)
        return (
            int((await session.execute(active)).scalar_one()),
            int((await session.execute(jobs)).scalar_one()),
        )


async def test_two_concurrent_starts_make_one_sync_and_one_409(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = await add_source(client, tenant, site.url("/"), resync_interval_hours=None)
    barrier = asyncio.Barrier(2)

    async def meet() -> None:
        async with asyncio.timeout(10):
            await barrier.wait()

    read_then(monkeypatch, meet)
    start = f"{SOURCES}/{source['id']}/sync"
    answers = await asyncio.gather(
        client.post(start, headers=tenant.headers()), client.post(start, headers=tenant.headers())
    )
    assert sorted(answer.status_code for answer in answers) == [202, 409]
    refused = next(answer for answer in answers if answer.status_code == 409)
    assert refused.json()["code"] == "sync_in_progress"
    assert await active_syncs_and_jobs(app) == (1, 1)


async def test_the_schedule_and_a_manual_start_make_one_sync(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = await add_source(client, tenant, site.url("/"))  # due: never synced
    barrier = asyncio.Barrier(2)

    async def meet() -> None:
        async with asyncio.timeout(10):
            await barrier.wait()

    read_then(monkeypatch, meet)
    manual, scheduled = await asyncio.gather(
        client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers()),
        tasks.resync_due_sources(job_context(app, None), {}),
    )
    # Either may win; exactly one sync is started, and the loser says so.
    assert scheduled is not None
    assert (manual.status_code, scheduled["started"]) in {(202, 0), (409, 1)}
    assert await active_syncs_and_jobs(app) == (1, 1)


async def test_the_schedule_skips_a_source_started_since_it_looked(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
    log_output: io.StringIO,
) -> None:
    source = await add_source(client, tenant, site.url("/"))
    started: list[dict[str, Any]] = []

    async def someone_starts_it_first() -> None:
        if not started:  # the schedule's read; the request's own read goes straight on
            started.append({})
            response = await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())
            assert response.status_code == 202
            started[0] = response.json()

    read_then(monkeypatch, someone_starts_it_first)
    assert await tasks.resync_due_sources(job_context(app, None), {}) == {"started": 0}
    assert await active_syncs_and_jobs(app) == (1, 1)
    assert '"event": "resync_skipped_sync_active"' in log_output.getvalue()
    assert started[0]["status"] == "pending"
