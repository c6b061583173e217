"""Which job system a process gets, how job modules load, and how notifications fan out."""

from __future__ import annotations

import asyncio
import uuid
from collections.abc import Sequence

import pytest

from aicaller.config import Settings
from aicaller.core.process_pool import ProcessPool
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.knowledge.documentation_scraper.parse import warm_up
from aicaller.worker import (
    JOB_MODULES_ENV,
    JobRegistry,
    JobResources,
    JobRunner,
    QueueClient,
    QueueWorker,
    create_job_system,
    create_worker,
    load_job_modules,
    notify,
    registry,
)
from aicaller.worker.loader import discover_task_modules
from tests.worker.sample_jobs import SLOW_EFFECT


def test_the_mode_follows_the_redis_setting(db: Database, fast_settings: Settings) -> None:
    embedded = fast_settings.model_copy(update={"redis_url": None})
    with_redis = fast_settings.model_copy(update={"redis_url": "redis://127.0.0.1:6379/15"})
    assert isinstance(create_job_system(embedded, db), JobRunner)
    assert isinstance(create_worker(embedded, db), JobRunner)
    # Nothing connects before start(): building them needs no Redis.
    assert isinstance(create_job_system(with_redis, db), QueueClient)
    assert isinstance(create_worker(with_redis, db), QueueWorker)
    assert create_job_system(with_redis, db).mode == "queue"


def test_job_modules_come_from_the_domains_and_the_environment(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(JOB_MODULES_ENV, " tests.worker.sample_jobs , ,")
    assert "tests.worker.sample_jobs" in load_job_modules()
    assert registry.get(SLOW_EFFECT) is not None
    monkeypatch.setenv(JOB_MODULES_ENV, "tests.worker.no_such_module")
    with pytest.raises(ModuleNotFoundError):
        load_job_modules()


def test_task_modules_of_sub_domains_are_found() -> None:
    """Jobs live in the tasks.py of a domain or of a sub-domain package (knowledge/sources/)."""
    found = discover_task_modules()
    assert {"aicaller.agent.tasks", "aicaller.knowledge.sources.tasks"} <= set(found)


def test_a_failing_listener_does_not_silence_the_others(db: Database) -> None:
    heard: list[uuid.UUID] = []

    def broken(refs: Sequence[notify.JobRef]) -> None:
        raise RuntimeError("listener bug")

    def working(refs: Sequence[notify.JobRef]) -> None:
        heard.extend(ref.id for ref in refs)

    ref = notify.JobRef(uuid.uuid4(), 0, utcnow())
    notify.attach(db.engine, broken)
    notify.attach(db.engine, working)
    try:
        notify.publish(db.engine, [])
        notify.publish(db.engine, [ref])
    finally:
        notify.detach(db.engine, broken)
        notify.detach(db.engine, working)
        notify.detach(db.engine, working)  # detaching twice is harmless
    notify.publish(db.engine, [ref])
    assert heard == [ref.id]


def _warm() -> None:
    """A warm-up for the pool's workers (module-level: it is pickled)."""


async def _started(pool: ProcessPool) -> bool:
    for _ in range(600):
        if pool.started:
            return True
        await asyncio.sleep(0.05)
    return False


@pytest.mark.parametrize(
    ("redis_url", "preload", "started"),
    [(None, True, True), (None, False, False), ("redis://127.0.0.1:6379/15", True, False)],
)
async def test_the_process_that_runs_jobs_starts_its_pool_with_the_warm_ups(
    db: Database, fast_settings: Settings, redis_url: str | None, preload: bool, started: bool
) -> None:
    """The embedded runner's process starts its pool's workers at once (a user's first sync
    must not wait for them); a process that dispatches to Redis workers never starts one."""
    settings = fast_settings.model_copy(
        update={"redis_url": redis_url, "knowledge_extract_preload": preload}
    )
    jobs = JobRegistry()
    jobs.warm_processes(_warm)
    pool = ProcessPool(1)
    try:
        create_job_system(settings, db, registry=jobs, resources=JobResources(processes=pool))
        if started:
            assert await _started(pool)
        else:
            await asyncio.sleep(0.5)  # a preload would have submitted by now
            assert pool.started == 0
    finally:
        pool.shutdown()


def test_documentation_syncs_warm_the_extraction_processes() -> None:
    load_job_modules()
    assert warm_up in registry.process_warm_ups()
