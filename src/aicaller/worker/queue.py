"""Redis mode: SAQ carries "run job <id>"; ``aicaller worker`` processes consume it.

The database row stays the source of truth. A SAQ message only says which job to try: the
worker claims the row exactly as the embedded runner does, so duplicate or stale messages are
harmless (the claim fails and the message is dropped), and a lost message is recovered by every
worker's scan, which re-dispatches due queued jobs each poll. SAQ deduplicates pending messages by
key, ``<job id>:<attempts so far>``, so that scan does not pile up copies; SAQ's own retries are
off (ours live in the row) and its timeout is off (jobs may run for hours).
"""

from __future__ import annotations

import asyncio
import math
import time
from collections.abc import Sequence
from datetime import datetime
from typing import Any

import saq
from redis.asyncio import Redis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from saq.queue.redis import RedisQueue

from aicaller.config import Settings
from aicaller.core.logging import get_logger
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import notify
from aicaller.worker.notify import JobRef
from aicaller.worker.runner import RELEASE_TIMEOUT_SECONDS, job_counts

logger = get_logger(__name__)

QUEUE_NAME = "aicaller-jobs"
RUN_JOB = "aicaller.run_job"
SCAN_LIMIT = 200
DEQUEUE_TIMEOUT_SECONDS = 1.0
LOG_EVERY_SECONDS = 10.0
HEALTH_TIMEOUT_SECONDS = 1.0


class _RedisQueue(RedisQueue):
    """SAQ's Redis queue, but a failing dequeue waits before the next try.

    SAQ's worker swallows dequeue errors and dequeues again at once, which spins a CPU for as
    long as Redis is down. Here a failure is logged (at most every LOG_EVERY_SECONDS) and, after
    a pause, reported as "no job".
    """

    _last_logged = 0.0

    async def dequeue(
        self,
        timeout: float = 0.0,  # noqa: ASYNC109 - the signature of the method it overrides
        poll_interval: float = 0.0,
    ) -> saq.Job | None:
        try:
            return await super().dequeue(timeout, poll_interval)
        except Exception as exc:
            if time.monotonic() - self._last_logged > LOG_EVERY_SECONDS:
                self._last_logged = time.monotonic()
                logger.warning("job_queue_dequeue_failed", error=repr(exc))
            await asyncio.sleep(DEQUEUE_TIMEOUT_SECONDS)
            return None


def create_queue(
    redis_url: str, name: str = QUEUE_NAME, *, socket_timeout: float = 5.0
) -> saq.Queue:
    """SAQ's queue on a Redis client with connect and read timeouts (SAQ sets none, so a
    stalled Redis would hang every caller) and no client retries (ours live in the job row)."""
    redis = Redis.from_url(
        redis_url,
        socket_timeout=socket_timeout,
        socket_connect_timeout=socket_timeout,
        retry=Retry(NoBackoff(), 0),
    )
    return _RedisQueue(redis, name=name)


async def disconnect(queue: saq.Queue) -> None:
    try:
        await queue.disconnect()
    except Exception as exc:  # Redis already gone: nothing left to close cleanly
        logger.warning("job_queue_disconnect_failed", error=repr(exc))


class QueueDispatcher:
    """Pushes "run job <id>" messages; failures are logged and left to the workers' scan."""

    def __init__(self, queue: saq.Queue, settings: Settings) -> None:
        self.queue = queue
        # SAQ sweeps a message whose worker stopped touching it (we touch it on each heartbeat).
        self._saq_heartbeat = max(1, math.ceil(settings.jobs_stale_after_seconds))
        self._pending: set[asyncio.Task[None]] = set()

    async def dispatch(self, refs: Sequence[JobRef]) -> int:
        """Push one message per job; returns how many were new (not already pending)."""
        now = utcnow()
        pushed = 0
        for ref in refs:
            message = await self.queue.enqueue(
                RUN_JOB,
                key=f"{ref.id}:{ref.attempts}",
                job_id=str(ref.id),
                scheduled=_epoch_seconds(ref.run_at) if ref.run_at > now else 0,
                timeout=0,
                retries=1,
                heartbeat=self._saq_heartbeat,
            )
            pushed += message is not None
        return pushed

    def notify(self, refs: Sequence[JobRef]) -> None:
        """A notify listener: dispatch in the background (called from a commit hook)."""
        task = asyncio.get_running_loop().create_task(self._dispatch_logged(list(refs)))
        self._pending.add(task)
        task.add_done_callback(self._pending.discard)

    async def drain(self) -> None:
        if self._pending:
            await asyncio.wait(set(self._pending), timeout=RELEASE_TIMEOUT_SECONDS)

    async def _dispatch_logged(self, refs: list[JobRef]) -> None:
        try:
            await self.dispatch(refs)
        except Exception as exc:
            logger.warning("job_dispatch_failed", jobs=len(refs), error=repr(exc))


def _epoch_seconds(moment: datetime) -> int:
    # Rounded up: a message that arrives early finds the job not yet due and is dropped.
    return math.ceil(moment.timestamp())


class QueueClient:
    """The API process's side in Redis mode: dispatches committed jobs, runs none itself."""

    mode = "queue"

    def __init__(self, database: Database, settings: Settings, *, queue: saq.Queue | None = None):
        if queue is None and settings.redis_url is None:
            raise ValueError("Redis mode needs settings.redis_url")
        self.database = database
        self.queue = queue or create_queue(
            str(settings.redis_url), socket_timeout=settings.redis_queue_socket_timeout
        )
        self.dispatcher = QueueDispatcher(self.queue, settings)

    async def start(self) -> None:
        await self.queue.connect()
        notify.attach(self.database.engine, self.dispatcher.notify)

    async def stop(self) -> None:
        notify.detach(self.database.engine, self.dispatcher.notify)
        await self.dispatcher.drain()
        await disconnect(self.queue)

    async def health(self) -> dict[str, Any]:
        report: dict[str, Any] = {"status": "ok", "mode": self.mode}
        try:
            report["backlog"] = await asyncio.wait_for(
                self.queue.count("queued"), HEALTH_TIMEOUT_SECONDS
            )
        except Exception as exc:
            logger.warning("job_queue_unreachable", error=repr(exc))
            report.update(status="error", error=type(exc).__name__)
        report["jobs"] = await job_counts(self.database)
        return report
