"""The embedded runner: runs committed jobs once, retries with backoff, never runs one twice."""

from __future__ import annotations

import asyncio
import time
import uuid
from collections import Counter
from typing import Any

from aicaller.config import Settings
from aicaller.database.models import Job
from aicaller.database.session import Database
from aicaller.worker import (
    JobContext,
    JobRegistry,
    PermanentJobError,
    enqueue,
    retry_delay,
)
from tests.worker.conftest import (
    RunnerFactory,
    all_succeeded,
    count_jobs,
    enqueue_job,
    job_has_status,
    load_job,
    wait_until,
)


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
    job_id = await enqueue_job(db, "math.add", {"a": 2, "b": 3})
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
    job_id = await enqueue_job(db, "flaky", max_attempts=3)
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
    job_id = await enqueue_job(db, "second_time_lucky")
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
    hopeless_id = await enqueue_job(db, "hopeless")
    listy_id = await enqueue_job(db, "returns_a_list")
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
    await wait_until(lambda: all_succeeded(db, len(ids)), within=30)
    assert set(executions) == set(ids)
    assert set(executions.values()) == {1}
    assert sum(by_worker.values()) == 60
    assert await count_jobs(db, Job.attempts != 1) == 0
