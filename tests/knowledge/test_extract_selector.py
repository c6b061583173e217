"""A documentation source's own CSS selector for its pages' main content: validated by the API
(a bad one is a 422 that changes nothing) and used by its syncs' extraction."""

from __future__ import annotations

import httpx
import pytest
from fastapi import FastAPI

from aicaller.knowledge.documentation_scraper.selectors import check_selector
from tests.factories import Tenant
from tests.knowledge.site import DocSite
from tests.knowledge.sources.test_sync import SOURCES, add_source, sync

PAGE = b"""<html><head><title>Refunds - Acme</title></head><body>
<div class="menu"><a href="/">Home</a> Opening hours: always open, call us any time you like</div>
<div class="faq-answer"><h1>Refunds</h1><p>Refunds are issued within fourteen days of the
request, to the card the order was paid with.</p></div>
<div class="promo">Subscribe to the newsletter for weekly offers and news about products</div>
</body></html>"""


@pytest.mark.parametrize(
    "selector",
    ["div[", "p::before", ":unknown-pseudo", "  ", "div > ", "#", "svg|rect", "x" * 501, ""],
)
async def test_a_bad_selector_is_refused_and_changes_nothing(
    client: httpx.AsyncClient, tenant: Tenant, selector: str
) -> None:
    created = await client.post(
        SOURCES,
        json={"url": "https://docs.example.com/", "content_selector": selector},
        headers=tenant.headers(),
    )
    assert created.status_code == 422, created.text
    assert created.headers["content-type"].startswith("application/problem+json")
    assert created.json()["errors"][0]["loc"][-1] in ("content_selector", "str")
    listed = await client.get(SOURCES, headers=tenant.headers())
    assert listed.json()["items"] == []

    source = await add_source(client, tenant, "https://docs.example.com/", content_selector="main")
    changed = await client.patch(
        f"{SOURCES}/{source['id']}", json={"content_selector": selector}, headers=tenant.headers()
    )
    assert changed.status_code == 422, changed.text
    kept = await client.get(f"{SOURCES}/{source['id']}", headers=tenant.headers())
    assert kept.json()["content_selector"] == "main"


async def test_a_selector_is_stored_changed_and_cleared(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    source = await add_source(client, tenant, "https://docs.example.com/")
    assert source["content_selector"] is None
    url = f"{SOURCES}/{source['id']}"
    changed = await client.patch(
        url, json={"content_selector": "article.content, div.body"}, headers=tenant.headers()
    )
    assert changed.status_code == 200, changed.text
    assert changed.json()["content_selector"] == "article.content, div.body"
    cleared = await client.patch(url, json={"content_selector": None}, headers=tenant.headers())
    assert cleared.json()["content_selector"] is None
    assert (await client.get(url, headers=tenant.headers())).json()["content_selector"] is None


def test_selectors_cssselect_can_evaluate_are_accepted() -> None:
    for selector in ("main", "div.body[role=main]", "#content > section:first-child", "a, b"):
        assert check_selector(selector) == selector
    with pytest.raises(ValueError, match="not a CSS selector we can use"):
        check_selector("div:nth-of-type(")
    # Valid CSS that lxml cannot evaluate (a namespace prefix it does not know) would fail on
    # every page of the source: refused when it is set.
    with pytest.raises(ValueError, match="not a CSS selector we can use"):
        check_selector("svg|rect")


async def test_a_sync_extracts_with_the_sources_selector(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant, site: DocSite
) -> None:
    site.page("/", PAGE)
    source = await add_source(client, tenant, site.url("/"), content_selector="div.faq-answer")
    result = await sync(app, client, tenant, source["id"])
    assert (result["status"], result["indexed"]) == ("completed", 1)
    documents = await client.get("/api/v1/knowledge/documents", headers=tenant.headers())
    document_id = documents.json()["items"][0]["id"]
    document = await client.get(
        f"/api/v1/knowledge/documents/{document_id}", headers=tenant.headers()
    )
    content = document.json()["content"]
    assert content.startswith("# Refunds\n\nRefunds are issued within fourteen days")
    assert "Opening hours" not in content
    assert "newsletter" not in content
