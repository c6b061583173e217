"""Fixtures for the job system: a fast-ticking Settings, databases, runners that always stop."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from sqlalchemy import delete, func, select

from aicaller.config import Settings
from aicaller.database.base import Base
from aicaller.database.models import Job
from aicaller.database.session import Database, create_engine
from aicaller.worker import JobRegistry, JobRunner, enqueue
from aicaller.worker import registry as default_registry
from tests.fixtures import REDIS_URL

FAST: dict[str, Any] = {
    "jobs_poll_seconds": 0.05,
    "jobs_heartbeat_seconds": 0.2,
    # Generous: under load SQLite can starve a heartbeat's write for a second or more, and a
    # reaped job runs twice (at least once is the contract). Reaping tests age rows instead.
    "jobs_stale_after_seconds": 10.0,
    "jobs_retry_base_delay_seconds": 0.1,
    "jobs_shutdown_grace_seconds": 2.0,
    "jobs_concurrency": 4,
    "jobs_max_attempts": 3,
}


@pytest.fixture
def fast_settings(settings: Settings) -> Settings:
    return settings.model_copy(update=FAST)


async def empty_tables(database: Database) -> None:
    async with database.transaction() as session:
        for table in reversed(Base.metadata.sorted_tables):
            await session.execute(delete(table))


@pytest.fixture
async def db(settings: Settings) -> AsyncIterator[Database]:
    """The test database (SQLite, and PostgreSQL when configured), emptied afterwards."""
    database = Database(create_engine(settings))
    try:
        yield database
    finally:
        await empty_tables(database)
        await database.dispose()


@pytest.fixture
async def other_db(settings: Settings) -> AsyncIterator[Database]:
    """A second engine on the same database: what a second app instance would have."""
    database = Database(create_engine(settings))
    try:
        yield database
    finally:
        await database.dispose()


RunnerFactory = Callable[..., Awaitable[JobRunner]]


@pytest.fixture
async def start_runner() -> AsyncIterator[RunnerFactory]:
    """Start a JobRunner; every runner started here is stopped at the end of the test."""
    started: list[JobRunner] = []

    async def start(
        database: Database, settings: Settings, registry: JobRegistry, **kwargs: Any
    ) -> JobRunner:
        runner = JobRunner(database, settings, registry=registry, **kwargs)
        await runner.start()
        started.append(runner)
        return runner

    yield start
    for runner in started:
        await runner.stop()


@pytest.fixture
def redis_url() -> str:
    if not REDIS_URL:
        pytest.skip("Redis mode needs AICALLER_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    return REDIS_URL


async def wait_until(
    check: Callable[[], Awaitable[bool]], within: float = 10.0, interval: float = 0.02
) -> None:
    """Poll ``check`` until it is true; fail the test after ``within`` seconds."""
    deadline = time.monotonic() + within
    while not await check():
        if time.monotonic() > deadline:
            raise AssertionError(f"condition not met within {within} s")
        await asyncio.sleep(interval)


async def load_job(database: Database, job_id: uuid.UUID) -> Job:
    async with database.transaction() as session:
        job = await session.get(Job, job_id)
        assert job is not None
        return job


async def job_has_status(database: Database, job_id: uuid.UUID, *statuses: str) -> bool:
    return (await load_job(database, job_id)).status in statuses


async def count_jobs(database: Database, *where: Any) -> int:
    """Jobs matching ``where``, leaving out the app's own periodic jobs (the embedded runner of
    every test app creates them on start)."""
    upkeep = [entry.job for entry in default_registry.schedules()]
    async with database.transaction() as session:
        statement = select(func.count()).select_from(Job).where(Job.name.not_in(upkeep), *where)
        return int((await session.execute(statement)).scalar_one())


async def enqueue_job(
    database: Database, name: str, payload: dict[str, Any] | None = None, **kwargs: Any
) -> uuid.UUID:
    async with database.transaction() as session:
        return (await enqueue(session, name, payload, **kwargs)).id


async def all_succeeded(database: Database, expected: int) -> bool:
    return await count_jobs(database, Job.status == "succeeded") == expected
