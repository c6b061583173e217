"""A finished page's links are fetched at once, not after the checkpoint that writes the page;
the database still decides what a resumed sync fetches, and nothing is fetched twice."""

from __future__ import annotations

import asyncio
import contextlib

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document
from aicaller.knowledge.sources.crawl import PageProcessor, PageResult, PageSnapshot
from aicaller.knowledge.sources.crawl_loop import Finished, Written
from aicaller.knowledge.sources.sync import DocumentationSync
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.conftest import run_sync
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, sync
from tests.knowledge.sources.test_sync_pipeline import SYNCS, start, wide_site
from tests.knowledge.sources.test_sync_state import documents


async def test_a_pages_links_are_fetched_while_its_checkpoint_is_still_writing(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = wide_site(site, 6)
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    leaf = site.requested("/p/0")
    original = DocumentationSync._checkpoint
    held: list[bool] = []

    async def slow_home(
        self: DocumentationSync,
        finished: list[Finished],
        read: int,
        *,
        seeds: dict[str, int] | None = None,
    ) -> Written:
        """The checkpoint that writes the home page waits (up to 10 s) for a leaf's request."""
        if any(result.url == site.url("/") for _, result in finished):
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(leaf.wait(), 10)
            held.append(leaf.is_set())
        return await original(self, finished, read, seeds=seeds)

    monkeypatch.setattr(DocumentationSync, "_checkpoint", slow_home)
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"]) == ("completed", len(paths))
    assert held == [True]  # the leaf was requested before its home page was written
    assert sorted(site.page_requests()) == sorted(paths)  # each page once


def linked_site(site: DocSite, pages: int) -> list[str]:
    """A home page linking to ``pages`` leaves, each linking home and to every other leaf."""
    leaves = [f"/p/{n}" for n in range(pages)]
    site.page("/", html("Home", "Everything.", tuple(leaves)))
    for path in leaves:
        site.page(path, html(f"Page {path}", f"The text of {path}.", ("/", *leaves)))
    return ["/", *leaves]


async def test_a_resumed_sync_does_not_fetch_again_the_pages_written_before_the_crash(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = linked_site(site, 30)
    source = await add_source(client, tenant, site.url("/"), concurrency=4)
    sync_id = await start(client, tenant, source["id"])
    home_written = asyncio.Event()
    checkpoint, process = DocumentationSync._checkpoint, PageProcessor.process

    async def noting_home(
        self: DocumentationSync,
        finished: list[Finished],
        read: int,
        *,
        seeds: dict[str, int] | None = None,
    ) -> Written:
        written = await checkpoint(self, finished, read, seeds=seeds)
        if any(result.url == site.url("/") for _, result in finished):
            home_written.set()
        return written

    async def crash_after_home(self: PageProcessor, page: PageSnapshot) -> PageResult:
        if page.url.endswith("/p/20"):
            await home_written.wait()
            raise RuntimeError("the worker died")
        return await process(self, page)

    monkeypatch.setattr(DocumentationSync, "_checkpoint", noting_home)
    monkeypatch.setattr(PageProcessor, "process", crash_after_home)
    with pytest.raises(RuntimeError):
        await run_sync(app, tenant.business_id, sync_id)
    midway = (await client.get(f"{SYNCS}/{sync_id}", headers=tenant.headers())).json()
    assert (midway["status"], midway["fetched"] > 0, midway["queued"] > 0) == (
        "running", True, True,
    )  # fmt: skip
    before = {path: site.hits(path) for path in paths}
    monkeypatch.setattr(PageProcessor, "process", process)
    assert await run_sync(app, tenant.business_id, sync_id) == "completed"
    done = (await client.get(f"{SYNCS}/{sync_id}", headers=tenant.headers())).json()
    assert (done["fetched"], done["indexed"], done["queued"]) == (len(paths), len(paths), 0)
    # Every page was taken once by the run that wrote it: the home page, written before the
    # crash and linked from every leaf fetched on resume, was neither fetched nor looked up
    # in the page cache again.
    assert (site.hits("/"), done["unchanged"]) == (1, 0)
    again = [path for path in paths if site.hits(path) > before[path] and before[path]]
    assert len(again) <= done["fetched"] - midway["fetched"]  # only pages not yet written
    assert set(await documents(client, tenant)) == {site.url(path) for path in paths}
    assert await count_rows(app.state.database, Document) == len(paths)
