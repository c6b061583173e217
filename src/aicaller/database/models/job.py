"""Background jobs: the durable state of every unit of background work (see ``aicaller.worker``).

The row is the source of truth; queues only ever carry "run job <id>". Any worker can therefore
pick up, retry or recover any job.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base
from aicaller.database.types import utcnow


class JobStatus(StrEnum):
    QUEUED = "queued"  # waiting for run_at, then for a worker
    RUNNING = "running"  # claimed by locked_by, which heartbeats while it runs
    SUCCEEDED = "succeeded"
    FAILED = "failed"  # out of attempts, or a permanent error; last_error says why
    CANCELLED = "cancelled"


JOB_STATUS_VALUES = tuple(status.value for status in JobStatus)
JOB_NAME_MAX_LENGTH = 200
DEDUPE_KEY_MAX_LENGTH = 255


class Job(Base):
    __tablename__ = "jobs"
    __table_args__ = (
        CheckConstraint(f"status IN {JOB_STATUS_VALUES!r}", name="status_valid"),
        # "Which queued jobs are due?" and "which running jobs stopped heartbeating?"
        Index("ix_jobs_status_run_at", "status", "run_at"),
        Index("ix_jobs_status_heartbeat_at", "status", "heartbeat_at"),
    )

    # Jobs may belong to a tenant; system jobs (schedules) have none.
    business_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("businesses.id", ondelete="CASCADE"), index=True, default=None
    )
    name: Mapped[str] = mapped_column(String(JOB_NAME_MAX_LENGTH))
    payload: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    status: Mapped[str] = mapped_column(String(16), default=JobStatus.QUEUED.value)
    attempts: Mapped[int] = mapped_column(default=0)
    # None until the first claim: then the handler's default, else settings.jobs_max_attempts.
    max_attempts: Mapped[int | None] = mapped_column(default=None)
    run_at: Mapped[datetime] = mapped_column(default=utcnow)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    locked_by: Mapped[str | None] = mapped_column(String(200), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    result: Mapped[dict[str, Any] | None] = mapped_column(JSON(none_as_null=True), default=None)
    # Enqueueing the same key again returns the existing job (idempotent enqueue, schedules).
    dedupe_key: Mapped[str | None] = mapped_column(
        String(DEDUPE_KEY_MAX_LENGTH), unique=True, default=None
    )
