"""Documentation syncs against a site on 127.0.0.1: crawl, robots, sitemaps, caps, errors."""

from __future__ import annotations

import asyncio
from concurrent.futures import Executor
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.core.process_pool import ProcessPool
from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.knowledge.conftest import run_sync
from tests.knowledge.site import DocSite, html

SOURCES = "/api/v1/documentation/sources"


async def add_source(
    client: httpx.AsyncClient, tenant: Tenant, url: str, **settings: Any
) -> dict[str, Any]:
    response = await client.post(SOURCES, json={"url": url, **settings}, headers=tenant.headers())
    assert response.status_code == 201, response.text
    source: dict[str, Any] = response.json()
    return source


async def sync(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    source_id: str,
    force: bool = False,
    processes: Executor | None = None,
) -> dict[str, Any]:
    started = await client.post(
        f"{SOURCES}/{source_id}/sync", json={"force": force}, headers=tenant.headers()
    )
    assert started.status_code == 202, started.text
    await run_sync(app, tenant.business_id, started.json()["id"], processes)
    done = await client.get(
        f"/api/v1/documentation/syncs/{started.json()['id']}", headers=tenant.headers()
    )
    result: dict[str, Any] = done.json()
    return result


def small_site(site: DocSite) -> None:
    site.page(
        "/", html("Home", "Welcome to the docs.", ("/guide", "/faq", "https://elsewhere.example/"))
    )
    site.page(
        "/guide",
        html("Guide", "Install with pip and configure the agent.", ("/guide/advanced", "/")),
    )
    site.page("/guide/advanced", html("Advanced", "Tune the crawler concurrency carefully."))
    site.page("/faq", html("FAQ", "Refunds are issued within fourteen days.", ("/guide#install",)))


async def test_a_first_sync_indexes_every_reachable_page(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    assert result["status"] == "completed"
    assert (result["fetched"], result["indexed"], result["failed"]) == (4, 4, 0)
    assert result["queued"] == 0
    assert sorted(site.page_requests()) == ["/", "/faq", "/guide", "/guide/advanced"]
    documents = (await client.get("/api/v1/knowledge/documents", headers=tenant.headers())).json()
    assert sorted(d["url"] for d in documents["items"]) == sorted(
        site.url(p).rstrip("/") if p != "/" else site.url("/")
        for p in ("/", "/faq", "/guide", "/guide/advanced")
    )
    found = await client.get(
        "/api/v1/knowledge/search",
        params={"q": "how long do refunds take"},
        headers=tenant.headers(),
    )
    assert found.json()["results"][0]["title"] == "FAQ"
    assert found.json()["results"][0]["url"] == site.url("/faq")


async def test_robots_disallow_and_crawl_delay(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    robots = b"User-agent: *\nDisallow: /guide/advanced\nCrawl-delay: 0.2\n"
    site.route("/robots.txt", Reply(200, {"Content-Type": "text/plain"}, robots))
    source = await add_source(client, tenant, site.url("/"))
    started = asyncio.get_running_loop().time()
    result = await sync(app, client, tenant, source["id"])
    elapsed = asyncio.get_running_loop().time() - started
    assert "/guide/advanced" not in site.page_requests()
    assert result["skipped"] == 1
    assert [(f["url"], f["code"]) for f in result["failures"]] == [
        (site.url("/guide/advanced"), "robots_disallowed")
    ]
    assert elapsed >= 0.2 * 2  # three page requests, at least 0.2 s apart


async def test_sitemap_index_adds_unlinked_pages(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    site.page("/orphan", html("Orphan", "Only the sitemap knows this page."))
    site.route(
        "/robots.txt", Reply(200, body=f"Sitemap: {site.url('/sitemap_index.xml')}\n".encode())
    )
    site.route("/sitemap_index.xml", Reply(200, body=(
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{site.url('/sitemap-pages.xml')}</loc></sitemap></sitemapindex>"
    ).encode()))  # fmt: skip
    site.route("/sitemap-pages.xml", Reply(200, body=(
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{site.url('/orphan')}</loc></url></urlset>"
    ).encode()))  # fmt: skip
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    assert "/orphan" in site.page_requests()
    assert result["indexed"] == 5


async def test_retries_errors_and_non_html(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    site.page(
        "/",
        html(
            "Home", "Links.", ("/flaky", "/busy", "/broken", "/logo.png", "/slow", "/big", "/moved")
        ),
    )
    site.route(
        "/flaky",
        Reply(500),
        Reply(200, {"Content-Type": "text/html"}, html("Flaky", "Second time lucky.")),
    )
    site.route(
        "/busy",
        Reply(429, {"Retry-After": "0"}),
        Reply(200, {"Content-Type": "text/html"}, html("Busy", "Now free.")),
    )
    site.route("/broken", Reply(500))
    site.route("/logo.png", Reply(200, {"Content-Type": "image/png"}, b"\x89PNG"))
    site.route("/slow", Reply(200, {"Content-Type": "text/html"}, b"late", delay=3.0))
    site.route("/big", Reply(200, {"Content-Type": "text/html"}, b"<p>" + b"x" * 20_000))
    site.route("/moved", Reply(301, {"Location": "/moved-again"}))
    site.route("/moved-again", Reply(302, {"Location": "/final"}))
    site.page("/final", html("Final", "Arrived after two redirects."))
    source = await add_source(client, tenant, site.url("/"), max_page_bytes=10_000)
    result = await sync(app, client, tenant, source["id"])
    assert result["status"] == "completed"
    codes = {f["url"].rsplit("/", 1)[-1]: f["code"] for f in result["failures"]}
    assert codes == {
        "broken": "fetch_failed", "logo.png": "unsupported_content",
        "slow": "fetch_failed", "big": "page_too_large", "moved": "redirected",
    }  # fmt: skip
    assert site.hits("/flaky") == 2
    assert site.hits("/busy") == 2
    assert site.hits("/broken") == 5  # the shared retry policy: first try and four retries
    titles = {
        d["title"]
        for d in (await client.get("/api/v1/knowledge/documents", headers=tenant.headers())).json()[
            "items"
        ]
    }
    assert {"Flaky", "Busy", "Final"} <= titles


async def test_a_link_trap_is_stopped_by_the_caps(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    site.page("/", html("Calendar", "Start.", ("/day/1",)))
    for day in range(1, 200):
        site.page(f"/day/{day}", html(f"Day {day}", "Next day.", (f"/day/{day + 1}",)))
    source = await add_source(client, tenant, site.url("/"), max_pages=20, max_depth=50)
    result = await sync(app, client, tenant, source["id"])
    assert result["status"] == "completed"
    assert result["capped"] is True
    assert len(site.page_requests()) == 20
    shallow = await add_source(client, tenant, site.url("/"), max_depth=3, name="shallow")
    shallow_result = await sync(app, client, tenant, shallow["id"])
    assert shallow_result["fetched"] == 4  # depths 0 to 3


async def test_private_addresses_are_refused_at_fetch_time_too(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    site: DocSite,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A source is checked when its URL is set (test_source_urls.py), and every fetch checks
    again: a name can come to resolve to a private address later (here: the guard tightens
    after the source was added)."""
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    monkeypatch.setattr(app.state.http, "_allow_private", False)
    result = await sync(app, client, tenant, source["id"])
    assert site.requests == []
    assert [f["code"] for f in result["failures"]] == ["blocked_url"]


async def test_syncs_share_the_process_pool_of_their_process(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    """Extraction in worker processes; the second sync (forced: every page fetched and
    extracted again) reuses the pool the first one started instead of starting its own."""
    small_site(site)
    source = await add_source(client, tenant, site.url("/"))
    pool = ProcessPool(1)
    try:
        first = await sync(app, client, tenant, source["id"], processes=pool)
        again = await sync(app, client, tenant, source["id"], force=True, processes=pool)
    finally:
        pool.shutdown()
    assert (first["status"], first["indexed"]) == ("completed", 4)
    assert (again["status"], again["fetched"]) == ("completed", 4)
    assert pool.started == 1
    detail = await client.get(
        "/api/v1/knowledge/search", params={"q": "crawler concurrency"}, headers=tenant.headers()
    )
    assert detail.json()["results"][0]["title"] == "Advanced"


async def test_redirects_off_the_site_are_not_followed_into_the_index(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    site.page("/", html("Home", "Links.", ("/away", "/inside", "/guide")))
    site.route("/away", Reply(302, {"Location": site.url("/elsewhere", host="localhost")}))
    site.page("/elsewhere", html("Elsewhere", "Another site's page."))
    site.route("/inside", Reply(301, {"Location": "/guide"}))
    site.page("/guide", html("Guide", "Still our site."))
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    codes = sorted((f["url"], f["code"]) for f in result["failures"])
    assert codes == [(site.url("/away"), "out_of_scope"), (site.url("/inside"), "redirected")]
    documents = (await client.get("/api/v1/knowledge/documents", headers=tenant.headers())).json()
    assert sorted(d["title"] for d in documents["items"]) == ["Guide", "Home"]
