"""Fixtures of the migration tests."""

from __future__ import annotations

import uuid
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from sqlalchemy import event, text
from sqlalchemy.ext.asyncio import AsyncEngine, create_async_engine

from aicaller.database.session import enable_sqlite_pragmas
from tests.fixtures import BACKENDS, PG_URL


@pytest.fixture(params=BACKENDS)
async def empty_engine(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[AsyncEngine]:
    """A database with no tables: a fresh SQLite file, or a fresh PostgreSQL schema."""
    if request.param == "sqlite":
        engine = create_async_engine(f"sqlite+aiosqlite:///{tmp_path / 'migrations.db'}")
        # The app's pragmas (foreign keys on), as `aicaller db upgrade` runs with them.
        event.listen(engine.sync_engine, "connect", enable_sqlite_pragmas)
        yield engine
        await engine.dispose()
        return
    assert PG_URL is not None
    schema = f"migtest_{uuid.uuid4().hex[:8]}"
    admin = create_async_engine(PG_URL)
    async with admin.begin() as connection:
        await connection.execute(text(f'CREATE SCHEMA "{schema}"'))
    engine = create_async_engine(PG_URL, connect_args={"server_settings": {"search_path": schema}})
    try:
        yield engine
    finally:
        await engine.dispose()
        async with admin.begin() as connection:
            await connection.execute(text(f'DROP SCHEMA "{schema}" CASCADE'))
        await admin.dispose()
