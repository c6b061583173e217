"""``GET /api/v1/analytics/dashboard``."""

from __future__ import annotations

from fastapi import APIRouter, Response

from aicaller.analytics.routes.deps import (
    Analytics,
    FromParam,
    PeriodParam,
    ToParam,
    report_response,
)
from aicaller.analytics.schemas import Dashboard

router = APIRouter()


@router.get(
    "/dashboard",
    response_model=Dashboard,
    summary="Every headline figure of a period, each against the period before",
)
async def dashboard(
    analytics: Analytics,
    period: PeriodParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
) -> Response:
    return report_response(await analytics.dashboard(period, date_from, date_to))
