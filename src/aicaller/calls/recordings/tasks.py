"""Hourly removal of recordings past their business's retention."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from aicaller.calls.recordings.service import expire_recordings, utc_now
from aicaller.core.recordings import recording_store
from aicaller.worker import JobContext, job, schedule

EXPIRE_JOB = "recordings.expire"


@job(EXPIRE_JOB)
async def expire(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    async with ctx.database.transaction() as session:
        store = recording_store(ctx.settings.data_dir)
        return {"deleted": await expire_recordings(session, store, utc_now())}


schedule(EXPIRE_JOB, every=timedelta(hours=1))
