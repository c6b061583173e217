"""Enqueue jobs inside the caller's transaction (a transactional outbox).

The job row is written by the caller's session, so it exists exactly when the caller's commit
succeeds. Runners and the queue are told only after that commit (an ``after_commit`` session
event); a rolled-back transaction leaves neither a row nor a notification.
"""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import Engine, event, select
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import Session

from aicaller.database.models.job import (
    DEDUPE_KEY_MAX_LENGTH,
    JOB_NAME_MAX_LENGTH,
    Job,
    JobStatus,
)
from aicaller.database.types import utcnow
from aicaller.worker import notify
from aicaller.worker.repository import JobRepository

_PENDING = "aicaller.worker.committed_jobs"


async def enqueue(
    session: AsyncSession,
    name: str,
    payload: dict[str, Any] | None = None,
    *,
    business_id: uuid.UUID | None = None,
    run_at: datetime | None = None,
    dedupe_key: str | None = None,
    max_attempts: int | None = None,
) -> Job:
    """Add job ``name`` to the caller's transaction; it runs once that transaction commits.

    ``run_at`` delays it (an aware datetime). With ``dedupe_key``, enqueueing the same key again,
    even after the job finished, returns the existing job instead of adding one. ``max_attempts``
    defaults to the handler's setting, else ``settings.jobs_max_attempts``.
    """
    if not 0 < len(name) <= JOB_NAME_MAX_LENGTH:
        raise ValueError(f"a job name has 1 to {JOB_NAME_MAX_LENGTH} characters")
    if dedupe_key is not None and not 0 < len(dedupe_key) <= DEDUPE_KEY_MAX_LENGTH:
        raise ValueError(f"a dedupe key has 1 to {DEDUPE_KEY_MAX_LENGTH} characters")
    if max_attempts is not None and max_attempts < 1:
        raise ValueError("max_attempts must be at least 1")
    body = dict(payload or {})
    json.dumps(body)  # a TypeError here beats a confusing one at flush time
    values: dict[str, Any] = {
        "id": uuid.uuid4(),
        "business_id": business_id,
        "name": name,
        "payload": body,
        "status": JobStatus.QUEUED.value,
        "run_at": run_at or utcnow(),
        "max_attempts": max_attempts,
        "dedupe_key": dedupe_key,
    }
    if dedupe_key is not None:
        job, created = await JobRepository(session).insert_deduped(values)
        if not created:
            return job
    else:
        job = Job(**values)
        session.add(job)
        await session.flush()
    _notify_after_commit(session, notify.JobRef(job.id, job.attempts, job.run_at))
    return job


async def cancel_job(session: AsyncSession, job_id: uuid.UUID) -> bool:
    """Cancel a queued or running job (in the caller's transaction). False if already finished.

    A running handler is stopped at the worker's next heartbeat; ``ctx.raise_if_cancelled()``
    lets long handlers stop sooner.
    """
    return await JobRepository(session).cancel(job_id, utcnow())


async def get_job(session: AsyncSession, job_id: uuid.UUID) -> Job | None:
    return (await session.execute(select(Job).where(Job.id == job_id))).scalar_one_or_none()


def _notify_after_commit(session: AsyncSession, ref: notify.JobRef) -> None:
    sync_session = session.sync_session
    pending: list[notify.JobRef] | None = sync_session.info.get(_PENDING)
    if pending is None:
        pending = sync_session.info[_PENDING] = []
        event.listen(sync_session, "after_commit", _after_commit)
        event.listen(sync_session, "after_rollback", _after_rollback)
    pending.append(ref)


def _after_commit(sync_session: Session) -> None:
    pending: list[notify.JobRef] = sync_session.info[_PENDING]
    refs, pending[:] = list(pending), []
    bind = sync_session.get_bind()
    engine = bind if isinstance(bind, Engine) else bind.engine
    notify.publish(engine, refs)


def _after_rollback(sync_session: Session) -> None:
    sync_session.info[_PENDING].clear()
