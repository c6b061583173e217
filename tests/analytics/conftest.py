"""Fixtures of the analytics tests: a business in New York with the hand-built data."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Call
from tests.analytics.seed import TZ, seed
from tests.factories import Tenant


async def set_timezone(client: httpx.AsyncClient, tenant: Tenant, timezone: str) -> None:
    response = await client.patch(
        "/api/v1/config", json={"timezone": timezone}, headers=tenant.headers()
    )
    assert response.status_code == 200, response.text


@pytest.fixture
async def seeded(app: FastAPI, client: httpx.AsyncClient, tenant: Tenant) -> dict[str, Call]:
    await set_timezone(client, tenant, TZ)
    return await seed(app.state.database, tenant.business_id)


async def get_json(
    client: httpx.AsyncClient, tenant: Tenant, path: str, role: str = "admin", **params: Any
) -> dict[str, Any]:
    response = await client.get(
        f"/api/v1/analytics/{path}", params=params, headers=tenant.headers(role)
    )
    assert response.status_code == 200, response.text
    body: dict[str, Any] = response.json()
    return body
