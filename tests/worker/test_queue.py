"""Redis mode: SAQ carries "run job <id>", the row stays the truth.

Needs AICALLER_TEST_REDIS_URL; skipped without it (CI sets it, so CI runs these).
"""

from __future__ import annotations

import asyncio
import uuid
from collections import Counter
from collections.abc import AsyncIterator, Awaitable, Callable
from typing import Any

import pytest
from redis.asyncio import Redis

from aicaller.config import Settings
from aicaller.database.models import Job
from aicaller.database.session import Database
from aicaller.worker import JobContext, JobRegistry, QueueClient, QueueWorker, enqueue
from aicaller.worker.queue import create_queue
from tests.worker.conftest import count_jobs, job_has_status, load_job, wait_until

WorkerFactory = Callable[..., Awaitable[QueueWorker]]


@pytest.fixture
async def queue_name(redis_url: str) -> AsyncIterator[str]:
    """A queue of its own per test, deleted afterwards."""
    name = f"test-{uuid.uuid4().hex[:8]}"
    yield name
    client = Redis.from_url(redis_url)
    try:
        keys = [key async for key in client.scan_iter(match=f"saq:*{name}*")]
        if keys:
            await client.delete(*keys)
    finally:
        await client.aclose()


@pytest.fixture
async def start_worker(redis_url: str, queue_name: str) -> AsyncIterator[WorkerFactory]:
    started: list[QueueWorker] = []

    async def start(
        database: Database, settings: Settings, registry: JobRegistry, **kwargs: Any
    ) -> QueueWorker:
        queue = create_queue(redis_url, queue_name)
        worker = QueueWorker(database, settings, registry=registry, queue=queue, **kwargs)
        await worker.start()
        started.append(worker)
        return worker

    yield start
    for worker in started:
        await worker.stop()


@pytest.fixture
async def client(
    db: Database, fast_settings: Settings, redis_url: str, queue_name: str
) -> AsyncIterator[QueueClient]:
    """The API process's side: dispatches jobs committed through ``db``."""
    queue_client = QueueClient(db, fast_settings, queue=create_queue(redis_url, queue_name))
    await queue_client.start()
    yield queue_client
    await queue_client.stop()


async def _enqueue(database: Database, name: str, **kwargs: Any) -> uuid.UUID:
    async with database.transaction() as session:
        return (await enqueue(session, name, **kwargs)).id


def _polled(worker: QueueWorker) -> Callable[[], Awaitable[bool]]:
    return lambda: asyncio.sleep(0, worker.last_poll_at is not None)


async def test_a_committed_job_travels_through_the_queue(
    db: Database,
    other_db: Database,
    fast_settings: Settings,
    client: QueueClient,
    start_worker: WorkerFactory,
) -> None:
    registry = JobRegistry()
    runs: list[str] = []

    @registry.job("greet")
    async def greet(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        runs.append(ctx.worker_id)
        return {"hello": payload["name"]}

    # The worker scans the table only at start: the job must arrive as a queue message.
    no_scan = fast_settings.model_copy(update={"jobs_poll_seconds": 60.0})
    worker = await start_worker(other_db, no_scan, registry, worker_id="queue-worker")
    await wait_until(_polled(worker))
    job_id = await _enqueue(db, "greet", payload={"name": "Ada"})
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=10)
    job = await load_job(db, job_id)
    assert (job.result, job.attempts) == ({"hello": "Ada"}, 1)
    assert runs == ["queue-worker"]
    health = await client.health()
    assert (health["status"], health["mode"], health["jobs"]["queued"]) == ("ok", "queue", 0)
    assert (await worker.health())["status"] == "ok"


async def test_a_lost_message_is_recovered_by_the_workers_scan(
    db: Database, fast_settings: Settings, start_worker: WorkerFactory
) -> None:
    registry = JobRegistry()

    @registry.job("orphan")
    async def orphan(ctx: JobContext, payload: dict[str, Any]) -> None:
        return None

    job_id = await _enqueue(db, "orphan")  # nobody dispatches it: no QueueClient here
    await start_worker(db, fast_settings, registry)
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=10)


async def test_a_retry_is_scheduled_through_the_queue(
    db: Database,
    other_db: Database,
    fast_settings: Settings,
    client: QueueClient,
    start_worker: WorkerFactory,
) -> None:
    registry = JobRegistry()

    @registry.job("flaky")
    async def flaky(ctx: JobContext, payload: dict[str, Any]) -> dict[str, int]:
        if ctx.attempt == 1:
            raise ConnectionError("upstream timed out")
        return {"attempt": ctx.attempt}

    no_scan = fast_settings.model_copy(update={"jobs_poll_seconds": 60.0})
    worker = await start_worker(other_db, no_scan, registry)
    await wait_until(_polled(worker))
    job_id = await _enqueue(db, "flaky")
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=15)
    assert (await load_job(db, job_id)).attempts == 2


async def test_two_queue_workers_run_each_job_once(
    db: Database,
    other_db: Database,
    fast_settings: Settings,
    client: QueueClient,
    start_worker: WorkerFactory,
) -> None:
    registry = JobRegistry()
    executions: Counter[uuid.UUID] = Counter()

    @registry.job("count")
    async def count(ctx: JobContext, payload: dict[str, Any]) -> None:
        executions[ctx.job_id] += 1
        await asyncio.sleep(0.01)

    await start_worker(db, fast_settings, registry, worker_id="a")
    await start_worker(other_db, fast_settings, registry, worker_id="b")
    async with db.transaction() as session:
        ids = [(await enqueue(session, "count", {"n": n})).id for n in range(40)]
    await wait_until(lambda: _succeeded(db, 40), within=30)
    assert set(executions) == set(ids)
    assert set(executions.values()) == {1}


async def _succeeded(database: Database, expected: int) -> bool:
    return await count_jobs(database, Job.status == "succeeded") == expected


async def test_stopping_a_queue_worker_releases_its_job_for_the_next(
    db: Database, fast_settings: Settings, start_worker: WorkerFactory
) -> None:
    registry = JobRegistry()
    starts: list[str] = []

    @registry.job("long")
    async def long(ctx: JobContext, payload: dict[str, Any]) -> None:
        starts.append(ctx.worker_id)
        if len(starts) == 1:
            await asyncio.sleep(60)

    impatient = fast_settings.model_copy(update={"jobs_shutdown_grace_seconds": 0.0})
    first = await start_worker(db, impatient, registry, worker_id="first")
    job_id = await _enqueue(db, "long")
    await wait_until(lambda: job_has_status(db, job_id, "running"), within=10)
    await first.stop()
    released = await load_job(db, job_id)
    assert (released.status, released.attempts, released.locked_by) == ("queued", 0, None)

    await start_worker(db, impatient, registry, worker_id="second")
    await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=10)
    assert starts == ["first", "second"]


async def test_a_worker_waits_out_an_unreachable_redis_without_spinning(
    db: Database, fast_settings: Settings
) -> None:
    """Runs without Redis: SAQ would retry a failing dequeue in a tight loop."""
    queue = create_queue("redis://127.0.0.1:1/0")
    dequeue = queue.dequeue
    calls = 0

    async def counting_dequeue(timeout: float = 0.0, poll_interval: float = 0.0) -> Any:  # noqa: ASYNC109
        nonlocal calls
        calls += 1
        return await dequeue(timeout=timeout, poll_interval=poll_interval)

    queue.dequeue = counting_dequeue  # type: ignore[method-assign]
    worker = QueueWorker(db, fast_settings, registry=JobRegistry(), queue=queue)
    await worker.start()
    await asyncio.sleep(1.5)
    await worker.stop()  # and stopping does not fail on the dead connection
    assert 0 < calls <= 4 * fast_settings.jobs_concurrency


async def test_health_reports_an_unreachable_queue(db: Database, settings: Settings) -> None:
    unreachable = create_queue("redis://127.0.0.1:1/0")
    health = await QueueClient(db, settings, queue=unreachable).health()
    assert (health["status"], health["error"]) == ("error", "ConnectionError")
    with pytest.raises(ValueError, match="redis_url"):
        QueueClient(db, settings.model_copy(update={"redis_url": None}))
    with pytest.raises(ValueError, match="redis_url"):
        QueueWorker(db, settings.model_copy(update={"redis_url": None}))
