"""Background jobs: a durable job table, an embedded runner, and Redis (SAQ) workers.

Enqueue in the caller's transaction; the job runs once that commits::

    from aicaller.worker import enqueue

    await enqueue(session, "knowledge.resync_source", {"source_id": str(source.id)},
                  business_id=principal.business_id)

Handlers are registered with ``@job("name")`` in ``<domain>/tasks.py`` and must be idempotent:
delivery is at least once (a job whose worker dies mid-run runs again). Periodic runs are
registered with ``schedule(...)``. See ``registry.py`` for handlers, ``runner.py`` for the
embedded mode and ``queue.py`` for Redis mode.
"""

from aicaller.database.models.job import Job, JobStatus
from aicaller.worker.enqueue import cancel_job, enqueue, get_job
from aicaller.worker.executor import OnJobFinished, retry_delay
from aicaller.worker.loader import JOB_MODULES_ENV, load_job_modules
from aicaller.worker.process import (
    JobSystem,
    SchemaNotCurrent,
    create_job_system,
    create_worker,
    run_worker,
)
from aicaller.worker.queue import QueueClient
from aicaller.worker.queue_worker import QueueWorker
from aicaller.worker.registry import (
    JobCancelled,
    JobContext,
    JobDefinition,
    JobHandler,
    JobRegistry,
    JobResources,
    PermanentJobError,
    Schedule,
    job,
    registry,
    schedule,
    warm_processes,
)
from aicaller.worker.runner import JobRunner

__all__ = [
    "JOB_MODULES_ENV",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobDefinition",
    "JobHandler",
    "JobRegistry",
    "JobResources",
    "JobRunner",
    "JobStatus",
    "JobSystem",
    "OnJobFinished",
    "PermanentJobError",
    "QueueClient",
    "QueueWorker",
    "Schedule",
    "SchemaNotCurrent",
    "cancel_job",
    "create_job_system",
    "create_worker",
    "enqueue",
    "get_job",
    "job",
    "load_job_modules",
    "registry",
    "retry_delay",
    "run_worker",
    "schedule",
    "warm_processes",
]
