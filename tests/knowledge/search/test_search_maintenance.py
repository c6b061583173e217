"""The search index is tidied after bulk writes: FTS5 segments merged, PostgreSQL analysed."""

from __future__ import annotations

import httpx
from fastapi import FastAPI
from sqlalchemy import text

from aicaller.database.session import Database
from aicaller.knowledge.search.maintenance import tidy_index
from tests.factories import Tenant
from tests.knowledge.site import DocSite
from tests.knowledge.sources.test_sync import add_source, small_site, sync

DOCUMENTS = "/api/v1/knowledge/documents"


async def _upload(client: httpx.AsyncClient, tenant: Tenant, name: str, body: str) -> None:
    response = await client.post(
        DOCUMENTS, files={"file": (name, body.encode())}, headers=tenant.headers()
    )
    assert response.status_code == 201, response.text


async def _analyses(database: Database) -> int:
    """How many times PostgreSQL has analysed ``chunks`` by hand (not autovacuum)."""
    async with database.transaction() as session:
        count = await session.scalar(
            text(
                "SELECT analyze_count FROM pg_stat_user_tables"
                " WHERE schemaname = current_schema() AND relname = 'chunks'"
            )
        )
        return int(count or 0)


async def test_tidying_merges_the_index_and_search_still_finds(
    client: httpx.AsyncClient, tenant: Tenant, database: Database, backend: str
) -> None:
    await tidy_index(database)  # whatever earlier tests left in the index: one segment
    # Each upload commits on its own, so FTS5 holds a segment per upload (three: FTS5 merges
    # four of one level by itself).
    for index in range(3):
        await _upload(client, tenant, f"room{index}.md", f"# Room {index}\n\nWhiteboard {index}.")
    analysed = await _analyses(database) if backend == "postgresql" else 0
    steps = await tidy_index(database)
    if backend == "sqlite":
        assert steps > 1  # merged ...
        assert await tidy_index(database) == 1  # ... and then nothing is left to merge
    else:
        assert await _analyses(database) == analysed + 1
    found = await client.get(
        "/api/v1/knowledge/search", params={"q": "room 2 whiteboard"}, headers=tenant.headers()
    )
    assert found.json()["results"][0]["title"] == "Room 2"


async def test_a_completed_sync_leaves_the_index_tidy(
    app: FastAPI,
    client: httpx.AsyncClient,
    tenant: Tenant,
    database: Database,
    backend: str,
    site: DocSite,
) -> None:
    small_site(site)
    analysed = await _analyses(database) if backend == "postgresql" else 0
    source = await add_source(client, tenant, site.url("/"))
    assert (await sync(app, client, tenant, source["id"]))["status"] == "completed"
    if backend == "sqlite":
        assert await tidy_index(database) == 1
    else:
        assert await _analyses(database) == analysed + 1
