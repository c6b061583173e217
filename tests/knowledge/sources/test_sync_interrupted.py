"""A sync stopped while a checkpoint is writing (a page raised, or the sync's task was
cancelled by a worker shutting down) lets that checkpoint commit: its pages are kept, the
database is left with no transaction open, and the resumed sync completes.

Cancelling a checkpoint in the middle of a statement used to leave SQLite's connection closed
with the statement still alive and its write lock held until garbage collection, and the resumed
sync failed with "database is locked". Here a real write transaction is open when the sync stops.
"""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document, SyncJob
from aicaller.knowledge.sources.crawl import PageProcessor, PageResult, PageSnapshot
from aicaller.knowledge.sources.crawl_loop import Finished
from aicaller.knowledge.sources.repository import SyncPageRepository
from aicaller.knowledge.sources.sync import DocumentationSync, _Tx
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.conftest import run_sync
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source
from tests.knowledge.sources.test_sync_pipeline import start
from tests.knowledge.sources.test_sync_state import documents


class Interruption:
    """Holds the checkpoint that writes ``/a`` open (inside its transaction, after its writes)
    until the crawl cancels ``/c``, the page still in flight; ``/b`` waits for that checkpoint
    and then raises when ``crash`` is set."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, *, crash: bool) -> None:
        self.writing, self.release = asyncio.Event(), asyncio.Event()
        self.crash, self.monkeypatch = crash, monkeypatch
        self._process, self._write = PageProcessor.process, DocumentationSync._write
        interruption = self

        async def process(processor: PageProcessor, page: PageSnapshot) -> PageResult:
            return await interruption.process(processor, page)

        async def write(
            sync: DocumentationSync, tx: _Tx, job: SyncJob, finished: list[Finished],
            seeds: dict[str, int],
        ) -> None:  # fmt: skip
            await interruption.write(sync, tx, job, finished, seeds)

        monkeypatch.setattr(PageProcessor, "process", process)
        monkeypatch.setattr(DocumentationSync, "_write", write)

    def restore(self) -> None:
        self.monkeypatch.setattr(PageProcessor, "process", self._process)
        self.monkeypatch.setattr(DocumentationSync, "_write", self._write)

    async def process(self, processor: PageProcessor, page: PageSnapshot) -> PageResult:
        if page.url.endswith("/b"):
            await self.writing.wait()
            if self.crash:
                raise RuntimeError("the worker died")
        if page.url.endswith("/c"):
            try:
                await asyncio.Event().wait()
            except asyncio.CancelledError:
                self.release.set()  # the crawl is stopping: let the checkpoint go on
                raise
        return await self._process(processor, page)

    async def write(
        self, sync: DocumentationSync, tx: _Tx, job: SyncJob, finished: list[Finished],
        seeds: dict[str, int],
    ) -> None:  # fmt: skip
        await self._write(sync, tx, job, finished, seeds)
        if any(page.url.endswith("/a") for page, _ in finished):
            self.writing.set()
            await self.release.wait()


def small_site(site: DocSite) -> set[str]:
    site.page("/", html("Home", "Start.", ("/a", "/b", "/c")))
    for path in ("/a", "/b", "/c"):
        site.page(path, html(f"Page {path}", f"The text of {path}."))
    return {site.url(path) for path in ("/", "/a", "/b", "/c")}


async def started_sync(
    client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> tuple[set[str], str, str]:
    """The small site's every page, its source and a sync of it started (not yet run)."""
    every = small_site(site)
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    return every, source["id"], await start(client, tenant, source["id"])


async def resume_completes(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, sync_id: str, every: set[str]
) -> None:
    assert await run_sync(app, tenant.business_id, sync_id) == "completed"
    assert set(await documents(client, tenant)) == every
    assert await count_rows(app.state.database, Document) == len(every)


async def test_a_crash_while_a_checkpoint_writes_lets_it_commit(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every, _, sync_id = await started_sync(client, tenant, site)
    interruption = Interruption(monkeypatch, crash=True)
    with pytest.raises(RuntimeError):
        await run_sync(app, tenant.business_id, sync_id)
    # The checkpoint in flight at the crash committed /a; /b and /c stay queued.
    assert set(await documents(client, tenant)) == {site.url("/"), site.url("/a")}
    interruption.restore()
    await resume_completes(app, client, tenant, sync_id, every)


async def test_a_sync_cancelled_while_a_checkpoint_writes_lets_it_commit(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every, _, sync_id = await started_sync(client, tenant, site)
    interruption = Interruption(monkeypatch, crash=False)
    task = asyncio.create_task(run_sync(app, tenant.business_id, sync_id))
    await interruption.writing.wait()
    task.cancel()  # what the job runner does to a job still running after its shutdown grace
    with pytest.raises(asyncio.CancelledError):
        await task
    assert set(await documents(client, tenant)) == {site.url("/"), site.url("/a")}
    interruption.restore()
    await resume_completes(app, client, tenant, sync_id, every)


class HeldOpen:
    """Holds a transaction of the sync's own open: the first call of ``owner.name`` made inside
    it returns, then waits until the test has cancelled the sync and lets it go."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, owner: type, name: str) -> None:
        self.reached, self.release = asyncio.Event(), asyncio.Event()
        self.monkeypatch, self.owner, self.name = monkeypatch, owner, name
        self.original = original = getattr(owner, name)
        held = self

        async def holding(target: Any, *args: Any, **kwargs: Any) -> Any:
            result = await original(target, *args, **kwargs)
            if not held.reached.is_set():
                held.reached.set()
                await held.release.wait()
            return result

        monkeypatch.setattr(owner, name, holding)

    def restore(self) -> None:
        self.monkeypatch.setattr(self.owner, self.name, self.original)


async def cancel_while_held(app: FastAPI, tenant: Tenant, sync_id: str, held: HeldOpen) -> None:
    task = asyncio.create_task(run_sync(app, tenant.business_id, sync_id))
    await held.reached.wait()
    task.cancel()  # the job runner, after its shutdown grace
    await asyncio.sleep(0.05)  # the cancel reaches the sync while its transaction is open
    held.release.set()
    with pytest.raises(asyncio.CancelledError):
        await task


async def sync_state(client: httpx.AsyncClient, tenant: Tenant, sync_id: str) -> dict[str, Any]:
    reply = await client.get(f"/api/v1/documentation/syncs/{sync_id}", headers=tenant.headers())
    state: dict[str, Any] = reply.json()
    return state


async def test_a_sync_cancelled_while_it_completes_still_commits_its_completion(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every, source_id, sync_id = await started_sync(client, tenant, site)
    held = HeldOpen(monkeypatch, DocumentationSync, "_finish")
    await cancel_while_held(app, tenant, sync_id, held)
    state = await sync_state(client, tenant, sync_id)
    assert (state["status"], state["indexed"]) == ("completed", len(every))
    assert set(await documents(client, tenant)) == every
    # Nothing is left holding the database: the next sync of the source writes at once.
    again = await start(client, tenant, source_id)
    held.restore()
    assert await run_sync(app, tenant.business_id, again) == "completed"


async def test_a_sync_cancelled_while_it_starts_keeps_its_start_and_resumes(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    every, _, sync_id = await started_sync(client, tenant, site)
    # The start's transaction reads the page counts (to tell a resume) after marking it running.
    held = HeldOpen(monkeypatch, SyncPageRepository, "counts")
    await cancel_while_held(app, tenant, sync_id, held)
    state = await sync_state(client, tenant, sync_id)
    assert state["status"] == "running"
    assert state["started_at"] is not None
    held.restore()
    await resume_completes(app, client, tenant, sync_id, every)
