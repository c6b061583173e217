"""A source URL the crawler may never fetch is refused when it is set, not at sync time.

These tests run with the SSRF guard's address check on (``allow_private_urls`` off), unlike
the rest of tests/knowledge.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from fastapi import FastAPI

from aicaller.config import Settings
from aicaller.core.http import IPAddress, ssrf
from aicaller.knowledge.sources import service as sources
from tests.factories import Tenant
from tests.fixtures import backend_settings
from tests.knowledge.sources.test_sync import SOURCES, add_source


@pytest.fixture
async def settings(
    data_dir: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[Settings]:
    async with backend_settings(data_dir, backend, database_urls) as values:
        assert not values.allow_private_urls
        yield values


async def listed(client: httpx.AsyncClient, tenant: Tenant) -> list[str]:
    items = (await client.get(SOURCES, headers=tenant.headers())).json()["items"]
    return [item["url"] for item in items]


@pytest.mark.parametrize(
    ("url", "why"),
    [
        ("http://127.0.0.1:8000/", "127.0.0.1 is a loopback address"),
        ("http://localhost:8000/docs", "localhost resolves to 127.0.0.1, which is a loopback"),
        ("http://169.254.169.254/latest/meta-data/", "cloud metadata"),
        ("http://10.1.2.3/", "a private address"),
        ("http://[::1]:8000/", "::1 is a loopback address"),
        ("http://[::ffff:127.0.0.1]/", "IPv4-mapped"),
        ("http://[fd00::1]/", "a private address"),
        ("http://2130706433/", "not a plain dotted-quad"),
    ],
)
async def test_a_source_on_a_private_address_is_refused_with_the_reason(
    client: httpx.AsyncClient, tenant: Tenant, url: str, why: str
) -> None:
    response = await client.post(SOURCES, json={"url": url}, headers=tenant.headers())
    assert response.status_code == 422, response.text
    problem = response.json()
    assert problem["code"] == "unsafe_url"
    assert why in problem["detail"]
    assert problem["errors"][0]["loc"] == ["body", "url"]
    assert await listed(client, tenant) == []


async def test_changing_the_url_to_a_private_address_is_refused(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    source = await add_source(client, tenant, "http://93.184.215.14/docs")
    changed = await client.patch(
        f"{SOURCES}/{source['id']}",
        json={"url": "http://169.254.169.254/", "name": "Metadata"},
        headers=tenant.headers(),
    )
    assert (changed.status_code, changed.json()["code"]) == (422, "unsafe_url")
    after = (await client.get(f"{SOURCES}/{source['id']}", headers=tenant.headers())).json()
    assert (after["url"], after["name"]) == (source["url"], source["name"])
    renamed = await client.patch(
        f"{SOURCES}/{source['id']}", json={"name": "Docs"}, headers=tenant.headers()
    )
    assert renamed.status_code == 200


async def test_a_name_that_does_not_resolve_is_accepted(
    client: httpx.AsyncClient, tenant: Tenant
) -> None:
    """The API process may not resolve names as the workers do, and DNS may come later: the
    sync checks again and reports a name that stays unknown."""
    await add_source(client, tenant, "https://docs.nowhere.invalid/")
    assert await listed(client, tenant) == ["https://docs.nowhere.invalid/"]


async def test_a_slow_dns_answer_does_not_hold_the_request(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    asked: list[str] = []

    async def stalled(host: str, port: int) -> list[IPAddress]:
        asked.append(host)
        await asyncio.sleep(60)
        return []

    monkeypatch.setattr(ssrf, "system_resolver", stalled)
    monkeypatch.setattr(sources, "URL_CHECK_SECONDS", 0.05)
    async with asyncio.timeout(5):  # a hang fails the test instead of stalling the suite
        await add_source(client, tenant, "https://docs.slow-dns.example/")
    assert asked == ["docs.slow-dns.example"]
