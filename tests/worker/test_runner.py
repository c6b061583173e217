"""The embedded runner: runs committed jobs once, retries with backoff, survives dead workers."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
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
    PermanentJobError,
    cancel_job,
    enqueue,
    retry_delay,
)
from aicaller.worker.maintenance import STALE_ERROR
from tests.worker.conftest import RunnerFactory, count_jobs, job_has_status, load_job, wait_until


async def _enqueue(
    database: Database, name: str, payload: dict[str, Any] | None = None, **kwargs: Any
) -> uuid.UUID:
    async with database.transaction() as session:
        return (await enqueue(session, name, payload, **kwargs)).id


async def test_a_committed_job_runs_once_and_records_its_result(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    runs: list[JobContext] = []

    @registry.job("math.add")
    async def add(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        runs.append(ctx)
        return {"sum": payload["a"] + payload["b"]}

    finished: list[tuple[str, str, float]] = []
    # A long poll interval: the job starts because the commit woke the runner, not by polling.
    slow_poll = fast_settings.model_copy(update={"jobs_poll_seconds": 30.0})
    runner = await start_runner(
        db, slow_poll, registry, on_job_finished=lambda *event: finished.append(event)
    )
    await wait_until(lambda: asyncio.sleep(0, runner.last_poll_at is not None))
    started = time.monotonic()
    job_id = await _enqueue(db, "math.add", {"a": 2, "b": 3})
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=5)
    assert time.monotonic() - started < 5

    job = await load_job(db, job_id)
    assert job.result == {"sum": 5}
    assert (job.attempts, job.max_attempts, job.last_error, job.locked_by) == (1, 3, None, None)
    assert job.started_at is not None
    assert job.finished_at is not None
    assert len(runs) == 1
    assert (runs[0].attempt, runs[0].job_id, runs[0].worker_id) == (1, job_id, runner.worker_id)
    assert [(name, outcome) for name, outcome, _ in finished] == [("math.add", "succeeded")]
    await asyncio.sleep(0.2)
    assert len(runs) == 1


async def test_a_failing_job_backs_off_then_fails_with_its_error(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    attempts: list[tuple[int, float]] = []

    @registry.job("flaky")
    async def flaky(ctx: JobContext, payload: dict[str, Any]) -> None:
        attempts.append((ctx.attempt, time.monotonic()))
        raise ValueError(f"boom on attempt {ctx.attempt}")

    settings = fast_settings.model_copy(update={"jobs_retry_base_delay_seconds": 0.25})
    await start_runner(db, settings, registry)
    job_id = await _enqueue(db, "flaky", max_attempts=3)
    await wait_until(lambda: job_has_status(db, job_id, "failed"), within=10)

    job = await load_job(db, job_id)
    assert [number for number, _ in attempts] == [1, 2, 3]
    # Exponential backoff: base after the first failure, twice that after the second.
    assert attempts[1][1] - attempts[0][1] >= 0.25 - 0.02
    assert attempts[2][1] - attempts[1][1] >= 0.5 - 0.02
    assert job.attempts == 3
    assert job.last_error is not None
    assert job.last_error.startswith("ValueError: boom on attempt 3")
    assert "Traceback" in job.last_error
    assert job.result is None
    assert job.finished_at is not None


def test_retry_delay_doubles_per_attempt_and_is_capped() -> None:
    assert [retry_delay(n, 2.0) for n in (1, 2, 3, 4)] == [2.0, 4.0, 8.0, 16.0]
    assert retry_delay(90, 2.0) == 3600.0
    assert retry_delay(3, 0.0) == 0.0


async def test_a_retry_can_succeed_and_errors_are_truncated(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    seen_errors: list[str | None] = []

    @registry.job("second_time_lucky")
    async def lucky(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        seen_errors.append((await load_job(ctx.database, ctx.job_id)).last_error)
        if ctx.attempt == 1:
            raise RuntimeError("x" * 10_000)
        return {"attempt": ctx.attempt}

    await start_runner(db, fast_settings, registry)
    job_id = await _enqueue(db, "second_time_lucky")
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"))
    job = await load_job(db, job_id)
    assert (job.attempts, job.result, job.last_error) == (2, {"attempt": 2}, None)
    assert seen_errors[0] is None
    assert seen_errors[1] is not None
    assert len(seen_errors[1]) == 4000
    assert seen_errors[1].endswith("[truncated]")


async def test_permanent_errors_and_bad_results_fail_without_retrying(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()
    calls: Counter[str] = Counter()

    @registry.job("hopeless", max_attempts=5)
    async def hopeless(ctx: JobContext, payload: dict[str, Any]) -> None:
        calls["hopeless"] += 1
        raise PermanentJobError("the source was deleted")

    @registry.job("returns_a_list", max_attempts=1)
    async def returns_a_list(ctx: JobContext, payload: dict[str, Any]) -> Any:
        calls["returns_a_list"] += 1
        return [1, 2]

    await start_runner(db, fast_settings, registry)
    hopeless_id = await _enqueue(db, "hopeless")
    listy_id = await _enqueue(db, "returns_a_list")
    await wait_until(lambda: job_has_status(db, hopeless_id, "failed"))
    await wait_until(lambda: job_has_status(db, listy_id, "failed"))
    hopeless_job, listy_job = await load_job(db, hopeless_id), await load_job(db, listy_id)
    assert (hopeless_job.attempts, hopeless_job.max_attempts) == (1, 5)
    assert hopeless_job.last_error is not None
    assert hopeless_job.last_error.startswith("PermanentJobError: the source was deleted")
    assert listy_job.last_error is not None
    assert listy_job.last_error.startswith("TypeError: job handlers return a dict or None")
    assert calls == {"hopeless": 1, "returns_a_list": 1}


async def test_two_runners_on_one_database_never_run_a_job_twice(
    db: Database,
    other_db: Database,
    fast_settings: Settings,
    start_runner: RunnerFactory,
) -> None:
    registry = JobRegistry()
    executions: Counter[uuid.UUID] = Counter()
    by_worker: Counter[str] = Counter()

    @registry.job("count")
    async def count(ctx: JobContext, payload: dict[str, Any]) -> None:
        executions[ctx.job_id] += 1
        by_worker[ctx.worker_id] += 1
        await asyncio.sleep(0.01)

    await start_runner(db, fast_settings, registry, worker_id="runner-a")
    await start_runner(other_db, fast_settings, registry, worker_id="runner-b")
    async with db.transaction() as session:
        ids = [(await enqueue(session, "count", {"n": n})).id for n in range(60)]
    await wait_until(lambda: _all_succeeded(db, len(ids)), within=30)
    assert set(executions) == set(ids)
    assert set(executions.values()) == {1}
    assert sum(by_worker.values()) == 60
    assert await count_jobs(db, Job.attempts != 1) == 0


async def _all_succeeded(database: Database, expected: int) -> bool:
    return await count_jobs(database, Job.status == "succeeded") == expected


async def test_graceful_stop_lets_running_jobs_finish(
    db: Database, fast_settings: Settings, start_runner: RunnerFactory
) -> None:
    registry = JobRegistry()

    @registry.job("short")
    async def short(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        await asyncio.sleep(0.3)
        return {"done": True}

    runner = await start_runner(db, fast_settings, registry)
    job_id = await _enqueue(db, "short")
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
    job_id = await _enqueue(db, "long")
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
    job_id = await _enqueue(db, "endless")
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
    job_id = await _enqueue(db, "polite")
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
    await _enqueue(db, "nobody.handles.this")
    await _enqueue(db, "nobody.handles.this", run_at=utcnow() + timedelta(hours=1))
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
    job_id = await _enqueue(db, "later", run_at=utcnow() + timedelta(seconds=0.3))
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
    job_id = await _enqueue(db, "fine")
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
