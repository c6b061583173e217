"""Sync state: resume after a crash, the page cache, pruning, cancelling, validation."""

from __future__ import annotations

import asyncio
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Document, SyncJob
from tests.factories import Tenant
from tests.helpers import count_rows
from tests.knowledge.conftest import crash_on, run_sync
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import SOURCES, add_source, small_site, sync

DOCS = "/api/v1/knowledge/documents"
PAGES = ["/", "/faq", "/guide", "/guide/advanced"]


async def documents(client: httpx.AsyncClient, tenant: Tenant) -> dict[str, dict[str, Any]]:
    items = (await client.get(DOCS, headers=tenant.headers())).json()["items"]
    return {item["url"]: item for item in items}


async def test_a_crashed_sync_resumes_with_every_page_once(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"), concurrency=1)  # batches of two
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    restore = crash_on(monkeypatch, "/guide/advanced")
    with pytest.raises(RuntimeError):
        await run_sync(app, tenant.business_id, started["id"])
    midway = (
        await client.get(f"/api/v1/documentation/syncs/{started['id']}", headers=tenant.headers())
    ).json()
    assert midway["status"] == "running"
    assert 0 < midway["indexed"] < 4
    restore()
    assert await run_sync(app, tenant.business_id, started["id"]) == "completed"
    indexed = await documents(client, tenant)
    assert len(indexed) == 4
    # No duplicates from the batch that was fetched twice:
    assert await count_rows(app.state.database, Document) == 4


async def test_resync_within_ttl_requests_no_pages(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    await sync(app, client, tenant, source["id"])
    site.requests.clear()
    again = await sync(app, client, tenant, source["id"])
    assert again["status"] == "completed"
    assert site.page_requests() == []
    assert (again["unchanged"], again["fetched"], again["indexed"], again["removed"]) == (
        4,
        0,
        0,
        0,
    )
    assert len(await documents(client, tenant)) == 4


async def test_after_ttl_only_conditional_requests_and_edits_are_reindexed(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    await sync(app, client, tenant, source["id"])
    before = await documents(client, tenant)
    monkeypatch.setattr(app.state.settings, "knowledge_page_ttl_hours", 0.0)
    site.page("/faq", html("FAQ", "Refunds are now issued within seven days."))
    site.requests.clear()
    result = await sync(app, client, tenant, source["id"])
    page_requests = [seen for seen in site.requests if seen.target in PAGES]
    assert len(page_requests) == 4
    assert all("if-none-match" in seen.headers for seen in page_requests)
    assert (result["unchanged"], result["indexed"]) == (3, 1)
    after = await documents(client, tenant)
    changed = [url for url in after if after[url]["updated_at"] != before[url]["updated_at"]]
    assert changed == [site.url("/faq")]
    found = await client.get(
        "/api/v1/knowledge/search", params={"q": "seven days refund"}, headers=tenant.headers()
    )
    assert "seven" in found.json()["results"][0]["content"]


async def test_vanished_pages_are_pruned_only_after_a_complete_sync(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:  # fmt: skip
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    await sync(app, client, tenant, source["id"])
    monkeypatch.setattr(app.state.settings, "knowledge_page_ttl_hours", 0.0)
    del site.pages["/faq"]  # now a 404
    site.page("/", html("Home", "Welcome again.", ("/guide", "/faq")))
    # A capped sync prunes nothing.
    await client.patch(f"{SOURCES}/{source['id']}", json={"max_pages": 2}, headers=tenant.headers())
    capped = await sync(app, client, tenant, source["id"])
    assert capped["capped"] is True
    assert capped["removed"] == 0
    assert site.url("/faq") in await documents(client, tenant)
    # A cancelled one neither.
    await client.patch(
        f"{SOURCES}/{source['id']}", json={"max_pages": 500}, headers=tenant.headers()
    )
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    await client.post(
        f"/api/v1/documentation/syncs/{started['id']}/cancel", headers=tenant.headers()
    )
    assert await run_sync(app, tenant.business_id, started["id"]) == "cancelled"
    assert site.url("/faq") in await documents(client, tenant)
    # A complete one removes the 404 page.
    done = await sync(app, client, tenant, source["id"])
    assert (done["status"], done["capped"], done["removed"]) == ("completed", False, 1)
    assert set(await documents(client, tenant)) == {
        site.url(p) for p in ("/", "/guide", "/guide/advanced")
    }


async def test_starting_twice_and_cancelling_twice_conflict(
    client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    source = await add_source(client, tenant, site.url("/"))
    first = await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())
    second = await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())
    assert (first.status_code, second.status_code) == (202, 409)
    assert second.json()["code"] == "sync_in_progress"
    cancel = f"/api/v1/documentation/syncs/{first.json()['id']}/cancel"
    assert (await client.post(cancel, headers=tenant.headers())).json()["status"] == "cancelled"
    again = await client.post(cancel, headers=tenant.headers())
    assert (again.status_code, again.json()["code"]) == (409, "sync_not_active")


@pytest.mark.parametrize(
    "body",
    [
        {"url": "ftp://docs.example.com/"},
        {"url": "not a url"},
        {"url": "https://docs.example.com/", "include_patterns": ["(unclosed"]},
        {"url": "https://docs.example.com/", "max_pages": 0},
        {"url": "https://docs.example.com/", "concurrency": 100},
        {"url": "https://docs.example.com/", "surprise": True},
    ],
)
async def test_bad_sources_are_refused(
    client: httpx.AsyncClient, tenant: Tenant, body: dict[str, Any]
) -> None:
    response = await client.post(SOURCES, json=body, headers=tenant.headers())
    assert response.status_code == 422, response.text
    assert (await client.get(SOURCES, headers=tenant.headers())).json()["items"] == []


async def test_deleting_a_source_keeps_uploads(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    await sync(app, client, tenant, source["id"])
    await client.post(DOCS, files={"file": ("own.md", b"# Own\n\nKept.")}, headers=tenant.headers())
    deleted = await client.delete(f"{SOURCES}/{source['id']}", headers=tenant.headers())
    assert deleted.status_code == 204
    assert [d["title"] for d in (await documents(client, tenant)).values()] == ["Own"]


@pytest.mark.background_syncs
async def test_the_job_runner_runs_a_started_sync(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite, backend: str
) -> None:
    if backend != "sqlite":
        pytest.skip("with Redis, syncs run in `aicaller worker` processes (tests/worker)")
    small_site(site)
    # Manual syncs only: the runner also runs the re-sync schedule, to which a new source is due
    # at once, and its sync would make the test's own start a 409 (tests/knowledge/
    # test_sync_races.py covers that race; before 0012 both syncs ran and corrupted each other).
    source = await add_source(client, tenant, site.url("/"), resync_interval_hours=None)
    started = (await client.post(f"{SOURCES}/{source['id']}/sync", headers=tenant.headers())).json()
    for _ in range(100):
        state = (
            await client.get(
                f"/api/v1/documentation/syncs/{started['id']}", headers=tenant.headers()
            )
        ).json()
        if state["status"] == "completed":
            break
        await asyncio.sleep(0.05)
    assert state["status"] == "completed"
    assert state["indexed"] == 4
    assert await count_rows(app.state.database, SyncJob) == 1


async def test_a_forced_sync_ignores_the_page_cache(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    await sync(app, client, tenant, source["id"])
    site.requests.clear()
    forced = await sync(app, client, tenant, source["id"], force=True)
    page_requests = [seen for seen in site.requests if seen.target in PAGES]
    assert len(page_requests) == 4
    assert not any("if-none-match" in seen.headers for seen in page_requests)
    assert (forced["fetched"], forced["unchanged"], forced["indexed"]) == (4, 0, 4)
