"""``aicaller worker`` in Redis mode: SAQ's worker running our executor, plus the upkeep loop.

See ``aicaller.worker.queue`` for how messages relate to job rows.
"""

from __future__ import annotations

import asyncio
import math
import uuid
from datetime import datetime
from typing import Any

import saq
from saq.types import Context

from aicaller.config import Settings
from aicaller.core.logging import describe_exception, get_logger
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import notify
from aicaller.worker.executor import JobExecutor, OnJobFinished
from aicaller.worker.maintenance import Maintenance
from aicaller.worker.queue import (
    DEQUEUE_TIMEOUT_SECONDS,
    RUN_JOB,
    SCAN_LIMIT,
    QueueDispatcher,
    create_queue,
    disconnect,
)
from aicaller.worker.registry import JobRegistry, JobResources
from aicaller.worker.registry import registry as default_registry
from aicaller.worker.repository import JobRepository
from aicaller.worker.runner import RELEASE_TIMEOUT_SECONDS, job_counts, make_worker_id

logger = get_logger(__name__)


class _SaqWorker(saq.Worker[Context]):
    """SAQ's worker without its own signal handling (``run_worker`` owns it) and with upkeep
    tasks cancelled at once on stop, so stopping waits for jobs only, not for SAQ's timers."""

    SIGNALS = []
    _upkeep_tasks: list[asyncio.Task[None]]

    async def upkeep(self) -> list[asyncio.Task[None]]:
        self._upkeep_tasks = await super().upkeep()
        return self._upkeep_tasks

    async def stop(self) -> None:
        self.event.set()
        for task in getattr(self, "_upkeep_tasks", []):
            task.cancel()
        await super().stop()


class QueueWorker:
    """An ``aicaller worker`` process in Redis mode: runs SAQ's worker over our executor, plus the
    upkeep loop (reaper, schedules, scan that re-dispatches due jobs)."""

    mode = "queue"

    def __init__(
        self,
        database: Database,
        settings: Settings,
        *,
        registry: JobRegistry | None = None,
        worker_id: str | None = None,
        on_job_finished: OnJobFinished | None = None,
        resources: JobResources | None = None,
        queue: saq.Queue | None = None,
    ) -> None:
        if queue is None and settings.redis_url is None:
            raise ValueError("Redis mode needs settings.redis_url")
        self.database = database
        self.settings = settings
        self.registry = registry or default_registry
        self.worker_id = worker_id or make_worker_id()
        self.queue = queue or create_queue(
            str(settings.redis_url), socket_timeout=settings.redis_queue_socket_timeout
        )
        self.dispatcher = QueueDispatcher(self.queue, settings)
        self.executor = JobExecutor(
            database,
            settings,
            self.registry,
            self.worker_id,
            on_job_finished=on_job_finished,
            resources=resources,
        )
        self.maintenance = Maintenance(database, settings, self.registry)
        self.saq_worker = _SaqWorker(
            self.queue,
            functions=[(RUN_JOB, self._run_job)],
            id=self.worker_id,
            concurrency=settings.jobs_concurrency,
            startup=self._startup,
            shutdown=self._shutdown,
            dequeue_timeout=DEQUEUE_TIMEOUT_SECONDS,
            shutdown_grace_period_s=math.ceil(settings.jobs_shutdown_grace_seconds),
            cancellation_hard_deadline_s=RELEASE_TIMEOUT_SECONDS,
        )
        self.last_poll_at: datetime | None = None
        self.last_error: str | None = None
        self.running = 0
        self._task: asyncio.Task[None] | None = None
        self._upkeep: asyncio.Task[None] | None = None

    async def start(self) -> None:
        await self.queue.connect()
        self._task = asyncio.create_task(self.saq_worker.start(), name="saq-worker")
        logger.info("job_worker_started", worker_id=self.worker_id, jobs=self.registry.names())

    async def stop(self) -> None:
        """SAQ waits jobs_shutdown_grace_seconds for running jobs, then cancels them: our
        executor releases each back to the queue (and SAQ re-queues its message)."""
        if self._task is None:
            return
        await self.saq_worker.stop()
        await asyncio.wait([self._task])
        self._task = None
        await disconnect(self.queue)
        logger.info("job_worker_stopped", worker_id=self.worker_id)

    async def poll_once(self) -> int:
        """Upkeep, then re-dispatch due queued jobs; returns how many messages were new."""
        now = utcnow()
        await self.maintenance.run(now)
        async with self.database.transaction() as session:
            due = await JobRepository(session).due(self.registry.names(), now, SCAN_LIMIT)
        pushed = await self.dispatcher.dispatch(due)
        self.last_poll_at, self.last_error = utcnow(), None
        return pushed

    async def health(self) -> dict[str, Any]:
        alive = self._task is not None and not self._task.done()
        return {
            "status": "ok" if alive else "error",
            "mode": self.mode,
            "worker_id": self.worker_id,
            "running": self.running,
            "last_poll_at": self.last_poll_at.isoformat() if self.last_poll_at else None,
            "last_error": self.last_error,
            "jobs": await job_counts(self.database),
        }

    async def _run_job(self, ctx: Context, *, job_id: str) -> None:
        claimed = await self.executor.claim(uuid.UUID(job_id))
        if claimed is None:
            return  # not due, already taken, finished or unknown here: nothing to do
        message = ctx.get("job")
        self.running += 1
        try:
            await self.executor.run(claimed, on_heartbeat=message.update if message else None)
        finally:
            self.running -= 1

    async def _startup(self, _ctx: Context) -> None:
        notify.attach(self.database.engine, self.dispatcher.notify)
        self._upkeep = asyncio.create_task(self._upkeep_loop(), name="job-upkeep")

    async def _shutdown(self, _ctx: Context) -> None:
        if self._upkeep is not None:
            self._upkeep.cancel()
            await asyncio.wait([self._upkeep])
        notify.detach(self.database.engine, self.dispatcher.notify)
        await self.dispatcher.drain()

    async def _upkeep_loop(self) -> None:
        while True:
            try:
                await self.poll_once()
            except Exception as exc:
                self.last_error = describe_exception(exc)
                logger.warning("job_upkeep_failed", error=describe_exception(exc))
            await asyncio.sleep(self.settings.jobs_poll_seconds)
