"""A first sync's start: robots.txt and the default sitemap are read side by side (one after
the other they were two round trips before the first page), a sitemap robots.txt names wins
over the default, and a source with a politeness delay reads them one after the other."""

from __future__ import annotations

import httpx
from fastapi import FastAPI

from tests.core.http_peer import Reply
from tests.factories import Tenant
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import add_source, small_site, sync

# Long enough that a robots.txt answered only after this wait fails the ordering asserts.
SLOW = 5.0


def _urlset(*urls: str) -> Reply:
    entries = "".join(f"<url><loc>{url}</loc></url>" for url in urls)
    body = f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">{entries}</urlset>'
    return Reply(200, {"Content-Type": "application/xml"}, body.encode())


async def test_robots_and_the_default_sitemap_are_read_side_by_side(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    site.page("/orphan", html("Orphan", "Only the sitemap knows this page."))
    # robots.txt answers once the sitemap has been asked for (or after SLOW seconds).
    site.route("/robots.txt", Reply(404, until=site.requested("/sitemap.xml"), delay=SLOW))
    site.route("/sitemap.xml", _urlset(site.url("/orphan")))
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    assert site.before(("request", "/sitemap.xml"), ("answered", "/robots.txt"))
    assert (result["status"], result["indexed"]) == ("completed", 5)
    assert "/orphan" in site.page_requests()
    assert (site.hits("/robots.txt"), site.hits("/sitemap.xml")) == (1, 1)


async def test_a_sitemap_robots_names_is_read_instead_of_the_default(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    site.page("/orphan", html("Orphan", "Listed by the named sitemap."))
    site.page("/stale", html("Stale", "Listed by the default sitemap only."))
    named = site.url("/docs-sitemap.xml")
    site.route(
        "/robots.txt", Reply(200, {"Content-Type": "text/plain"}, f"Sitemap: {named}\n".encode())
    )
    site.route("/docs-sitemap.xml", _urlset(site.url("/orphan")))
    site.route("/sitemap.xml", _urlset(site.url("/stale")))
    source = await add_source(client, tenant, site.url("/"))
    result = await sync(app, client, tenant, source["id"])
    assert result["indexed"] == 5
    assert "/orphan" in site.page_requests()
    assert "/stale" not in site.page_requests()
    assert site.hits("/docs-sitemap.xml") == 1


async def test_a_source_with_a_delay_reads_robots_before_the_sitemap(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    small_site(site)
    site.route("/robots.txt", Reply(404))
    site.route("/sitemap.xml", _urlset(site.url("/faq")))
    source = await add_source(client, tenant, site.url("/"), delay_seconds=0.05)
    result = await sync(app, client, tenant, source["id"])
    assert result["status"] == "completed"
    assert site.before(("answered", "/robots.txt"), ("request", "/sitemap.xml"))
