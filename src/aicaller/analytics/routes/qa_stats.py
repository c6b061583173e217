"""``GET /api/v1/analytics/qa-stats``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from aicaller.analytics.routes.deps import (
    Analytics,
    FromParam,
    PeriodParam,
    ToParam,
    report_response,
)
from aicaller.analytics.schemas import QaStats

router = APIRouter()


@router.get(
    "/qa-stats",
    response_model=QaStats,
    summary="QA scores: distribution, criteria, AI vs people, the lowest-scoring calls",
)
async def qa_stats(
    analytics: Analytics,
    period: PeriodParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    lowest: Annotated[int, Query(ge=1, le=100, description="Lowest-scoring calls listed")] = 10,
) -> Response:
    return report_response(await analytics.qa_stats(period, date_from, date_to, lowest))
