"""Entry points: the job system an API process runs, and the ``aicaller worker`` process."""

from __future__ import annotations

import asyncio
import signal
import threading
from typing import Any, Protocol

from aicaller.config import Settings
from aicaller.core.events import create_event_bus
from aicaller.core.http import SafeHttpClient
from aicaller.core.logging import get_logger
from aicaller.core.process_pool import ProcessPool, process_pool
from aicaller.database import migrate
from aicaller.database.session import Database, create_engine
from aicaller.worker.executor import OnJobFinished
from aicaller.worker.loader import load_job_modules
from aicaller.worker.queue import QueueClient
from aicaller.worker.queue_worker import QueueWorker
from aicaller.worker.registry import JobRegistry, JobResources
from aicaller.worker.registry import registry as default_registry
from aicaller.worker.runner import JobRunner

logger = get_logger(__name__)


class JobSystem(Protocol):
    """What the app lifespan holds: started on startup, stopped on shutdown, asked for health."""

    mode: str

    async def start(self) -> None: ...

    async def stop(self) -> None: ...

    async def health(self) -> dict[str, Any]: ...


class SchemaNotCurrent(RuntimeError):
    """The database needs ``aicaller db upgrade`` before jobs can run."""


def create_job_system(
    settings: Settings,
    database: Database,
    *,
    registry: JobRegistry | None = None,
    on_job_finished: OnJobFinished | None = None,
    resources: JobResources | None = None,
) -> JobSystem:
    """For the API process: the embedded runner, or with Redis a dispatcher to the workers.

    Loads the job modules first so the embedded runner knows every handler.
    """
    load_job_modules()
    if settings.redis_url:
        return QueueClient(database, settings)
    preload_processes(settings, resources, registry)  # this process runs the jobs
    return JobRunner(
        database, settings, registry=registry, on_job_finished=on_job_finished, resources=resources
    )


def preload_processes(
    settings: Settings, resources: JobResources | None, registry: JobRegistry | None
) -> None:
    """Start the process pool's workers now, each running the jobs' warm-ups, so the first
    job that needs them (a user's first documentation sync) does not wait for their start."""
    processes = resources.processes if resources is not None else None
    warm_ups = (registry or default_registry).process_warm_ups()
    if isinstance(processes, ProcessPool) and warm_ups and settings.knowledge_extract_preload:
        processes.preload(*warm_ups)


def create_worker(
    settings: Settings,
    database: Database,
    *,
    registry: JobRegistry | None = None,
    on_job_finished: OnJobFinished | None = None,
    resources: JobResources | None = None,
) -> JobSystem:
    """For ``aicaller worker``: consume the Redis queue, or without Redis poll the database."""
    if settings.redis_url:
        return QueueWorker(
            database,
            settings,
            registry=registry,
            on_job_finished=on_job_finished,
            resources=resources,
        )
    return JobRunner(
        database, settings, registry=registry, on_job_finished=on_job_finished, resources=resources
    )


async def run_worker(
    settings: Settings,
    *,
    stop: asyncio.Event | None = None,
    registry: JobRegistry | None = None,
    on_job_finished: OnJobFinished | None = None,
) -> None:
    """Run jobs until SIGTERM/SIGINT (or ``stop`` is set), then shut down gracefully: running
    jobs get jobs_shutdown_grace_seconds to finish and are released back to the queue after."""
    stop = stop or asyncio.Event()
    loop = asyncio.get_running_loop()
    signals = (signal.SIGTERM, signal.SIGINT)
    handle_signals = threading.current_thread() is threading.main_thread()
    if handle_signals:
        for signum in signals:
            loop.add_signal_handler(signum, stop.set)
    database = Database(create_engine(settings))
    try:
        if settings.should_auto_migrate:
            await migrate.upgrade(database.engine)
        elif not await migrate.is_current(database.engine):
            raise SchemaNotCurrent(
                "The database schema is not up to date: run `aicaller db upgrade`"
            )
        modules = load_job_modules()
        http = SafeHttpClient.from_settings(settings)
        events = create_event_bus(settings)
        processes = process_pool(settings.knowledge_extract_processes)
        worker_resources = JobResources(http=http, events=events, processes=processes)
        worker = create_worker(
            settings,
            database,
            registry=registry,
            on_job_finished=on_job_finished,
            resources=worker_resources,
        )
        preload_processes(settings, worker_resources, registry)
        await worker.start()
        logger.info("worker_running", mode=worker.mode, modules=modules)
        try:
            await stop.wait()
            logger.info("worker_stopping")
        finally:
            await worker.stop()
            await http.aclose()
            await events.close()
            if processes is not None:
                processes.shutdown(cancel_futures=True)
    finally:
        if handle_signals:
            for signum in signals:
                loop.remove_signal_handler(signum)
        await database.dispose()
