"""Job handlers and periodic schedules, registered by name.

Domains declare their jobs in ``<domain>/tasks.py``::

    from aicaller.worker import JobContext, job, schedule

    @job("knowledge.resync_source", max_attempts=3)
    async def resync_source(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any] | None:
        async with ctx.database.transaction() as session:
            ...
        return {"pages": 12}

    schedule("knowledge.resync_due_sources", every=timedelta(minutes=5))

Delivery is **at least once**: a job whose worker dies mid-run is run again, so every handler
must be idempotent (check what is already done, upsert instead of insert, use dedupe keys).
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Callable, Coroutine
from concurrent.futures import Executor
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from sqlalchemy import select

from aicaller.config import Settings
from aicaller.core.events import EventBus
from aicaller.core.http import SafeHttpClient
from aicaller.database.models.job import Job, JobStatus
from aicaller.database.session import Database
from aicaller.worker.cron import is_valid_cron, latest_fire_time

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


class PermanentJobError(Exception):
    """Raised by a handler when retrying cannot help: the job fails at once."""


class JobCancelled(Exception):
    """Raised by ``JobContext.raise_if_cancelled`` once the job was cancelled or taken away."""


@dataclass(frozen=True, slots=True)
class JobResources:
    """Process-wide clients a handler may use; the process opens and closes them."""

    http: SafeHttpClient | None = None
    events: EventBus | None = None  # progress fan-out (documentation syncs)
    processes: Executor | None = None  # CPU-bound work (documentation extraction); None: threads


@dataclass
class JobContext:
    """What a running handler gets besides its payload."""

    database: Database
    settings: Settings
    job_id: uuid.UUID
    name: str
    attempt: int  # 1 on the first run
    max_attempts: int
    business_id: uuid.UUID | None
    worker_id: str
    resources: JobResources = field(default_factory=JobResources)
    _lost: bool = field(default=False, init=False, repr=False)

    @property
    def cancel_requested(self) -> bool:
        """Set by the heartbeat once the job was cancelled or handed to another worker."""
        return self._lost

    async def is_cancelled(self) -> bool:
        """Ask the database now whether this run still owns the job."""
        if self._lost:
            return True
        async with self.database.transaction() as session:
            row = (
                await session.execute(
                    select(Job.status, Job.locked_by, Job.attempts).where(Job.id == self.job_id)
                )
            ).one_or_none()
        owned = row is not None and tuple(row) == (
            JobStatus.RUNNING.value,
            self.worker_id,
            self.attempt,
        )
        return not owned

    async def raise_if_cancelled(self) -> None:
        """A checkpoint for long handlers: stop early once the job is no longer ours."""
        if await self.is_cancelled():
            raise JobCancelled(f"job {self.job_id} was cancelled")


JobHandler = Callable[[JobContext, dict[str, Any]], Coroutine[Any, Any, dict[str, Any] | None]]


@dataclass(frozen=True, slots=True)
class JobDefinition:
    name: str
    handler: JobHandler
    max_attempts: int | None = None  # None: settings.jobs_max_attempts


@dataclass(frozen=True, slots=True)
class Schedule:
    """Run job ``job`` once per slot: every ``every`` (aligned to the epoch) or per ``cron`` (UTC).

    Each slot becomes one job row with ``dedupe_key = f"{key}@{slot_start_iso}"``, so any number
    of runners create it exactly once. Only the latest slot is created: slots missed while no
    runner was up are not back-filled, the most recent one runs when a runner next ticks.
    """

    key: str
    job: str
    every: timedelta | None = None
    cron: str | None = None
    payload: dict[str, Any] = field(default_factory=dict)
    max_attempts: int | None = None

    def slot(self, now: datetime) -> datetime:
        """The start of the slot ``now`` falls in."""
        if self.every is not None:
            periods = (now - EPOCH) // self.every
            return EPOCH + periods * self.every
        if self.cron is None:
            raise ValueError(f"schedule {self.key!r} has neither every nor cron")
        return latest_fire_time(self.cron, now)

    def dedupe_key(self, slot: datetime) -> str:
        return f"{self.key}@{slot.astimezone(UTC).isoformat()}"


class JobRegistry:
    """Names to handlers, plus periodic schedules. ``aicaller.worker.registry`` is the default."""

    def __init__(self) -> None:
        self._jobs: dict[str, JobDefinition] = {}
        self._schedules: dict[str, Schedule] = {}
        self._warm_ups: list[Callable[[], object]] = []

    def register(self, name: str, handler: JobHandler, *, max_attempts: int | None = None) -> None:
        if max_attempts is not None and max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")
        existing = self._jobs.get(name)
        if existing is not None and existing.handler is not handler:
            raise ValueError(f"a different handler is already registered for job {name!r}")
        self._jobs[name] = JobDefinition(name, handler, max_attempts)

    def job(
        self, name: str, *, max_attempts: int | None = None
    ) -> Callable[[JobHandler], JobHandler]:
        """Decorator form of ``register``."""

        def decorate(handler: JobHandler) -> JobHandler:
            self.register(name, handler, max_attempts=max_attempts)
            return handler

        return decorate

    def schedule(
        self,
        job: str,
        *,
        every: timedelta | None = None,
        cron: str | None = None,
        payload: dict[str, Any] | None = None,
        key: str | None = None,
        max_attempts: int | None = None,
    ) -> Schedule:
        """Run ``job`` periodically; ``key`` (default: the job name) names the schedule."""
        if (every is None) == (cron is None):
            raise ValueError("give exactly one of every= or cron=")
        if every is not None and every <= timedelta(0):
            raise ValueError("every must be positive")
        if cron is not None and not is_valid_cron(cron):
            raise ValueError(f"invalid cron expression {cron!r}")
        body = dict(payload or {})
        json.dumps(body)  # a TypeError now, at import, rather than on every tick
        entry = Schedule(key or job, job, every, cron, body, max_attempts)
        existing = self._schedules.get(entry.key)
        if existing is not None and existing != entry:
            raise ValueError(f"a different schedule is already registered as {entry.key!r}")
        self._schedules[entry.key] = entry
        return entry

    def warm_processes(self, warm_up: Callable[[], object]) -> None:
        """Have each worker of the process's pool (``JobResources.processes``) run ``warm_up``
        (module-level, picklable) when the job system starts, not at the first job using it."""
        if warm_up not in self._warm_ups:
            self._warm_ups.append(warm_up)

    def process_warm_ups(self) -> tuple[Callable[[], object], ...]:
        return tuple(self._warm_ups)

    def get(self, name: str) -> JobDefinition | None:
        return self._jobs.get(name)

    def names(self) -> list[str]:
        return sorted(self._jobs)

    def schedules(self) -> list[Schedule]:
        return list(self._schedules.values())


registry = JobRegistry()
job = registry.job
schedule = registry.schedule
warm_processes = registry.warm_processes
