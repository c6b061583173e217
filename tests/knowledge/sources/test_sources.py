"""Documentation source settings: manual-only sources, what may be null, the OpenAPI schema."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from fastapi import FastAPI

from aicaller.knowledge.sources import tasks
from tests.factories import Tenant
from tests.knowledge.sources.test_sync import SOURCES, add_source
from tests.knowledge.sources.test_sync_jobs import job_context

URL = "https://docs.example.com/"


async def sync_started(client: httpx.AsyncClient, tenant: Tenant, source_id: str) -> bool:
    """Whether a sync of the source is running (starting another one says so with a 409)."""
    response = await client.post(f"{SOURCES}/{source_id}/sync", headers=tenant.headers())
    return response.status_code == 409


async def test_a_source_created_with_a_null_interval_is_only_synced_by_hand(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    manual = await add_source(client, tenant, URL, resync_interval_hours=None)
    assert manual["resync_interval_hours"] is None
    stored = await client.get(f"{SOURCES}/{manual['id']}", headers=tenant.headers())
    assert stored.json()["resync_interval_hours"] is None
    assert await tasks.resync_due_sources(job_context(app, None), {}) == {"started": 0}
    assert not await sync_started(client, tenant, manual["id"])


async def test_left_out_the_interval_is_a_day_and_the_schedule_takes_it(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    scheduled = await add_source(client, tenant, URL)
    assert scheduled["resync_interval_hours"] == 24
    assert await tasks.resync_due_sources(job_context(app, None), {}) == {"started": 1}
    assert await sync_started(client, tenant, scheduled["id"])


async def test_an_update_to_a_null_interval_takes_the_source_off_the_schedule(
    app: FastAPI, client: httpx.AsyncClient, tenant: Tenant
) -> None:
    source = await add_source(client, tenant, URL, resync_interval_hours=6)
    changed = await client.patch(
        f"{SOURCES}/{source['id']}", json={"resync_interval_hours": None}, headers=tenant.headers()
    )
    assert changed.json()["resync_interval_hours"] is None
    assert await tasks.resync_due_sources(job_context(app, None), {}) == {"started": 0}
    back = await client.patch(
        f"{SOURCES}/{source['id']}", json={"resync_interval_hours": 12}, headers=tenant.headers()
    )
    assert back.json()["resync_interval_hours"] == 12
    assert await tasks.resync_due_sources(job_context(app, None), {}) == {"started": 1}


@pytest.mark.parametrize("field", ["url", "name", "max_pages", "include_patterns", "concurrency"])
async def test_null_is_refused_where_the_schema_says_it_is_not_allowed(
    client: httpx.AsyncClient, tenant: Tenant, field: str
) -> None:
    source = await add_source(client, tenant, URL, name="Docs")
    patched = await client.patch(
        f"{SOURCES}/{source['id']}", json={field: None}, headers=tenant.headers()
    )
    assert (patched.status_code, patched.json()["code"]) == (422, "validation_error")
    assert (await client.get(f"{SOURCES}/{source['id']}", headers=tenant.headers())).json() == (
        source
    )
    if field != "url":
        created = await client.post(
            SOURCES, json={"url": URL, field: None}, headers=tenant.headers()
        )
        assert created.status_code == 422, created.text
    listed = (await client.get(SOURCES, headers=tenant.headers())).json()["items"]
    assert [item["id"] for item in listed] == [source["id"]]


def _allows_null(schema: dict[str, Any]) -> bool:
    return '"null"' in json.dumps(schema)


@pytest.mark.parametrize("model", ["SourceCreate", "SourceUpdate"])
async def test_the_openapi_schema_marks_only_the_interval_and_selector_nullable(
    client: httpx.AsyncClient, model: str
) -> None:
    schemas = (await client.get("/openapi.json")).json()["components"]["schemas"]
    properties = schemas[model]["properties"]
    nullable = sorted(name for name, schema in properties.items() if _allows_null(schema))
    assert nullable == ["content_selector", "resync_interval_hours"]
    assert properties["url"]["type"] == "string"
    assert properties["max_pages"] == {
        "type": "integer", "minimum": 1, "maximum": 100_000, "title": "Max Pages"
    }  # fmt: skip
