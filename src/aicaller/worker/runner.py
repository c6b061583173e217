"""The embedded job runner: jobs run inside this process, state stays in the database.

Used by the API process when no Redis is configured and by ``aicaller worker`` without Redis.
Any number of runners (app instances, worker processes) can share one database: claims are
atomic, so each attempt runs in exactly one of them.
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import socket
import uuid
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from aicaller.config import Settings
from aicaller.core.logging import describe_exception, get_logger
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import notify
from aicaller.worker.executor import ClaimedJob, JobExecutor, OnJobFinished
from aicaller.worker.maintenance import Maintenance
from aicaller.worker.registry import JobRegistry, JobResources
from aicaller.worker.registry import registry as default_registry
from aicaller.worker.repository import JobRepository

logger = get_logger(__name__)

# Cancelled jobs get this long to write their release before stop() gives up on them.
RELEASE_TIMEOUT_SECONDS = 10.0
# More candidates than free slots, so losing a claim race to another runner still fills them.
CLAIM_SLACK = 8
# Readiness reports an error when the loop has not completed a poll for this long.
MIN_STALL_SECONDS = 30.0


def make_worker_id() -> str:
    """Host, process and a random part: unique per runner, readable in ``jobs.locked_by``."""
    return f"{socket.gethostname()[:120]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


async def job_counts(database: Database) -> dict[str, Any]:
    """Queued, due and running jobs across the database (for health reports)."""
    try:
        async with database.transaction() as session:
            return dict(await JobRepository(session).counts(utcnow()))
    except Exception as exc:
        logger.warning("job_counts_failed", error=describe_exception(exc))
        return {"error": type(exc).__name__}


class JobRunner:
    """Polls for due jobs every jobs_poll_seconds (sooner when notified) and runs up to
    jobs_concurrency of them at once, with the same executor as the queue worker."""

    mode = "embedded"

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        registry: JobRegistry | None = None,
        worker_id: str | None = None,
        on_job_finished: OnJobFinished | None = None,
        resources: JobResources | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.registry = registry or default_registry
        self.worker_id = worker_id or make_worker_id()
        self.executor = JobExecutor(
            database,
            settings,
            self.registry,
            self.worker_id,
            on_job_finished=on_job_finished,
            resources=resources,
        )
        self.maintenance = Maintenance(database, settings, self.registry)
        self.last_poll_at: datetime | None = None
        self.last_error: str | None = None
        self._started_at: datetime | None = None
        self._tasks: set[asyncio.Task[str]] = set()
        self._wake = asyncio.Event()
        self._loop_task: asyncio.Task[None] | None = None
        self._stopping = False

    @property
    def running(self) -> int:
        """Jobs this runner is executing now."""
        return len(self._tasks)

    async def start(self) -> None:
        if self._loop_task is not None:
            return
        self._stopping = False
        self._started_at = utcnow()
        notify.attach(self.database.engine, self._on_committed)
        self._loop_task = asyncio.create_task(self._loop(), name=f"job-runner {self.worker_id}")
        logger.info("job_runner_started", worker_id=self.worker_id, jobs=self.registry.names())

    async def stop(self) -> None:
        """Stop claiming, let running jobs finish for jobs_shutdown_grace_seconds, then release
        the rest back to the queue."""
        if self._loop_task is None:
            return
        self._stopping = True
        notify.detach(self.database.engine, self._on_committed)
        self._wake.set()
        # The loop ends after its current poll; cancelling it mid-claim would strand a job
        # until the reaper, so it gets a little time even when the grace period is zero.
        await asyncio.wait([self._loop_task], timeout=RELEASE_TIMEOUT_SECONDS)
        self._loop_task.cancel()
        await asyncio.wait([self._loop_task])
        self._loop_task = None
        running = set(self._tasks)
        if running:
            grace = self.settings.jobs_shutdown_grace_seconds
            _, unfinished = await asyncio.wait(running, timeout=grace)
            for task in unfinished:
                task.cancel()
            if unfinished:
                await asyncio.wait(unfinished, timeout=RELEASE_TIMEOUT_SECONDS)
            logger.info("job_runner_drained", finished=len(running) - len(unfinished))
        logger.info("job_runner_stopped", worker_id=self.worker_id)

    async def poll_once(self) -> int:
        """One round: upkeep, then claim due jobs into free slots. Returns how many started."""
        now = utcnow()
        await self.maintenance.run(now)
        started = await self._fill(now)
        self.last_poll_at = utcnow()
        self.last_error = None
        return started

    async def health(self) -> dict[str, Any]:
        """For the readiness probe: is the loop alive and polling, and what is waiting."""
        alive = self._loop_task is not None and not self._loop_task.done()
        last = self.last_poll_at or self._started_at
        stall = max(5 * self.settings.jobs_poll_seconds, MIN_STALL_SECONDS)
        polling = last is not None and (utcnow() - last).total_seconds() < stall
        return {
            "status": "ok" if alive and polling else "error",
            "mode": self.mode,
            "worker_id": self.worker_id,
            "running": self.running,
            "concurrency": self.settings.jobs_concurrency,
            "last_poll_at": self.last_poll_at.isoformat() if self.last_poll_at else None,
            "last_error": self.last_error,
            "jobs": await job_counts(self.database),
        }

    # -- internals ------------------------------------------------------------------------------
    async def _loop(self) -> None:
        while not self._stopping:
            try:
                await self.poll_once()
            except Exception as exc:
                self.last_error = describe_exception(exc)
                logger.warning("job_runner_poll_failed", error=describe_exception(exc))
            with contextlib.suppress(TimeoutError):  # the normal end of a quiet poll interval
                await asyncio.wait_for(self._wake.wait(), self.settings.jobs_poll_seconds)
            self._wake.clear()

    async def _fill(self, now: datetime) -> int:
        free = self.settings.jobs_concurrency - len(self._tasks)
        if free <= 0 or self._stopping:
            return 0
        async with self.database.transaction() as session:
            due = await JobRepository(session).due(
                self.registry.names(), now, limit=free + CLAIM_SLACK
            )
        started = 0
        for ref in due:
            if started >= free or self._stopping:
                break
            claimed = await self.executor.claim(ref.id)
            if claimed is not None:
                self._spawn(claimed)
                started += 1
        return started

    def _spawn(self, job: ClaimedJob) -> None:
        task = asyncio.create_task(self.executor.run(job), name=f"job {job.name} {job.id}")
        self._tasks.add(task)
        task.add_done_callback(self._on_done)

    def _on_done(self, task: asyncio.Task[str]) -> None:
        self._tasks.discard(task)
        error = None if task.cancelled() else task.exception()
        if error is not None:
            # The outcome could not be written; the reaper requeues the job once it is stale.
            logger.error("job_run_crashed", task=task.get_name(), error=describe_exception(error))
        self._wake.set()

    def _on_committed(self, refs: Sequence[notify.JobRef]) -> None:
        now = utcnow()
        for ref in refs:
            delay = (ref.run_at - now).total_seconds()
            if delay <= 0:
                self._wake.set()
            elif delay < self.settings.jobs_poll_seconds:
                asyncio.get_running_loop().call_later(delay, self._wake.set)
