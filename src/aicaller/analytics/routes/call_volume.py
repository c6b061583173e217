"""``GET /api/v1/analytics/call-volume``."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Response

from aicaller.analytics.buckets import Interval
from aicaller.analytics.routes.deps import Analytics, FromParam, GroupBy, ToParam, report_response
from aicaller.analytics.schemas import CallVolume

router = APIRouter()


@router.get(
    "/call-volume",
    response_model=CallVolume,
    summary="Calls per hour, day, week or month in the business's timezone, zero-filled",
)
async def call_volume(
    analytics: Analytics,
    date_from: FromParam = None,
    date_to: ToParam = None,
    interval: Annotated[Interval, Query()] = Interval.DAY,
    group_by: Annotated[GroupBy | None, Query()] = None,
) -> Response:
    return report_response(
        await analytics.call_volume(
            date_from, date_to, interval, group_by.value if group_by else None
        )
    )
