"""Hourly removal of idempotency records past their lifetime."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

from aicaller.idempotency.repository import purge_expired
from aicaller.worker import JobContext, job, schedule

PURGE_JOB = "idempotency.purge_expired"


@job(PURGE_JOB)
async def purge_expired_records(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    async with ctx.database.transaction() as session:
        deleted = await purge_expired(session, datetime.now(UTC))
    return {"deleted": deleted}


schedule(PURGE_JOB, every=timedelta(hours=1))
