"""Upkeep every runner and worker does on each poll: reap stale jobs, create scheduled runs, purge.

All of it is safe to run concurrently in any number of processes: the reaper's UPDATEs are
conditional, scheduled runs are deduplicated by ``dedupe_key`` and the purge only deletes.
"""

from __future__ import annotations

import time
from collections.abc import Awaitable, Callable
from datetime import datetime, timedelta

from aicaller.config import Settings
from aicaller.core.logging import describe_exception, get_logger
from aicaller.database.session import Database
from aicaller.worker.enqueue import enqueue
from aicaller.worker.registry import JobRegistry
from aicaller.worker.repository import JobRepository

logger = get_logger(__name__)

STALE_ERROR = "the worker running this job stopped heartbeating (killed or cut off)"
# Finished jobs are kept this long for inspection, then deleted.
FINISHED_JOB_RETENTION = timedelta(days=30)
PURGE_INTERVAL_SECONDS = 3600.0


class Scheduler:
    """Turns the registry's schedules into one job row per slot."""

    def __init__(self, database: Database, registry: JobRegistry) -> None:
        self.database = database
        self.registry = registry
        # The slot each schedule last enqueued from this process: skips the database until the
        # next slot starts.
        self._done: dict[str, datetime] = {}

    async def tick(self, now: datetime) -> int:
        """Enqueue the current slot of every schedule not yet seen; returns how many it tried."""
        due = [(entry, entry.slot(now)) for entry in self.registry.schedules()]
        due = [(entry, slot) for entry, slot in due if self._done.get(entry.key) != slot]
        if not due:
            return 0
        async with self.database.transaction() as session:
            for entry, slot in due:
                await enqueue(
                    session,
                    entry.job,
                    entry.payload,
                    dedupe_key=entry.dedupe_key(slot),
                    max_attempts=entry.max_attempts,
                )
        for entry, slot in due:
            self._done[entry.key] = slot
        return len(due)


class Maintenance:
    def __init__(self, database: Database, settings: Settings, registry: JobRegistry) -> None:
        self.database = database
        self.settings = settings
        self.scheduler = Scheduler(database, registry)
        self._next_purge = 0.0

    async def run(self, now: datetime) -> list[str]:
        """Every step, each on its own: one failing (say, a broken schedule) must not stop the
        others, nor the claiming of jobs that follows. Returns the names of failed steps."""
        steps: list[tuple[str, Callable[[datetime], Awaitable[object]]]] = [
            ("reap", self.reap),
            ("schedule", self.scheduler.tick),
        ]
        if time.monotonic() >= self._next_purge:
            self._next_purge = time.monotonic() + PURGE_INTERVAL_SECONDS
            steps.append(("purge", self.purge))
        failed = []
        for name, step in steps:
            try:
                await step(now)
            except Exception as exc:
                failed.append(name)
                logger.warning("job_upkeep_step_failed", step=name, error=describe_exception(exc))
        return failed

    async def reap(self, now: datetime) -> tuple[int, int]:
        """Requeue running jobs whose heartbeat is older than jobs_stale_after_seconds.

        A job that already used its last attempt fails instead, so a job that kills its worker
        (out of memory, segfault) cannot loop forever.
        """
        cutoff = now - timedelta(seconds=self.settings.jobs_stale_after_seconds)
        async with self.database.transaction() as session:
            repository = JobRepository(session)
            # A read first: on SQLite an UPDATE takes the write lock even when nothing matches.
            if not await repository.has_stale(cutoff):
                return 0, 0
            requeued, failed = await repository.reap_stale(cutoff, now, STALE_ERROR)
        logger.warning("jobs_reaped", requeued=requeued, failed=failed)
        return requeued, failed

    async def purge(self, now: datetime) -> int:
        async with self.database.transaction() as session:
            deleted = await JobRepository(session).purge_finished(now - FINISHED_JOB_RETENTION)
        if deleted:
            logger.info("jobs_purged", deleted=deleted)
        return deleted
