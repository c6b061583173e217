"""Rate limits: exact at the boundary, shared across instances, and what happens without Redis."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from asgi_lifespan import LifespanManager
from fastapi import FastAPI

from aicaller.core import metrics
from aicaller.main import create_app
from tests.app_pool import truncate
from tests.factories import PASSWORD, make_tenant
from tests.fixtures import REDIS_URL, flush_redis, make_settings

DEAD_REDIS = "redis://127.0.0.1:9/0"  # the discard port: nothing answers there


@pytest.fixture
async def limited(
    tmp_path: Path, backend: str, database_urls: dict[str, str], request: pytest.FixtureRequest
) -> AsyncIterator[list[tuple[FastAPI, httpx.AsyncClient]]]:
    """App instances with tiny limits; ``request.param`` says how many and which Redis."""
    count, redis = getattr(request, "param", (1, "default"))
    redis_url = {
        "default": REDIS_URL if backend == "postgresql" else None,
        "shared": REDIS_URL,
        "dead": DEAD_REDIS,
    }[redis]
    if redis == "shared" and not REDIS_URL:
        pytest.skip("AICALLER_TEST_REDIS_URL is not set")
    settings = make_settings(
        tmp_path,
        database_urls[backend],
        redis_url=redis_url,
        rate_limit_authenticated="4/minute",
        rate_limit_groups={"api-keys": "2/minute"},
        rate_limit_login_ip="6/minute",
        rate_limit_login_account="3/minute",
        rate_limit_anonymous="5/minute",
    )
    apps = [create_app(settings) for _ in range(count)]
    managers = [LifespanManager(app) for app in apps]
    clients = [
        httpx.AsyncClient(transport=httpx.ASGITransport(app), base_url="http://test")
        for app in apps
    ]
    for manager in managers:
        await manager.__aenter__()
    try:
        yield list(zip(apps, clients, strict=True))
    finally:
        for client in clients:
            await client.aclose()
        await truncate(apps[0].state.database)
        for manager in reversed(managers):
            await manager.__aexit__(None, None, None)
        if redis_url == REDIS_URL and REDIS_URL:
            await flush_redis(REDIS_URL)


async def test_limit_is_exact_at_the_boundary(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    app, client = limited[0]
    tenant = await make_tenant(app, "Limited Co")
    headers = tenant.headers()
    remaining = []
    for _ in range(4):
        response = await client.get("/api/v1/config", headers=headers)
        assert response.status_code == 200
        assert response.headers["ratelimit-limit"] == "4"
        remaining.append(int(response.headers["ratelimit-remaining"]))
    assert remaining == [3, 2, 1, 0]
    before = metrics.RATE_LIMIT_REJECTIONS.labels(group="config")._value.get()
    refused = await client.get("/api/v1/config", headers=headers)
    assert refused.status_code == 429
    assert refused.headers["content-type"] == "application/problem+json"
    assert refused.json()["code"] == "rate_limited"
    assert 1 <= int(refused.headers["retry-after"]) <= 60
    assert refused.headers["ratelimit-remaining"] == "0"
    assert metrics.RATE_LIMIT_REJECTIONS.labels(group="config")._value.get() == before + 1
    # Route groups have their own budgets: /api-keys allows 2 per minute.
    assert (await client.get("/api/v1/api-keys", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/api-keys", headers=headers)).status_code == 200
    assert (await client.get("/api/v1/api-keys", headers=headers)).status_code == 429
    # Another principal is not affected.
    other = await client.get("/api/v1/config", headers=tenant.headers("viewer"))
    assert other.status_code == 200


async def test_login_is_limited_per_account_and_per_ip(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    app, client = limited[0]
    tenant = await make_tenant(app, "Limited Co")
    email = tenant.emails["agent"]

    async def sign_in(username: str, password: str) -> int:
        form = {"username": username, "password": password}
        return (await client.post("/api/v1/auth/token", data=form)).status_code

    assert await sign_in(email, PASSWORD) == 200
    statuses = [await sign_in(email, "wrong") for _ in range(3)]
    assert statuses == [401, 401, 429]  # 3/minute per account, the right password included
    # The right password does not help once the account's budget is spent.
    assert await sign_in(email, PASSWORD) == 429
    # Other accounts from this IP have the rest of its budget (6/minute), then nothing.
    assert await sign_in("someone@example.com", "x") == 401
    assert await sign_in("someone-else@example.com", "x") == 429


async def test_bad_credentials_count_against_the_ip(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    _app, client = limited[0]
    statuses = [
        (
            await client.get("/api/v1/config", headers={"Authorization": f"Bearer ak_guess{i}"})
        ).status_code
        for i in range(6)
    ]
    assert statuses == [401] * 5 + [429]


@pytest.mark.parametrize("limited", [(2, "shared")], indirect=True)
async def test_instances_sharing_redis_share_one_budget(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    (app_a, client_a), (_app_b, client_b) = limited
    tenant = await make_tenant(app_a, "Shared Budget Co")
    headers = tenant.headers()
    clients = (client_a, client_b, client_a, client_b, client_a)
    results = [(await c.get("/api/v1/config", headers=headers)).status_code for c in clients]
    assert results == [200, 200, 200, 200, 429]


@pytest.mark.parametrize("limited", [(1, "dead")], indirect=True)
async def test_without_redis_the_api_fails_open_to_local_limits_and_login_stays_strict(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    app, client = limited[0]
    tenant = await make_tenant(app, "No Redis Co")
    statuses = [
        (await client.get("/api/v1/config", headers=tenant.headers())).status_code for _ in range(5)
    ]
    assert statuses == [200, 200, 200, 200, 429]  # served, limited per process
    email = tenant.emails["viewer"]
    logins = [
        (
            await client.post("/api/v1/auth/token", data={"username": email, "password": "nope"})
        ).status_code
        for _ in range(4)
    ]
    assert logins == [401, 401, 401, 429]  # 3/minute per account
    ready = await client.get("/health/ready")
    assert ready.status_code == 200  # still serving: degraded, not out of rotation
    assert ready.json()["status"] == "degraded"
    # Each Redis client is its own check: the job queue and the event bus live in Redis too.
    assert ready.json()["failing"] == ["cache", "rate_limits", "events", "jobs"]


async def test_current_password_checks_get_the_login_limit(
    limited: list[tuple[FastAPI, httpx.AsyncClient]],
) -> None:
    app, client = limited[0]
    tenant = await make_tenant(app, "Guessing Co")
    body = {"current_password": "guess", "new_password": "a new long password"}
    statuses = [
        (
            await client.post("/api/v1/users/me/password", json=body, headers=tenant.headers())
        ).status_code
        for _ in range(4)
    ]
    assert statuses == [400, 400, 400, 429]  # 3/minute per account, like login
