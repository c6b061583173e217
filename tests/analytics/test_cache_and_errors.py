"""Caching (hit, then a write clears it), 422s that change nothing, roles and scopes."""

from __future__ import annotations

from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.database.models import Call
from tests.analytics.seed import PERIOD
from tests.factories import Tenant, create_api_key

DASHBOARD = "/api/v1/analytics/dashboard"


async def _dashboard(client: httpx.AsyncClient, tenant: Tenant) -> tuple[str, int]:
    response = await client.get(DASHBOARD, params=PERIOD, headers=tenant.headers())
    assert response.status_code == 200, response.text
    assert response.headers["cache-control"] == "private, no-cache"
    return response.headers["x-cache"], response.json()["figures"]["escalated_calls"]["value"]


async def test_a_hit_then_every_kind_of_write_clears_it(
    client: httpx.AsyncClient, tenant: Tenant, other_tenant: Tenant, seeded: dict[str, Call]
) -> None:
    assert await _dashboard(client, tenant) == ("miss", 1)
    assert await _dashboard(client, tenant) == ("hit", 1)
    call_id = str(seeded["c8"].id)
    writes = [
        ("post", f"/api/v1/calls/{call_id}/notes", {"body": "called back"}),
        ("post", f"/api/v1/calls/{call_id}/escalations", {"reason": "wants a manager"}),
        ("patch", f"/api/v1/calls/{call_id}", {"summary": "changed"}),
        (
            "post",
            f"/api/v1/calls/{call_id}/evaluations",
            {"results": [{"key": k, "result": "na"} for k in await _criteria(client, tenant)]},
        ),
    ]
    expected_escalated = [1, 2, 2, 2]
    for (method, path, body), escalated in zip(writes, expected_escalated, strict=True):
        done = await client.request(method, path, json=body, headers=tenant.headers())
        assert done.status_code in (200, 201), done.text
        assert await _dashboard(client, tenant) == ("miss", escalated), path
        assert await _dashboard(client, tenant) == ("hit", escalated)
    # Another business's write leaves this one's cache alone.
    other = await client.post(
        "/api/v1/calls",
        json={"direction": "inbound", "from_number": "+14155550123", "to_number": "+14155550124"},
        headers=other_tenant.headers(),
    )
    assert other.status_code == 201
    assert (await _dashboard(client, tenant))[0] == "hit"


async def _criteria(client: httpx.AsyncClient, tenant: Tenant) -> list[str]:
    cards = await client.get("/api/v1/qa/scorecards", headers=tenant.headers())
    return [c["key"] for c in cards.json()[0]["criteria"]]


@pytest.mark.parametrize(
    ("path", "params", "code"),
    [
        ("call-volume", {"interval": "minute"}, "validation_error"),
        ("call-volume", {"from": "2026-03-10", "to": "2026-03-09"}, "invalid_analytics_range"),
        ("call-volume", {"from": "2024-01-01", "to": "2026-01-01"}, "analytics_range_too_long"),
        (
            "call-volume",
            {"interval": "hour", "from": "2026-01-01", "to": "2026-05-01"},
            "analytics_too_many_buckets",
        ),
        ("call-volume", {"group_by": "agent"}, "validation_error"),
        ("dashboard", {"period": "1y"}, "validation_error"),
        ("dashboard", {"period": "custom", "from": "2026-03-01"}, "invalid_analytics_range"),
        ("dashboard", {"period": "7d", "from": "2026-03-01"}, "invalid_analytics_range"),
        ("dashboard", {"from": "1900-01-01"}, "validation_error"),
        ("dashboard", {"from": "not-a-date"}, "validation_error"),
        ("trends", {"metric": "revenue"}, "validation_error"),
        ("trends", {}, "validation_error"),
        ("trends", {"metric": "total_calls", "window": 0}, "validation_error"),
        ("qa-stats", {"lowest": 1000}, "validation_error"),
        ("exports/calls", {"format": "xlsx"}, "validation_error"),
        ("exports/calls", {"max_rows": 10_000_000}, "export_too_many_rows"),
        ("exports/calls", {"include": "recordings"}, "validation_error"),
    ],
)
async def test_bad_parameters_are_422_problems_that_change_nothing(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    path: str,
    params: dict[str, Any],
    code: str,
) -> None:
    response = await client.get(
        f"/api/v1/analytics/{path}", params=params, headers=tenant.headers()
    )
    assert response.status_code == 422, response.text
    assert response.headers["content-type"] == "application/problem+json"
    assert response.json()["code"] == code
    # Nothing was computed or cached: the next valid request is a miss.
    fresh = await client.get(DASHBOARD, headers=tenant.headers())
    assert fresh.headers["x-cache"] == "miss"


async def test_roles_and_api_key_scopes(client: httpx.AsyncClient, tenant: Tenant) -> None:
    for role in ("admin", "supervisor", "agent", "viewer"):
        read = await client.get(DASHBOARD, headers=tenant.headers(role))
        assert read.status_code == 200, role
        export = await client.get("/api/v1/analytics/exports/calls", headers=tenant.headers(role))
        assert export.status_code == (200 if role in ("admin", "supervisor") else 403), role
    reader = await create_api_key(client, tenant, ["analytics:read"], name="reader")
    exporter = await create_api_key(client, tenant, ["analytics:export"], name="exporter")
    calls_only = await create_api_key(client, tenant, ["calls:read"], name="calls")
    for key, dashboard_status, export_status in (
        (reader, 200, 403),
        (exporter, 403, 200),
        (calls_only, 403, 403),
    ):
        headers = {"Authorization": f"Bearer {key['key']}"}
        assert (await client.get(DASHBOARD, headers=headers)).status_code == dashboard_status
        exported = await client.get("/api/v1/analytics/exports/calls", headers=headers)
        assert exported.status_code == export_status
    assert (await client.get(DASHBOARD)).status_code == 401
