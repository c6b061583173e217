"""Engine, connection pool and the one unit of work that commits.

``Database.transaction()`` is the only place in the application that calls ``commit()``: the
request's session dependency and background jobs both go through it, so services and
repositories never commit or roll back themselves.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Coroutine
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Any, TypeVar

from sqlalchemy import event, text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from aicaller.config import Settings
from aicaller.core.cache import AFTER_COMMIT
from aicaller.core.logging import get_logger
from aicaller.core.text import load_json

T = TypeVar("T")
logger = get_logger("aicaller.database")


def enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run during a write; foreign keys are off by default in SQLite; the busy
    # timeout makes concurrent writers wait instead of failing with "database is locked".
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=5000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def create_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    """An async engine for SQLite (embedded) or PostgreSQL (pooled) from the settings."""
    database_url = url or settings.resolved_database_url
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            database_url, echo=settings.db_echo, json_deserializer=load_json
        )
        event.listen(engine.sync_engine, "connect", enable_sqlite_pragmas)
        return engine
    return create_async_engine(
        database_url,
        echo=settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        pool_pre_ping=settings.db_pool_pre_ping,
        json_deserializer=load_json,
    )


class Database:
    """The process's engine and session factory, opened and closed by the app lifespan."""

    def __init__(self, engine: AsyncEngine) -> None:
        self.engine = engine
        self.sessionmaker = async_sessionmaker(engine, expire_on_commit=False, autoflush=True)

    @asynccontextmanager
    async def transaction(self) -> AsyncIterator[AsyncSession]:
        """A session that commits when the block succeeds and rolls back when it raises."""
        async with self.sessionmaker() as session:
            try:
                yield session
                await session.commit()
            except BaseException:
                await session.rollback()
                raise
            # Work that must only happen once the data is durable (cache invalidation), queued
            # by services with aicaller.core.cache.run_after_commit.
            for callback in session.info.pop(AFTER_COMMIT, []):
                await callback()

    async def ping(self) -> None:
        """Run a trivial query; raises when the database cannot be reached."""
        async with self.engine.connect() as connection:
            await connection.execute(text("SELECT 1"))

    async def dispose(self) -> None:
        await self.engine.dispose()


async def run_to_the_end(work: Coroutine[Any, Any, T]) -> T:
    """Run ``work`` (a transaction) to its commit or failure even when the calling task is
    cancelled, then let the cancel go on. Background work that a shutdown cancels uses it:
    cancelled in the middle of a statement, SQLAlchemy closes the SQLite connection while the
    statement is still alive (referenced from the exception's traceback), and SQLite keeps such
    a connection, and its write lock, until the statement is garbage collected, so the next
    writer finds the database locked."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.shield(task)
    except asyncio.CancelledError:
        await asyncio.wait({task})
        if not task.cancelled() and task.exception() is not None:
            logger.warning("write_failed_while_cancelled", error=repr(task.exception()))
        raise
