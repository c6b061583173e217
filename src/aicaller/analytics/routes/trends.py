"""``GET /api/v1/analytics/trends``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from aicaller.analytics.buckets import Interval
from aicaller.analytics.routes.deps import (
    Analytics,
    FromParam,
    Metric,
    PeriodParam,
    ToParam,
    report_response,
)
from aicaller.analytics.schemas import Trend

router = APIRouter()


@router.get(
    "/trends",
    response_model=Trend,
    summary="One dashboard metric over time, with a moving average and the change per point",
)
async def trends(
    analytics: Analytics,
    metric: Annotated[Metric, Query(description="A dashboard metric")],
    interval: Annotated[Interval, Query()] = Interval.DAY,
    period: PeriodParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
    window: Annotated[int, Query(ge=1, le=100, description="Moving average, in points")] = 7,
) -> Response:
    return report_response(
        await analytics.trends(str(metric.value), interval, period, date_from, date_to, window)
    )
