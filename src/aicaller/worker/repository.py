"""Every statement on the ``jobs`` table.

Unlike domain repositories this one is not tenant-scoped: the runner serves every business (and
system jobs have none). Tenant-facing reads of jobs belong in a scoped repository of the domain
that exposes them.

State changes of a running job are guarded by its lease (id, status running, locked_by, attempt),
so a worker that lost its job (cancelled, or reaped after missing heartbeats and run elsewhere)
can never overwrite the newer state.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, Update, delete, func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models.job import Job, JobStatus
from aicaller.worker.notify import JobRef

QUEUED, RUNNING = JobStatus.QUEUED.value, JobStatus.RUNNING.value
FINISHED = (JobStatus.SUCCEEDED.value, JobStatus.FAILED.value, JobStatus.CANCELLED.value)


@dataclass(frozen=True, slots=True)
class Lease:
    """One attempt of one job, owned by one worker."""

    job_id: uuid.UUID
    worker_id: str
    attempt: int


class JobRepository:
    def __init__(self, session: AsyncSession) -> None:
        self.session = session

    async def _rowcount(self, statement: Update) -> int:
        result = await self.session.execute(statement.execution_options(synchronize_session=False))
        return int(cast(CursorResult[Any], result).rowcount)

    @staticmethod
    def _leased(lease: Lease) -> ColumnElement[bool]:
        return (
            (Job.id == lease.job_id)
            & (Job.status == RUNNING)
            & (Job.locked_by == lease.worker_id)
            & (Job.attempts == lease.attempt)
        )

    # -- enqueue --------------------------------------------------------------------------------
    async def insert_deduped(self, values: dict[str, Any]) -> tuple[Job, bool]:
        """Insert unless ``dedupe_key`` exists; the job with that key and whether it is new.

        ON CONFLICT DO NOTHING instead of catching an IntegrityError: a failed statement would
        abort the caller's whole PostgreSQL transaction.
        """
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        statement = (
            insert(Job)
            .values(**values)
            .on_conflict_do_nothing(index_elements=[Job.dedupe_key])
            .returning(Job.id)
        )
        new_id = (await self.session.execute(statement)).scalar_one_or_none()
        found = await self.session.execute(
            select(Job).where(Job.dedupe_key == values["dedupe_key"])
        )
        return found.scalar_one(), new_id is not None

    # -- claiming -------------------------------------------------------------------------------
    async def due(self, names: Sequence[str], now: datetime, limit: int) -> list[JobRef]:
        """Queued jobs whose run_at has come, oldest first, limited to handlers we know."""
        if not names or limit <= 0:
            return []
        statement = (
            select(Job.id, Job.attempts, Job.run_at)
            .where(Job.status == QUEUED, Job.run_at <= now, Job.name.in_(names))
            .order_by(Job.run_at)
            .limit(limit)
        )
        return [JobRef(*row) for row in (await self.session.execute(statement)).all()]

    async def claim(
        self, job_id: uuid.UUID, names: Sequence[str], worker_id: str, now: datetime
    ) -> Job | None:
        """Atomically take a due queued job: the conditional UPDATE lets exactly one worker win."""
        claimed = await self._rowcount(
            update(Job)
            .where(
                Job.id == job_id,
                Job.status == QUEUED,
                Job.run_at <= now,
                Job.name.in_(names),
            )
            .values(
                status=RUNNING,
                locked_by=worker_id,
                attempts=Job.attempts + 1,
                heartbeat_at=now,
                started_at=now,
            )
        )
        if claimed != 1:
            return None
        return (await self.session.execute(select(Job).where(Job.id == job_id))).scalar_one()

    # -- while running --------------------------------------------------------------------------
    async def heartbeat(self, lease: Lease, now: datetime) -> bool:
        """Refresh the lease; False once the job is no longer ours."""
        return (
            await self._rowcount(update(Job).where(self._leased(lease)).values(heartbeat_at=now))
            == 1
        )

    async def status(self, job_id: uuid.UUID) -> str | None:
        return (await self.session.execute(select(Job.status).where(Job.id == job_id))).scalar()

    # -- outcomes -------------------------------------------------------------------------------
    async def succeed(self, lease: Lease, result: dict[str, Any] | None, now: datetime) -> bool:
        values = {"status": JobStatus.SUCCEEDED.value, "result": result, "last_error": None}
        return await self._finish(lease, now, values)

    async def fail(self, lease: Lease, error: str, now: datetime) -> bool:
        return await self._finish(
            lease, now, {"status": JobStatus.FAILED.value, "last_error": error}
        )

    async def _finish(self, lease: Lease, now: datetime, values: dict[str, Any]) -> bool:
        statement = update(Job).where(self._leased(lease))
        return (
            await self._rowcount(
                statement.values(**values, finished_at=now, locked_by=None, heartbeat_at=None)
            )
            == 1
        )

    async def retry(self, lease: Lease, error: str, run_at: datetime) -> bool:
        """Back to the queue for a later attempt."""
        return (
            await self._rowcount(
                update(Job)
                .where(self._leased(lease))
                .values(
                    status=QUEUED,
                    run_at=run_at,
                    last_error=error,
                    locked_by=None,
                    heartbeat_at=None,
                )
            )
            == 1
        )

    async def release(self, lease: Lease, now: datetime) -> bool:
        """Give the job back unfinished (shutdown): the interrupted attempt does not count."""
        return (
            await self._rowcount(
                update(Job)
                .where(self._leased(lease))
                .values(
                    status=QUEUED,
                    run_at=now,
                    attempts=Job.attempts - 1,
                    locked_by=None,
                    heartbeat_at=None,
                )
            )
            == 1
        )

    async def cancel(self, job_id: uuid.UUID, now: datetime) -> bool:
        """Cancel a queued or running job; a running one notices at its next heartbeat."""
        return (
            await self._rowcount(
                update(Job)
                .where(Job.id == job_id, Job.status.in_((QUEUED, RUNNING)))
                .values(status=JobStatus.CANCELLED.value, finished_at=now, locked_by=None)
            )
            == 1
        )

    # -- maintenance ----------------------------------------------------------------------------
    async def has_stale(self, cutoff: datetime) -> bool:
        statement = select(Job.id).where(Job.status == RUNNING, Job.heartbeat_at < cutoff).limit(1)
        return (await self.session.execute(statement)).first() is not None

    async def reap_stale(self, cutoff: datetime, now: datetime, error: str) -> tuple[int, int]:
        """Running jobs whose worker stopped heartbeating: requeue them, or fail the exhausted."""
        stale = (Job.status == RUNNING) & (Job.heartbeat_at < cutoff)
        exhausted = Job.attempts >= func.coalesce(Job.max_attempts, 1)
        failed = await self._rowcount(
            update(Job)
            .where(stale & exhausted)
            .values(
                status=JobStatus.FAILED.value, last_error=error, finished_at=now, locked_by=None
            )
        )
        requeued = await self._rowcount(
            update(Job)
            .where(stale & ~exhausted)
            .values(status=QUEUED, run_at=now, last_error=error, locked_by=None, heartbeat_at=None)
        )
        return requeued, failed

    async def counts(self, now: datetime) -> dict[str, int]:
        """Queued (and how many of those are due) and running jobs."""
        statement = (
            select(Job.status, func.count(), func.count().filter(Job.run_at <= now))
            .where(Job.status.in_((QUEUED, RUNNING)))
            .group_by(Job.status)
        )
        rows = {
            status: (total, due) for status, total, due in await self.session.execute(statement)
        }
        queued, due = rows.get(QUEUED, (0, 0))
        return {"queued": queued, "due": due, "running": rows.get(RUNNING, (0, 0))[0]}

    async def purge_finished(self, before: datetime) -> int:
        """Delete finished jobs older than ``before``; a schedule never re-creates a past slot."""
        result = await self.session.execute(
            delete(Job).where(Job.status.in_(FINISHED), Job.finished_at < before)
        )
        return int(cast(CursorResult[Any], result).rowcount)
