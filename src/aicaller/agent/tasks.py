"""Background jobs of the agent: the post-call analysis of every completed call."""

from __future__ import annotations

import uuid
from typing import Any

from aicaller.agent.llm_review import LlmReviewer
from aicaller.agent.post_call import PostCallAnalysis
from aicaller.calls.service import POST_CALL_JOB
from aicaller.worker import JobContext, PermanentJobError, job


@job(POST_CALL_JOB, max_attempts=3)
async def post_call(ctx: JobContext, payload: dict[str, Any]) -> dict[str, Any]:
    if ctx.business_id is None:
        raise PermanentJobError("a post-call analysis needs its business")
    reviewer = (
        LlmReviewer(ctx.settings, ctx.resources.http.client if ctx.resources.http else None)
        if ctx.settings.llm_configured
        else None
    )
    analysis = PostCallAnalysis(ctx.database, ctx.business_id, reviewer)
    return await analysis.run(uuid.UUID(str(payload["call_id"])))
