"""Claim one job and run it: heartbeat, result, retry with backoff, failure, release.

Shared by the embedded runner and the queue worker, so both behave identically. Every state change
is its own short transaction; the handler opens its own transactions through ``ctx.database``.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from aicaller.config import Settings
from aicaller.core.logging import (
    describe_exception,
    format_exception,
    get_logger,
    safe_message,
)
from aicaller.database.session import Database
from aicaller.database.types import utcnow
from aicaller.worker import notify
from aicaller.worker.registry import JobContext, JobRegistry, JobResources, PermanentJobError
from aicaller.worker.repository import JobRepository, Lease

logger = get_logger(__name__)

MAX_ERROR_CHARS = 4000
MAX_LOGGED_ERROR_CHARS = 300
_TRUNCATED = "\n[truncated]"
MAX_RETRY_DELAY_SECONDS = 3600.0

# Outcomes passed to on_job_finished: the job's new state, or "released" (shutdown, back to the
# queue) and "lost" (cancelled or taken over while running; nothing written by this worker).
SUCCEEDED, RETRYING, FAILED, RELEASED, LOST = "succeeded", "retrying", "failed", "released", "lost"

OnJobFinished = Callable[[str, str, float], None]
OnHeartbeat = Callable[[], Awaitable[None]]


def retry_delay(attempt: int, base_seconds: float) -> float:
    """Exponential backoff after failed attempt ``attempt`` (1-based): base, 2*base, 4*base, ..."""
    if base_seconds <= 0:
        return 0.0
    exponent = min(max(attempt - 1, 0), 32)  # 2**32 * base is far past the cap anyway
    return min(base_seconds * (1 << exponent), MAX_RETRY_DELAY_SECONDS)


def describe_error(exc: BaseException) -> str:
    """``Type: message`` first, then the traceback, cut to MAX_ERROR_CHARS."""
    error_info = (type(exc), exc, exc.__traceback__)
    text = f"{type(exc).__name__}: {safe_message(exc)}\n\n{format_exception(error_info)}"
    if len(text) <= MAX_ERROR_CHARS:
        return text
    return text[: MAX_ERROR_CHARS - len(_TRUNCATED)] + _TRUNCATED


def _brief(exc: BaseException) -> str:
    """For log lines: the error without a novel-length message."""
    text = describe_exception(exc)
    return text if len(text) <= MAX_LOGGED_ERROR_CHARS else text[:MAX_LOGGED_ERROR_CHARS] + "..."


@dataclass(frozen=True, slots=True)
class ClaimedJob:
    id: uuid.UUID
    name: str
    payload: dict[str, Any]
    attempt: int
    max_attempts: int
    business_id: uuid.UUID | None


class JobExecutor:
    """Runs jobs for one worker identity (``worker_id`` ends up in ``jobs.locked_by``)."""

    def __init__(
        self,
        database: Database,
        settings: Settings,
        registry: JobRegistry,
        worker_id: str,
        *,
        on_job_finished: OnJobFinished | None = None,
        resources: JobResources | None = None,
    ) -> None:
        self.database = database
        self.settings = settings
        self.registry = registry
        self.worker_id = worker_id
        self.on_job_finished = on_job_finished
        self.resources = resources or JobResources()
        if settings.jobs_heartbeat_seconds * 2 > settings.jobs_stale_after_seconds:
            logger.warning(
                "jobs_heartbeat_too_slow",
                heartbeat_seconds=settings.jobs_heartbeat_seconds,
                stale_after_seconds=settings.jobs_stale_after_seconds,
                hint="running jobs may be taken for dead; heartbeat at most half of stale_after",
            )

    async def claim(self, job_id: uuid.UUID) -> ClaimedJob | None:
        """Take the job if it is queued, due and ours to run; None when someone else has it."""
        async with self.database.transaction() as session:
            row = await JobRepository(session).claim(
                job_id, self.registry.names(), self.worker_id, utcnow()
            )
            if row is None:
                return None
            if row.max_attempts is None:
                definition = self.registry.get(row.name)
                default = definition.max_attempts if definition else None
                row.max_attempts = default or self.settings.jobs_max_attempts
            return ClaimedJob(
                row.id, row.name, dict(row.payload), row.attempts, row.max_attempts, row.business_id
            )

    async def run(self, job: ClaimedJob, *, on_heartbeat: OnHeartbeat | None = None) -> str:
        """Run a claimed job to an outcome. Cancelling this coroutine releases the job."""
        definition = self.registry.get(job.name)
        if definition is None:  # claim() only takes registered names
            raise LookupError(f"no handler registered for job {job.name!r}")
        lease = Lease(job.id, self.worker_id, job.attempt)
        ctx = JobContext(
            database=self.database,
            settings=self.settings,
            job_id=job.id,
            name=job.name,
            attempt=job.attempt,
            max_attempts=job.max_attempts,
            business_id=job.business_id,
            worker_id=self.worker_id,
            resources=self.resources,
        )
        log = logger.bind(job_id=str(job.id), job=job.name, attempt=job.attempt)
        started = time.monotonic()
        handler = asyncio.create_task(definition.handler(ctx, job.payload))
        beat = asyncio.create_task(self._heartbeat(lease, ctx, handler, on_heartbeat))
        try:
            result = await handler
            outcome = await self._record_result(lease, result, log)
        except asyncio.CancelledError:
            current = asyncio.current_task()
            if current is not None and current.cancelling():
                await asyncio.shield(self._release(lease, log))
                self._report(job.name, RELEASED, started)
                raise
            if not ctx.cancel_requested:  # the handler cancelled itself: an error like any other
                cancelled = RuntimeError("the job handler was cancelled")
                outcome = await self._record_error(job, lease, cancelled, log)
            else:  # the heartbeat found the job cancelled or taken over, and stopped the handler
                outcome = LOST
                log.info("job_lost", status=await self._status(job.id))
        except Exception as exc:
            if ctx.cancel_requested:  # e.g. JobCancelled from ctx.raise_if_cancelled()
                outcome = LOST
                log.info("job_lost", error=_brief(exc))
            else:
                outcome = await self._record_error(job, lease, exc, log)
        finally:
            beat.cancel()
            await asyncio.wait([beat])
        self._report(job.name, outcome, started)
        return outcome

    async def _record_result(self, lease: Lease, result: Any, log: Any) -> str:
        if result is not None and not isinstance(result, dict):
            raise TypeError(f"job handlers return a dict or None, not {type(result).__name__}")
        json.dumps(result)  # fail here, as a job error, rather than in the UPDATE
        async with self.database.transaction() as session:
            written = await JobRepository(session).succeed(lease, result, utcnow())
        log.info("job_succeeded" if written else "job_lost_before_success")
        return SUCCEEDED if written else LOST

    async def _record_error(self, job: ClaimedJob, lease: Lease, exc: Exception, log: Any) -> str:
        error = describe_error(exc)
        permanent = isinstance(exc, PermanentJobError)
        now = utcnow()
        if permanent or job.attempt >= job.max_attempts:
            async with self.database.transaction() as session:
                written = await JobRepository(session).fail(lease, error, now)
            log.warning("job_failed", error=_brief(exc), permanent=permanent, recorded=written)
            return FAILED if written else LOST
        delay = retry_delay(job.attempt, self.settings.jobs_retry_base_delay_seconds)
        run_at = now + timedelta(seconds=delay)
        async with self.database.transaction() as session:
            written = await JobRepository(session).retry(lease, error, run_at)
        log.warning("job_retrying", error=_brief(exc), delay_seconds=delay, recorded=written)
        if written:
            notify.publish(self.database.engine, [notify.JobRef(job.id, job.attempt, run_at)])
        return RETRYING if written else LOST

    async def _release(self, lease: Lease, log: Any) -> None:
        try:
            now = utcnow()
            async with self.database.transaction() as session:
                released = await JobRepository(session).release(lease, now)
        except Exception as exc:
            # The reaper will requeue it once its heartbeat is stale.
            log.warning("job_release_failed", error=describe_exception(exc))
            return
        log.info("job_released", released=released)
        if released:
            notify.publish(
                self.database.engine, [notify.JobRef(lease.job_id, lease.attempt - 1, now)]
            )

    async def _heartbeat(
        self,
        lease: Lease,
        ctx: JobContext,
        handler: asyncio.Task[Any],
        on_heartbeat: OnHeartbeat | None,
    ) -> None:
        while not handler.done():
            await asyncio.sleep(self.settings.jobs_heartbeat_seconds)
            try:
                async with self.database.transaction() as session:
                    alive = await JobRepository(session).heartbeat(lease, utcnow())
            except Exception as exc:
                # A database hiccup: keep running; the lease survives until jobs_stale_after.
                logger.warning(
                    "job_heartbeat_failed", job_id=str(lease.job_id), error=describe_exception(exc)
                )
                continue
            if not alive:
                # Cancelled, or reaped and handed to another worker. Cooperative handlers see
                # ctx.cancel_requested and get one more interval to wind down; then we cancel.
                ctx._lost = True
                await asyncio.sleep(self.settings.jobs_heartbeat_seconds)
                handler.cancel()
                return
            if on_heartbeat is not None:
                try:
                    await on_heartbeat()
                except Exception as exc:
                    logger.warning(
                        "job_heartbeat_hook_failed",
                        job_id=str(lease.job_id),
                        error=describe_exception(exc),
                    )

    async def _status(self, job_id: uuid.UUID) -> str | None:
        async with self.database.transaction() as session:
            return await JobRepository(session).status(job_id)

    def _report(self, name: str, outcome: str, started: float) -> None:
        if self.on_job_finished is None:
            return
        try:
            self.on_job_finished(name, outcome, time.monotonic() - started)
        except Exception as exc:
            logger.warning("job_finished_hook_failed", job=name, error=describe_exception(exc))
