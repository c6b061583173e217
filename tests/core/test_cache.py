"""The two-layer cache: single flight, tenant keys, invalidation across instances, outages."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI
from redis.asyncio import Redis

from aicaller.core import metrics
from aicaller.core.cache import CONFIG, PRINCIPAL, AppCache
from aicaller.main import create_app
from tests.app_pool import truncate
from tests.factories import create_api_key, make_tenant
from tests.faults.proxy import TcpProxy, proxy_to
from tests.fixtures import REDIS_URL, flush_redis, make_settings

needs_redis = pytest.mark.skipif(not REDIS_URL, reason="AICALLER_TEST_REDIS_URL is not set")


def _count(cache: str, result: str) -> float:
    value = metrics.CACHE_REQUESTS.labels(cache=cache, result=result)._value.get()
    return float(value)


@pytest.fixture(params=["memory", "redis"])
async def cache(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[AppCache]:
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("AICALLER_TEST_REDIS_URL is not set")
    redis_url = REDIS_URL if request.param == "redis" else None
    settings = make_settings(tmp_path, "sqlite+aiosqlite://", redis_url=redis_url)
    app_cache = AppCache(settings)
    await app_cache.start()
    yield app_cache
    await app_cache.close()
    if redis_url:
        client = Redis.from_url(redis_url)
        await client.flushdb()
        await client.aclose()


async def test_concurrent_misses_compute_once(cache: AppCache) -> None:
    calls = 0

    async def compute() -> dict[str, int]:
        nonlocal calls
        calls += 1
        await asyncio.sleep(0.05)
        return {"answer": 42}

    results = await asyncio.gather(
        *(cache.get_or_set(CONFIG, tenant="t1", key="k", compute=compute) for _ in range(100))
    )
    assert calls == 1
    assert all(r == {"answer": 42} for r in results)
    again = await cache.get_or_set(CONFIG, tenant="t1", key="k", compute=compute)
    assert again == {"answer": 42}
    assert calls == 1


async def test_keys_are_per_tenant_and_deletable(cache: AppCache) -> None:
    async def value_for(tenant: str) -> str:
        return await cache.get_or_set(
            CONFIG, tenant=tenant, key="k", compute=lambda: _const(f"value of {tenant}")
        )

    assert await value_for("a") == "value of a"
    assert await value_for("b") == "value of b"
    await cache.delete(CONFIG, tenant="a", key="k")
    fresh = await cache.get_or_set(CONFIG, tenant="a", key="k", compute=lambda: _const("new"))
    assert fresh == "new"
    assert await value_for("b") == "value of b"


async def test_a_failing_computation_is_not_cached_and_reaches_every_waiter(
    cache: AppCache,
) -> None:
    async def boom() -> str:
        await asyncio.sleep(0.01)
        raise RuntimeError("database down")

    outcomes = await asyncio.gather(
        *(cache.get_or_set(CONFIG, tenant="t", key="x", compute=boom) for _ in range(5)),
        return_exceptions=True,
    )
    assert all(isinstance(o, RuntimeError) for o in outcomes)
    value = await cache.get_or_set(CONFIG, tenant="t", key="x", compute=lambda: _const("ok"))
    assert value == "ok"


async def _const(value: str) -> str:
    return value


@pytest.fixture
async def two_apps(
    tmp_path: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[tuple[httpx.AsyncClient, httpx.AsyncClient, FastAPI]]:
    """Two app instances (think: two workers) on one database and one Redis."""
    if not REDIS_URL:
        pytest.skip("AICALLER_TEST_REDIS_URL is not set")
    settings = make_settings(tmp_path, database_urls[backend], redis_url=REDIS_URL)
    first, second = create_app(settings), create_app(settings)
    async with (
        LifespanManager(first),
        LifespanManager(second),
        httpx.AsyncClient(transport=httpx.ASGITransport(first), base_url="http://a") as a,
        httpx.AsyncClient(transport=httpx.ASGITransport(second), base_url="http://b") as b,
    ):
        try:
            yield a, b, first
        finally:
            await truncate(first.state.database)
            await flush_redis(REDIS_URL)


@needs_redis
async def test_a_write_on_one_instance_invalidates_the_others(
    two_apps: tuple[httpx.AsyncClient, httpx.AsyncClient, FastAPI],
) -> None:
    a, b, first = two_apps
    tenant = await make_tenant(first, "Shared Co")
    hits_before = _count(CONFIG, "hit")
    for _ in range(3):  # B caches the configuration and serves it from cache
        assert (await b.get("/api/v1/config", headers=tenant.headers())).json()["greeting"]
    assert _count(CONFIG, "hit") >= hits_before + 2

    changed = await a.patch(
        "/api/v1/config", json={"greeting": "Changed on A"}, headers=tenant.headers()
    )
    assert changed.status_code == 200
    # Redis pushes the invalidation to B's in-process layer; it arrives within milliseconds.
    greeting = ""
    for _ in range(50):
        greeting = (await b.get("/api/v1/config", headers=tenant.headers())).json()["greeting"]
        if greeting == "Changed on A":
            break
        await asyncio.sleep(0.02)
    assert greeting == "Changed on A"


@needs_redis
async def test_revocation_and_deactivation_apply_on_the_next_request_everywhere(
    two_apps: tuple[httpx.AsyncClient, httpx.AsyncClient, FastAPI],
) -> None:
    a, b, first = two_apps
    tenant = await make_tenant(first, "Revoking Co")
    key = (await create_api_key(a, tenant, ["config:read"]))["key"]
    auth = {"Authorization": f"Bearer {key}"}
    assert (await b.get("/api/v1/config", headers=auth)).status_code == 200
    assert (await b.get("/api/v1/users/me", headers=tenant.headers("agent"))).status_code == 200
    # Both principals are now cached. Change them on A, then ask B right away.
    keys = (await a.get("/api/v1/api-keys", headers=tenant.headers())).json()["items"]
    assert (
        await a.delete(f"/api/v1/api-keys/{keys[0]['id']}", headers=tenant.headers())
    ).status_code == 204
    agent_id = tenant.users["agent"]
    assert (
        await a.delete(f"/api/v1/users/{agent_id}", headers=tenant.headers())
    ).status_code == 204
    assert (await b.get("/api/v1/config", headers=auth)).status_code == 401
    assert (await b.get("/api/v1/users/me", headers=tenant.headers("agent"))).status_code == 401


@pytest.fixture
async def app_behind_a_proxy(
    tmp_path: Path, backend: str, database_urls: dict[str, str]
) -> AsyncIterator[tuple[httpx.AsyncClient, FastAPI, TcpProxy]]:
    """An app whose Redis is reached through a proxy the test can pause (pausing the shared
    Redis itself would stall every other test running at the same time)."""
    if not REDIS_URL:
        pytest.skip("AICALLER_TEST_REDIS_URL is not set")
    async with proxy_to(REDIS_URL) as proxy:
        settings = make_settings(tmp_path, database_urls[backend], redis_url=proxy.url(REDIS_URL))
        app = create_app(settings)
        async with (
            LifespanManager(app),
            httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://a") as a,
        ):
            try:
                yield a, app, proxy
            finally:
                proxy.resume()
                await truncate(app.state.database)
                await flush_redis(REDIS_URL)


@needs_redis
async def test_redis_outage_degrades_to_misses_with_bounded_calls(
    app_behind_a_proxy: tuple[httpx.AsyncClient, FastAPI, TcpProxy],
) -> None:
    a, app, proxy = app_behind_a_proxy
    tenant = await make_tenant(app, "Outage Co")
    assert (await a.get("/api/v1/config", headers=tenant.headers())).status_code == 200
    errors_before = _count(CONFIG, "error") + _count(PRINCIPAL, "error")
    proxy.pause()
    try:
        for _ in range(10):
            response = await a.get("/api/v1/config", headers=tenant.headers())
            assert response.status_code == 200
            assert response.json()["name"] == "Outage Co"
    finally:
        proxy.resume()
    errors = _count(CONFIG, "error") + _count(PRINCIPAL, "error") - errors_before
    # The first timeout opens the breaker: later requests skip Redis instead of each waiting.
    assert 1 <= errors <= 2
    ready = await a.get("/health/ready")
    assert ready.status_code == 200
