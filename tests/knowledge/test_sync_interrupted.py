"""A sync stopped while a checkpoint is writing (a page raised, or the sync's task was
cancelled by a worker shutting down) lets that checkpoint commit: its pages are kept, the
database is left with no transaction open, and the resumed sync completes.

Cancelling a checkpoint in the middle of a statement used to leave SQLite's connection closed
with the statement still alive and its write lock held until garbage collection, and the resumed
sync failed with "database is locked". Here a real write transaction is open when the sync stops.
"""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document, SyncJob
from aicaller.knowledge.crawl import PageProcessor, PageResult, PageSnapshot
from aicaller.knowledge.crawl_loop import Finished
from aicaller.knowledge.sync import DocumentationSync, _Tx
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.conftest import run_sync
from tests.knowledge.site import DocSite, html
from tests.knowledge.test_sync import add_source
from tests.knowledge.test_sync_pipeline import start
from tests.knowledge.test_sync_state import documents


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
    every = small_site(site)
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    sync_id = await start(client, tenant, source["id"])
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
    every = small_site(site)
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    sync_id = await start(client, tenant, source["id"])
    interruption = Interruption(monkeypatch, crash=False)
    task = asyncio.create_task(run_sync(app, tenant.business_id, sync_id))
    await interruption.writing.wait()
    task.cancel()  # what the job runner does to a job still running after its shutdown grace
    with pytest.raises(asyncio.CancelledError):
        await task
    assert set(await documents(client, tenant)) == {site.url("/"), site.url("/a")}
    interruption.restore()
    await resume_completes(app, client, tenant, sync_id, every)
