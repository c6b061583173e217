"""URL normalisation (one spelling per page) and sources on IPv6 literals."""

from __future__ import annotations

from collections.abc import AsyncIterator

import httpx
import pytest
from fastapi import FastAPI

from aicaller.knowledge.documentation_scraper.urls import CrawlScope, normalise_url
from tests.factories import Tenant
from tests.knowledge.site import DocSite, html
from tests.knowledge.sources.test_sync import SOURCES, add_source, sync


@pytest.mark.parametrize(
    ("url", "normalised"),
    [
        ("HTTP://Docs.Example.COM:80/Guide/index.html#top", "http://docs.example.com/Guide"),
        ("https://docs.example.com/a/?b=2&a=1", "https://docs.example.com/a?a=1&b=2"),
        ("http://[2001:db8::1]/", "http://[2001:db8::1]/"),
        ("http://[2001:DB8:0:0::1]:8080/docs/", "http://[2001:db8::1]:8080/docs"),
        ("https://[2001:db8::1]:443/", "https://[2001:db8::1]/"),
        ("http://[::1]:80/", "http://[::1]/"),
        # Browsers strip C0 controls at the ends and percent-encode them inside the path.
        ("\x00 http://docs.example.com/a\x00b c \x01", "http://docs.example.com/a%00b%20c"),
    ],
)
def test_urls_are_normalised(url: str, normalised: str) -> None:
    assert normalise_url(url) == normalised


@pytest.mark.parametrize(
    "url",
    [
        "mailto:help@example.com",
        "http://[2001:db8::1/",  # unclosed bracket
        "http://[v1.fe]/",  # IPvFuture: no address
        "http://[fe80::1%25eth0]/",  # zone id
        "http://exa mple.com/",
        "http://exa\x00mple.com/",
    ],
)
def test_urls_that_cannot_be_crawled_are_none(url: str) -> None:
    assert normalise_url(url) is None


def test_relative_links_on_an_ipv6_site_stay_on_it() -> None:
    link = normalise_url("../faq", "http://[::1]:8000/docs/guide/")
    assert link == "http://[::1]:8000/docs/faq"
    scope = CrawlScope.for_source("http://[::1]:8000/", [], [])
    assert scope.allows(link)
    assert not scope.allows("http://[::2]:8000/docs/faq")


@pytest.fixture
async def ipv6_site() -> AsyncIterator[DocSite]:
    try:
        server = DocSite(host="::1")
        await server.__aenter__()
    except OSError as exc:  # a machine without IPv6 loopback
        pytest.skip(f"cannot listen on ::1: {exc}")
    try:
        yield server
    finally:
        await server.__aexit__(None, None, None)


async def test_a_source_on_an_ipv6_literal_syncs(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, ipv6_site: DocSite
) -> None:
    ipv6_site.page("/", html("Home", "Welcome to the IPv6 docs.", ("/faq",)))
    ipv6_site.page("/faq", html("FAQ", "Refunds are issued within fourteen days."))
    start = f"http://[::1]:{ipv6_site.port}/"
    source = await add_source(client, tenant, f"http://[0:0::1]:{ipv6_site.port}")
    assert source["url"] == start
    stored = await client.get(f"{SOURCES}/{source['id']}", headers=tenant.headers())
    assert stored.json()["url"] == start
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"], result["failed"]) == ("completed", 2, 0)
    documents = (await client.get("/api/v1/knowledge/documents", headers=tenant.headers())).json()
    assert sorted(d["url"] for d in documents["items"]) == [start, f"{start}faq"]
