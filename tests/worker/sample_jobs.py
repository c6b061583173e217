"""Job handlers for worker processes started by the tests (AICALLER_JOB_MODULES=this module).

Registered on the default registry, so only processes that load this module know them.
"""

from __future__ import annotations

import asyncio
from typing import Any

from aicaller.database.models import Business
from aicaller.worker import JobContext, job

SLOW_EFFECT = "tests.slow_effect"


@job(SLOW_EFFECT, max_attempts=3)
async def slow_effect(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    """Marks each start, sleeps on the first ``slow_attempts`` attempts, then writes its effect.

    The side effects are rows (businesses, the one table with no required parent), so the test
    can count them across processes.
    """
    async with ctx.database.transaction() as session:
        session.add(Business(name=f"started:{ctx.job_id}:{ctx.attempt}"))
    if ctx.attempt <= int(payload.get("slow_attempts", 0)):
        await asyncio.sleep(float(payload["seconds"]))
    async with ctx.database.transaction() as session:
        session.add(Business(name=f"effect:{ctx.job_id}"))
    return {"attempt": ctx.attempt, "worker": ctx.worker_id}
