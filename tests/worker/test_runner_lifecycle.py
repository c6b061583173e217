"""The embedded runner's lifecycle: graceful stop, dead workers, cancellation, health,
registration, delayed jobs, schedules and purging."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from sqlalchemy import update

from aicaller.config import Settings
from aicaller.database.models import Job
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import (
    JobContext,
    JobRegistry,
    JobRunner,
    cancel_job,
    enqueue,
)
from aicaller.worker.maintenance import STALE_ERROR
from tests.worker.conftest import (
    RunnerFactory,
    count_jobs,
    enqueue_job,
    job_has_status,
    load_job,
    wait_until,
)


async def test_graceful_stop_lets_running_jobs_finish(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()

    @registry.job("short")
    async def short(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0.3)
        return {"done": True}

    runner = await start_runner(db, fast_settings, registry)
    job_id = await enqueue_job(db, "short")
    await wait_until(lambda: job_has_status(db, job_id, "running"))
    await runner.stop()
    job = await load_job(db, job_id)
    assert (job.status, job.result) == ("succeeded", {"done": True})


async def test_graceful_stop_releases_jobs_that_outlast_the_grace_period(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    starts: list[str] = []

    @registry.job("long")
    async def long(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        starts.append(ctx.worker_id)
        if len(starts) == 1:
            await asyncio.sleep(60)
        return {"attempt": ctx.attempt}

    settings = fast_settings.model_copy(update={"jobs_shutdown_grace_seconds": 0.2})
    first = await start_runner(db, settings, registry, worker_id="first")
    job_id = await enqueue_job(db, "long")
    await wait_until(lambda: job_has_status(db, job_id, "running"))
    started = time.monotonic()
    await first.stop()
    assert time.monotonic() - started < 5
    released = await load_job(db, job_id)
    assert (released.status, released.attempts, released.locked_by) == ("queued", 0, None)
    assert await first.health() == await first.health()  # safe to ask a stopped runner
    assert (await first.health())["status"] == "error"

    await start_runner(db, settings, registry, worker_id="second")
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"))
    done = await load_job(db, job_id)
    assert (done.attempts, done.result) == (1, {"attempt": 1})
    assert starts == ["first", "second"]


async def test_a_job_whose_worker_stopped_heartbeating_is_run_again(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    runs: list[int] = []

    @registry.job("resumable")
    async def resumable(ctx: JobContext, payload: dict[str, Any]) -> None:
        runs.append(ctx.attempt)

    long_ago = utcnow() - timedelta(hours=1)
    async with db.transaction() as session:
        orphan = await enqueue(session, "resumable", max_attempts=3)
        exhausted = await enqueue(session, "resumable", max_attempts=2)
        alive = await enqueue(session, "resumable", max_attempts=3)
        await session.flush()
        for job, attempts, heartbeat in ((orphan, 1, long_ago), (exhausted, 2, long_ago)):
            await _mark_running(session, job.id, attempts, heartbeat, "dead-worker")
        await _mark_running(session, alive.id, 1, utcnow() + timedelta(hours=1), "live-worker")

    await start_runner(db, fast_settings, registry)
    await wait_until(lambda: job_has_status(db, orphan.id, "succeeded"))
    await wait_until(lambda: job_has_status(db, exhausted.id, "failed"))
    recovered, failed = await load_job(db, orphan.id), await load_job(db, exhausted.id)
    assert recovered.attempts == 2
    assert (failed.attempts, failed.last_error) == (2, STALE_ERROR)
    assert runs == [2]
    assert await job_has_status(db, alive.id, "running")  # a fresh heartbeat is left alone


async def _mark_running(
    session: Any, job_id: uuid.UUID, attempts: int, heartbeat: Any, worker: str
) -> None:
    await session.execute(
        update(Job)
        .where(Job.id == job_id)
        .values(status="running", attempts=attempts, heartbeat_at=heartbeat, locked_by=worker)
    )


async def test_cancelling_a_running_job_stops_its_handler(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    checkpoints: list[bool] = []
    finished: list[str] = []

    @registry.job("endless")
    async def endless(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        checkpoints.append(await ctx.is_cancelled())
        await asyncio.sleep(60)
        return {"never": True}

    await start_runner(
        db,
        fast_settings,
        registry,
        on_job_finished=lambda _n, outcome, _d: finished.append(outcome),
    )
    job_id = await enqueue_job(db, "endless")
    await wait_until(lambda: asyncio.sleep(0, bool(checkpoints)))
    async with db.transaction() as session:
        assert await cancel_job(session, job_id)
    await wait_until(lambda: asyncio.sleep(0, finished == ["lost"]), within=5)
    job = await load_job(db, job_id)
    assert (job.status, job.result) == ("cancelled", None)
    assert checkpoints == [False]


async def test_a_cooperative_handler_sees_cancellation(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    observed: list[str] = []

    @registry.job("polite")
    async def polite(ctx: JobContext, payload: dict[str, Any]) -> None:
        for _ in range(1000):
            if ctx.cancel_requested:
                break
            await asyncio.sleep(0.01)
        observed.append("saw it")
        await ctx.raise_if_cancelled()

    await start_runner(db, fast_settings, registry)
    job_id = await enqueue_job(db, "polite")
    await wait_until(lambda: job_has_status(db, job_id, "running"))
    async with db.transaction() as session:
        await cancel_job(session, job_id)
    await wait_until(lambda: asyncio.sleep(0, bool(observed)), within=5)
    assert (await load_job(db, job_id)).status == "cancelled"


async def test_health_reports_the_loop_and_the_backlog(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    runner = await start_runner(db, fast_settings, registry)
    await enqueue_job(db, "nobody.handles.this")
    await enqueue_job(db, "nobody.handles.this", run_at=utcnow() + timedelta(hours=1))
    await wait_until(lambda: asyncio.sleep(0, runner.last_poll_at is not None))
    health = await runner.health()
    assert health["status"] == "ok"
    assert health["mode"] == "embedded"
    assert health["jobs"] == {"queued": 2, "due": 1, "running": 0}
    assert (health["running"], health["concurrency"]) == (0, 4)
    # Jobs without a handler in this process are left for a process that has one.
    assert await count_jobs(db, Job.status == "queued") == 2


async def test_handlers_and_schedules_are_registered_once(fast_settings: Settings) -> None:
    registry = JobRegistry()

    async def handler(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    registry.register("a", handler)
    registry.register("a", handler)  # importing a module twice is fine
    with pytest.raises(ValueError, match="different handler"):
        registry.job("a")(_other_handler)
    with pytest.raises(ValueError, match="max_attempts"):
        registry.register("b", handler, max_attempts=0)
    assert registry.names() == ["a"]


async def _other_handler(ctx: JobContext, payload: dict[str, Any]) -> None:
    return None


async def test_a_delayed_job_waits_for_its_time(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    ran_at: list[float] = []

    @registry.job("later")
    async def later(ctx: JobContext, payload: dict[str, Any]) -> None:
        ran_at.append(time.monotonic())

    # Polls rarely: the runner wakes itself when the delayed job falls due.
    runner = await start_runner(
        db, fast_settings.model_copy(update={"jobs_poll_seconds": 5}), registry
    )
    await wait_until(lambda: asyncio.sleep(0, runner.last_poll_at is not None))
    enqueued = time.monotonic()
    job_id = await enqueue_job(db, "later", run_at=utcnow() + timedelta(seconds=0.3))
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=5)
    assert 0.25 <= ran_at[0] - enqueued < 4  # well before the next poll


async def test_a_broken_schedule_does_not_stop_other_jobs(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()

    @registry.job("fine")
    async def fine(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    registry.schedule("x" * 300, every=timedelta(seconds=1))  # enqueue refuses the name
    runner = await start_runner(db, fast_settings, registry)
    job_id = await enqueue_job(db, "fine")
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"))
    assert await runner.maintenance.run(utcnow()) == ["schedule"]
    assert (await runner.health())["status"] == "ok"


async def test_finished_jobs_are_purged_after_the_retention_period(
    db: Database, fast_settings: Settings
) -> None:
    registry = JobRegistry()
    now = utcnow()
    async with db.transaction() as session:
        old, recent, waiting = [await enqueue(session, "x") for _ in range(3)]
    async with db.transaction() as session:
        for job, finished in ((old, now - timedelta(days=31)), (recent, now - timedelta(days=1))):
            await session.execute(
                update(Job).where(Job.id == job.id).values(status="succeeded", finished_at=finished)
            )
    maintenance = JobRunner(db, fast_settings, registry=registry).maintenance
    assert await maintenance.run(now) == []
    assert await count_jobs(db) == 2
    assert await count_jobs(db, Job.id == old.id) == 0
    assert await count_jobs(db, Job.id == waiting.id) == 1
