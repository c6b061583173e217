"""Background jobs of the knowledge base: running a sync, and the re-sync schedule."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

from aicaller.core.errors import NotFound
from aicaller.core.logging import get_logger
from aicaller.knowledge.documentation_scraper.parse import warm_up
from aicaller.knowledge.sources.repository import businesses_with_scheduled_sources, mark_failed
from aicaller.knowledge.sources.service import SYNC_JOB, DocumentationService
from aicaller.knowledge.sources.sync import DocumentationSync
from aicaller.worker import JobContext, PermanentJobError, job, schedule, warm_processes

RESYNC_JOB = "knowledge.resync_due_sources"
logger = get_logger("aicaller.knowledge.sources.tasks")


@job(SYNC_JOB, max_attempts=5)
async def sync_source(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Run or resume one sync; a retry continues from the frontier the last attempt left."""
    if ctx.business_id is None or ctx.resources.http is None:
        raise PermanentJobError("a sync needs its business and the process's HTTP client")
    sync_id = uuid.UUID(str(payload["sync_id"]))

    async def still_wanted() -> bool:
        return not await ctx.is_cancelled()

    runner = DocumentationSync(
        ctx.database,
        ctx.resources.http,
        ctx.settings,
        business_id=ctx.business_id,
        sync_id=sync_id,
        still_wanted=still_wanted,
        events=ctx.resources.events,
        processes=ctx.resources.processes,
    )
    try:
        status = await runner.run()
    except NotFound:
        # The source (and with it the sync) was deleted while the job waited or ran.
        logger.info("sync_source_deleted", sync_id=str(sync_id))
        return {"status": "deleted"}
    except Exception as exc:
        if ctx.attempt >= ctx.max_attempts:
            async with ctx.database.transaction() as session:
                await mark_failed(session, sync_id, f"{exc.__class__.__name__}: {exc}")
        raise
    return {"status": status}


@job(RESYNC_JOB)
async def resync_due_sources(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    started = 0
    async with ctx.database.transaction() as session:
        for business_id in await businesses_with_scheduled_sources(session):
            started += await DocumentationService(session, business_id).start_due_syncs()
    return {"started": started}


schedule(RESYNC_JOB, every=timedelta(minutes=5))
# Syncs extract in the process's pool: its workers load extraction when the job system starts.
warm_processes(warm_up)
