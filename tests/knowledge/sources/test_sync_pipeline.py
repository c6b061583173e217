"""The pipelined crawl: pages keep flowing while others wait, within the concurrency and the page
cap; a cancel or a crash in the middle of it loses and duplicates nothing."""

from __future__ import annotations

import asyncio

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document
from aicaller.knowledge.sources.crawl import PageProcessor, PageResult, PageSnapshot
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.conftest import crash_on, run_sync
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import SOURCES, add_source, sync
from tests.knowledge.sources.test_sync_state import documents

SYNCS = "/api/v1/documentation/syncs"


def wide_site(site: DocSite, pages: int) -> list[str]:
    """A home page linking to ``pages`` leaves; returns every path."""
    leaves = [f"/p/{n}" for n in range(pages)]
    site.page("/", html("Home", "Everything.", tuple(leaves)))
    for path in leaves:
        site.page(path, html(f"Page {path}", f"The text of {path}."))
    return ["/", *leaves]


async def start(client: httpx.AsyncClient, tenant: Tenant, source_id: str) -> str:
    started = await client.post(f"{SOURCES}/{source_id}/sync", headers=tenant.headers())
    sync_id: str = started.json()["id"]
    return sync_id


async def test_pages_keep_flowing_while_a_slow_one_is_pending(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    site.page("/", html("Home", "Start.", ("/slow", "/a")))
    # /slow is answered once /a/2 is requested (or after 10 s: a crawl that waited for it).
    late = html("Slow", "Late.")
    until = site.requested("/a/2")
    site.route("/slow", Reply(200, {"Content-Type": "text/html"}, late, delay=10, until=until))
    site.page("/a", html("A", "First.", ("/a/1",)))
    site.page("/a/1", html("A1", "Second.", ("/a/2",)))
    site.page("/a/2", html("A2", "Third."))
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"]) == ("completed", 5)
    # Two links deep behind /a, found and fetched while /slow was still being answered: the
    # crawl did not wait for a whole batch to finish.
    assert site.before(("request", "/a/2"), ("answered", "/slow"))


async def test_the_concurrency_and_the_page_cap_hold_with_pages_in_flight(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    async with DocSite(delay=0.02) as site:
        paths = wide_site(site, 40)
        source = await add_source(client, tenant, site.url("/"), concurrency=3)
        result = await sync(app, client, tenant, source["id"])
        assert (result["status"], result["fetched"]) == ("completed", len(paths))
        assert site.peak == 3  # never more at once, and the slots were kept full
        capped = await add_source(
            client, tenant, site.url("/"), concurrency=4, max_pages=10, name="capped"
        )
        site.requests.clear()
        result = await sync(app, client, tenant, capped["id"])
        assert (result["capped"], result["fetched"]) == (True, 10)
        assert len(site.page_requests()) == 10  # pages in flight count against the cap


async def test_a_cancel_mid_crawl_stops_at_the_next_checkpoint(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = wide_site(site, 60)
    source = await add_source(client, tenant, site.url("/"), concurrency=2)
    sync_id = await start(client, tenant, source["id"])
    original = PageProcessor.process
    seen: list[str] = []
    cancelled = asyncio.Event()

    async def cancel_on_the_fifth(self: PageProcessor, page: PageSnapshot) -> PageResult:
        seen.append(page.url)
        if len(seen) == 5:
            response = await client.post(f"{SYNCS}/{sync_id}/cancel", headers=tenant.headers())
            assert response.status_code == 200
            cancelled.set()
        elif len(seen) > 5:
            await cancelled.wait()  # the crawl does not race ahead of the cancel's commit
        return await original(self, page)

    monkeypatch.setattr(PageProcessor, "process", cancel_on_the_fifth)
    assert await run_sync(app, tenant.business_id, sync_id) == "cancelled"
    state = (await client.get(f"{SYNCS}/{sync_id}", headers=tenant.headers())).json()
    assert state["status"] == "cancelled"
    assert len(site.page_requests()) < len(paths) // 2
    assert len(await documents(client, tenant)) == state["indexed"] < len(paths) // 2


async def test_a_crash_mid_crawl_resumes_without_lost_or_twice_written_pages(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    paths = wide_site(site, 30)
    source = await add_source(client, tenant, site.url("/"), concurrency=4)
    sync_id = await start(client, tenant, source["id"])
    restore = crash_on(monkeypatch, "/p/20")
    with pytest.raises(RuntimeError):
        await run_sync(app, tenant.business_id, sync_id)
    midway = (await client.get(f"{SYNCS}/{sync_id}", headers=tenant.headers())).json()
    assert (midway["status"], midway["queued"] > 0) == ("running", True)
    restore()
    assert await run_sync(app, tenant.business_id, sync_id) == "completed"
    done = (await client.get(f"{SYNCS}/{sync_id}", headers=tenant.headers())).json()
    # Pages in flight at the crash were not written, so they are counted once, on resume.
    assert (done["fetched"], done["indexed"], done["queued"]) == (len(paths), len(paths), 0)
    assert set(await documents(client, tenant)) == {site.url(path) for path in paths}
    assert await count_rows(app.state.database, Document) == len(paths)
