"""``aicaller worker`` as real processes: kill -9 mid-job, restart, SIGTERM; and in-process."""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import subprocess
import sys
import uuid
from collections.abc import AsyncIterator, Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from redis.asyncio import Redis
from sqlalchemy import select
from typer.testing import CliRunner

from aicaller.cli import app as cli
from aicaller.config import Settings
from aicaller.database import migrate
from aicaller.database.models import Business
from aicaller.database.session import Database, create_engine
from aicaller.worker import JobContext, JobRegistry, enqueue, run_worker
from aicaller.worker.queue import QUEUE_NAME
from tests.fixtures import REDIS_URL, make_settings
from tests.worker.conftest import job_has_status, load_job, wait_until
from tests.worker.sample_jobs import SLOW_EFFECT

REPO_ROOT = Path(__file__).resolve().parents[2]
MODES = ["embedded", "redis"]

StartWorker = Callable[..., subprocess.Popen[bytes]]


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    if request.param == "redis" and not REDIS_URL:
        pytest.skip("Redis mode needs AICALLER_TEST_REDIS_URL (e.g. redis://127.0.0.1:6379/15)")
    return str(request.param)


async def _clear_queue() -> None:
    if REDIS_URL:
        client = Redis.from_url(REDIS_URL)
        try:
            keys = [key async for key in client.scan_iter(match=f"saq:*{QUEUE_NAME}*")]
            if keys:
                await client.delete(*keys)
        finally:
            await client.aclose()


@pytest.fixture
async def file_db(tmp_path: Path) -> AsyncIterator[Database]:
    """A migrated SQLite file of its own, which the worker processes share with the test."""
    url = f"sqlite+aiosqlite:///{tmp_path / 'jobs.db'}"
    database = Database(create_engine(make_settings(tmp_path, url)))
    await migrate.upgrade(database.engine)
    await _clear_queue()
    yield database
    await database.dispose()
    await _clear_queue()


@pytest.fixture
def start_worker(tmp_path: Path, file_db: Database, mode: str) -> Iterator[StartWorker]:
    processes: list[tuple[subprocess.Popen[bytes], Path]] = []

    def start(**overrides: str) -> subprocess.Popen[bytes]:
        env = {k: v for k, v in os.environ.items() if not k.startswith("AICALLER_")}
        env.update(
            PYTHONPATH=str(REPO_ROOT),
            AICALLER_DATABASE_URL=str(file_db.engine.url),
            AICALLER_DATA_DIR=str(tmp_path),
            AICALLER_ENVIRONMENT="test",
            AICALLER_JOB_MODULES="tests.worker.sample_jobs",
            AICALLER_JOBS_POLL_SECONDS="0.1",
            AICALLER_JOBS_HEARTBEAT_SECONDS="0.2",
            AICALLER_JOBS_STALE_AFTER_SECONDS="2.0",
            # No sync runs here: the extraction processes a worker starts ahead for them would
            # only take the cores from the rest of the suite (as everywhere in it).
            AICALLER_KNOWLEDGE_EXTRACT_PRELOAD="false",
            **overrides,
        )
        if mode == "redis" and REDIS_URL:
            env["AICALLER_REDIS_URL"] = REDIS_URL
        log = tmp_path / f"worker-{len(processes)}.log"
        with log.open("wb") as output:
            process = subprocess.Popen(
                [sys.executable, "-m", "aicaller", "worker"],
                cwd=tmp_path,
                env=env,
                stdout=output,
                stderr=subprocess.STDOUT,
                # Its own process group, so that a kill takes the worker's extraction
                # processes with it, as a crashed machine or container would.
                start_new_session=True,
            )
        processes.append((process, log))
        return process

    yield start
    for process, log in processes:
        # The group too: what a killed worker had started would outlive the test run.
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(10)
        sys.stdout.write(f"--- {log.name} ---\n{log.read_text(errors='replace')}\n")


async def _enqueue_slow_job(database: Database) -> uuid.UUID:
    async with database.transaction() as session:
        job = await enqueue(session, SLOW_EFFECT, {"seconds": 60, "slow_attempts": 1})
        return job.id


async def _marks(database: Database, prefix: str) -> list[str]:
    async with database.transaction() as session:
        statement = select(Business.name).where(Business.name.startswith(prefix))
        return sorted((await session.execute(statement)).scalars().all())


async def _handler_started(database: Database, job_id: uuid.UUID) -> bool:
    """The first attempt is inside its slow handler (not just claimed)."""
    return bool(await _marks(database, f"started:{job_id}:1"))


async def _exited(process: subprocess.Popen[bytes]) -> int:
    await wait_until(lambda: asyncio.sleep(0, process.poll() is not None), within=20)
    return int(process.returncode)


async def test_a_job_whose_worker_is_killed_completes_exactly_once_after_restart(
    file_db: Database, start_worker: StartWorker
) -> None:
    job_id = await _enqueue_slow_job(file_db)
    first = start_worker()
    await wait_until(lambda: _handler_started(file_db, job_id), within=30)
    killed_owner = (await load_job(file_db, job_id)).locked_by
    os.killpg(first.pid, signal.SIGKILL)  # the worker and the processes it started
    assert await _exited(first) == -signal.SIGKILL
    assert await job_has_status(file_db, job_id, "running")  # nobody released it

    second = start_worker()
    await wait_until(lambda: job_has_status(file_db, job_id, "succeeded"), within=30)
    job = await load_job(file_db, job_id)
    assert job.attempts == 2
    assert job.result is not None
    assert job.result["attempt"] == 2
    assert job.result["worker"] != killed_owner
    assert await _marks(file_db, f"started:{job_id}") == [
        f"started:{job_id}:1",
        f"started:{job_id}:2",
    ]
    assert await _marks(file_db, f"effect:{job_id}") == [f"effect:{job_id}"]

    second.send_signal(signal.SIGTERM)
    assert await _exited(second) == 0


async def test_sigterm_releases_the_running_job_and_exits_cleanly(
    file_db: Database, start_worker: StartWorker
) -> None:
    job_id = await _enqueue_slow_job(file_db)
    worker = start_worker(AICALLER_JOBS_SHUTDOWN_GRACE_SECONDS="0.3")
    await wait_until(lambda: _handler_started(file_db, job_id), within=30)
    worker.send_signal(signal.SIGTERM)
    assert await _exited(worker) == 0
    job = await load_job(file_db, job_id)
    assert (job.status, job.attempts, job.locked_by) == ("queued", 0, None)
    assert await _marks(file_db, f"effect:{job_id}") == []


async def test_run_worker_runs_jobs_until_told_to_stop(
    db: Database, fast_settings: Settings
) -> None:
    """In-process, in the backend's own mode: embedded on SQLite, queue when Redis is set."""
    registry = JobRegistry()

    @registry.job("in_process")
    async def in_process(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
        return {"seen": payload}

    stop = asyncio.Event()
    finished: list[str] = []
    task = asyncio.create_task(
        run_worker(
            fast_settings,
            stop=stop,
            registry=registry,
            on_job_finished=lambda _name, outcome, _seconds: finished.append(outcome),
        )
    )
    try:
        async with db.transaction() as session:
            job_id = (await enqueue(session, "in_process", {"x": 1})).id
        await wait_until(lambda: job_has_status(db, job_id, "succeeded"), within=15)
    finally:
        stop.set()
        await asyncio.wait_for(task, 15)
    assert (await load_job(db, job_id)).result == {"seen": {"x": 1}}
    assert finished == ["succeeded"]


def test_the_worker_command_refuses_an_outdated_schema(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in list(os.environ):
        if name.startswith("AICALLER_"):
            monkeypatch.delenv(name)
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AICALLER_DATABASE_URL", f"sqlite+aiosqlite:///{tmp_path / 'empty.db'}")
    monkeypatch.setenv("AICALLER_AUTO_MIGRATE", "false")
    result = CliRunner().invoke(cli, ["worker"])
    assert result.exit_code == 1
    assert "not up to date" in result.output
