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

from sqlalchemy import event, exc, text
from sqlalchemy.engine import Dialect, make_url
from sqlalchemy.ext.asyncio import (
    AsyncEngine,
    AsyncSession,
    async_sessionmaker,
    create_async_engine,
)

from aicaller.config import Settings
from aicaller.core.cache import AFTER_COMMIT
from aicaller.core.errors import DatabaseUnavailable
from aicaller.core.logging import describe_exception, get_logger
from aicaller.core.text import load_json

T = TypeVar("T")
logger = get_logger("aicaller.database")
# SQLSTATEs of a server that is unreachable, shutting down, starting up or full: connection
# exceptions (08), admin/crash shutdown and "cannot connect now" (57P01-03), too many clients.
_UNAVAILABLE_SQLSTATES = ("08", "57P01", "57P02", "57P03", "53300")


def enable_sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets readers run during a write; foreign keys are off by default in SQLite; the busy
    # timeout makes concurrent writers wait instead of failing with "database is locked". It is
    # as long as Twilio waits for a webhook's answer: with eight streamed calls on a loaded
    # machine, a call's webhook queued behind the others' turns for over 5 s and failed with a
    # 500 (docs/benchmarks.md, Voice), where waiting, as PostgreSQL's row locks do, answers.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=15000")
    cursor.execute("PRAGMA synchronous=NORMAL")
    cursor.close()


def is_unavailable(error: BaseException) -> bool:
    """Whether a SQLAlchemy error says the database server cannot be reached (not that a
    statement is wrong): a dropped connection, an exhausted pool, a server going away. Other
    exceptions are never taken for it: an OSError of the application's own is no outage."""
    if isinstance(error, exc.TimeoutError):  # no pooled connection came free in time
        return True
    if not isinstance(error, exc.DBAPIError):
        return False
    return error.connection_invalidated or (error.orig is not None and _unreachable(error.orig))


def _unreachable(error: BaseException) -> bool:
    """A driver's error for a server that is unreachable, shutting down or out of slots."""
    if isinstance(error, OSError | TimeoutError):
        return True
    sqlstate = getattr(error, "sqlstate", None) or getattr(error, "pgcode", None)
    return isinstance(sqlstate, str) and sqlstate.startswith(_UNAVAILABLE_SQLSTATES)


def _connect_or_unavailable(
    dialect: Dialect, _record: Any, cargs: tuple[Any, ...], cparams: dict[str, Any]
) -> Any:
    # asyncpg lets network errors of a new connection (refused, reset, timed out) through
    # untranslated, so without this they would surface as bare OSErrors.
    try:
        return dialect.connect(*cargs, **cparams)
    except Exception as error:
        if _unreachable(error):
            raise DatabaseUnavailable() from error
        raise


def create_engine(settings: Settings, url: str | None = None) -> AsyncEngine:
    """An async engine for SQLite (embedded) or PostgreSQL (pooled) from the settings.

    ``hide_parameters``: a failed statement's error message (and so any traceback or log line
    made from it) leaves out the bound values, which hold note bodies, documents and emails.
    Only the explicit debugging switch ``db_echo`` shows them.
    """
    database_url = url or settings.resolved_database_url
    parsed = make_url(database_url)
    if parsed.get_backend_name() == "sqlite":
        if parsed.database and parsed.database != ":memory:":
            Path(parsed.database).parent.mkdir(parents=True, exist_ok=True)
        engine = create_async_engine(
            database_url,
            echo=settings.db_echo,
            hide_parameters=not settings.db_echo,
            json_deserializer=load_json,
        )
        event.listen(engine.sync_engine, "connect", enable_sqlite_pragmas)
        return engine
    engine = create_async_engine(
        database_url,
        echo=settings.db_echo,
        hide_parameters=not settings.db_echo,
        pool_size=settings.db_pool_size,
        max_overflow=settings.db_max_overflow,
        pool_timeout=settings.db_pool_timeout,
        pool_recycle=settings.db_pool_recycle,
        pool_pre_ping=settings.db_pool_pre_ping,
        json_deserializer=load_json,
        connect_args={"timeout": settings.db_connect_timeout},
    )
    event.listen(engine.sync_engine, "do_connect", _connect_or_unavailable)
    return engine


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
            except BaseException as error:
                await session.rollback()
                if isinstance(error, Exception) and is_unavailable(error):
                    raise DatabaseUnavailable() from error
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
        error = None if task.cancelled() else task.exception()
        if error is not None:
            logger.warning("write_failed_while_cancelled", error=describe_exception(error))
        raise
