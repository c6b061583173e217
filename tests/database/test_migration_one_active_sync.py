"""0012 lets a documentation source have one pending or running sync at most: duplicates
already there are cancelled on upgrade (the oldest stays), the database refuses a second one
after, and a downgrade takes the rule away again (SQLite and PostgreSQL)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import JSON, Boolean, Double, Integer, String, column, inspect, select, table
from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncEngine

from aicaller.database import migrate
from tests.database.test_migrations_data import _one_chunk, _typed

SOURCE_COLUMNS = ("id", "business_id", "created_at", "updated_at", "last_synced_at")
SYNC_COLUMNS = ("id", "business_id", "source_id", "created_at", "updated_at", "finished_at")
COUNTERS = ("discovered", "fetched", "unchanged", "skipped", "failed", "indexed", "removed")
T0 = datetime(2026, 3, 10, 9, tzinfo=UTC)

sources = table(
    "documentation_sources", *_typed(SOURCE_COLUMNS),
    column("name", String()), column("url", String()),
    column("include_patterns", JSON()), column("exclude_patterns", JSON()),
    *(column(name, Integer()) for name in ("max_pages", "max_depth", "max_page_bytes")),
    column("delay_seconds", Double()), column("concurrency", Integer()),
)  # fmt: skip
syncs = table(
    "sync_jobs", *_typed(SYNC_COLUMNS), column("status", String()), column("error", String()),
    column("force", Boolean()), column("capped", Boolean()),
    *(column(name, Integer()) for name in (*COUNTERS, "requests")),
)  # fmt: skip


async def _source(engine: AsyncEngine, business: uuid.UUID) -> uuid.UUID:
    source = uuid.uuid4()
    async with engine.begin() as connection:
        await connection.execute(
            sources.insert().values(
                id=source, business_id=business, name="Docs", url="https://docs.example.com/",
                include_patterns=[], exclude_patterns=[], max_pages=500, max_depth=5,
                max_page_bytes=2_000_000, delay_seconds=0.0, concurrency=4,
                created_at=T0, updated_at=T0,
            )
        )  # fmt: skip
    return source


async def _add_sync(
    engine: AsyncEngine, business: uuid.UUID, source: uuid.UUID, status: str, minutes: int
) -> uuid.UUID:
    sync_id, at = uuid.uuid4(), T0 + timedelta(minutes=minutes)
    values: dict[str, Any] = dict.fromkeys((*COUNTERS, "requests"), 0)
    async with engine.begin() as connection:
        await connection.execute(
            syncs.insert().values(
                id=sync_id, business_id=business, source_id=source, status=status,
                force=False, capped=False, created_at=at, updated_at=at, **values,
            )
        )  # fmt: skip
    return sync_id


async def _statuses(engine: AsyncEngine) -> dict[uuid.UUID, tuple[str, str | None]]:
    async with engine.connect() as connection:
        rows = await connection.execute(select(syncs.c.id, syncs.c.status, syncs.c.error))
        return {row.id: (row.status, row.error) for row in rows}


async def _indexes(engine: AsyncEngine) -> set[str]:
    async with engine.connect() as connection:
        found = await connection.run_sync(lambda sync: inspect(sync).get_indexes("sync_jobs"))
    return {index["name"] or "" for index in found}


@pytest.mark.filterwarnings("ignore:.*expression-based index")
async def test_one_active_sync_per_source_comes_and_goes(empty_engine: AsyncEngine) -> None:
    await migrate.upgrade(empty_engine, "0011")
    business = (await _one_chunk(empty_engine))["business"]
    source, other = await _source(empty_engine, business), await _source(empty_engine, business)
    oldest = await _add_sync(empty_engine, business, source, "running", 1)
    newer = await _add_sync(empty_engine, business, source, "pending", 2)
    done = await _add_sync(empty_engine, business, source, "completed", 0)
    elsewhere = await _add_sync(empty_engine, business, other, "pending", 3)

    await migrate.upgrade(empty_engine, "0012")
    assert "uq_sync_jobs_one_active" in await _indexes(empty_engine)
    statuses = await _statuses(empty_engine)
    assert statuses[oldest] == ("running", None)
    assert statuses[newer][0] == "cancelled"
    assert "another sync of this source was already active" in str(statuses[newer][1])
    assert (statuses[done], statuses[elsewhere]) == (("completed", None), ("pending", None))
    with pytest.raises(IntegrityError):
        await _add_sync(empty_engine, business, source, "pending", 4)
    await _add_sync(empty_engine, business, source, "failed", 5)  # ended syncs are not limited

    await migrate.downgrade(empty_engine, "0011")
    assert "uq_sync_jobs_one_active" not in await _indexes(empty_engine)
    second = await _add_sync(empty_engine, business, source, "pending", 6)
    statuses = await _statuses(empty_engine)
    assert (statuses[oldest][0], statuses[second][0]) == ("running", "pending")
