"""The overview: the analytics dashboard's figures against the previous period, a period
picker, charts of call volume, AI containment and QA score over time, the top knowledge gaps
and the open escalations with their age. Every figure comes from the analytics service (the
same cached reports as ``/api/v1/analytics``)."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from aicaller.analytics.buckets import Interval, Period
from aicaller.analytics.routes import deps as analytics_deps
from aicaller.analytics.routes.deps import FromParam, PeriodParam, ToParam
from aicaller.analytics.service import AnalyticsService
from aicaller.api.deps import CacheDep, SessionDep, SettingsDep
from aicaller.calls import deps as call_deps
from aicaller.calls.deps import Calls
from aicaller.calls.escalations.schemas import EscalationQueueItem
from aicaller.calls.escalations.service import EscalationQueueQuery
from aicaller.console.deps import Viewer, may, render

router = APIRouter(prefix="/app")
AnalyticsReader = Annotated[Viewer, may(analytics_deps.Reader)]
CHARTS = (
    ("total_calls", "Calls"),
    ("ai_containment_rate", "Resolved by the AI"),
    ("avg_qa_score", "QA score"),
)
HEADLINES = (
    "total_calls",
    "answered_calls",
    "ai_containment_rate",
    "escalation_rate",
    "avg_handle_time_seconds",
    "avg_qa_score",
    "first_contact_resolution_rate",
    "open_escalations",
    "oldest_open_escalation_age_seconds",
)
OPEN = EscalationQueueQuery(statuses=("acknowledged", "open"))


def _chart(trend: dict[str, Any], label: str) -> dict[str, Any]:
    """uPlot's shape: x as Unix seconds, one series; gaps (no calls) stay gaps."""
    return {
        "label": label,
        "unit": trend["metric"],
        "x": [int(datetime.fromisoformat(p["start"]).timestamp()) for p in trend["points"]],
        "y": [p["value"] for p in trend["points"]],
    }


@router.get("/overview", summary="The analytics dashboard")
async def overview(
    request: Request,
    viewer: AnalyticsReader,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    calls: Calls,
    period: PeriodParam = None,
    date_from: FromParam = None,
    date_to: ToParam = None,
) -> Response:
    analytics = AnalyticsService(
        session, viewer.principal.business_id, cache, settings, database=request.app.state.database
    )
    # The reports' cached JSON, read as the API's clients read it (the same cache entries).
    interval = Interval.HOUR if period is Period.TODAY else Interval.DAY
    metrics = [metric for metric, _label in CHARTS]
    summary, trends = await analytics.overview(
        period, date_from, date_to, metrics, interval, window=7
    )
    dashboard = json.loads(summary.body)
    charts = [
        _chart(json.loads(report.body), label)
        for report, (_metric, label) in zip(trends, CHARTS, strict=True)
    ]
    escalations: list[EscalationQueueItem] = []
    if viewer.can(call_deps.Reader):
        rows, _next = await calls.escalations(viewer.principal).queue(OPEN, limit=10, cursor=None)
        escalations = [EscalationQueueItem.from_row(row) for row in rows]
    return render(
        request,
        "overview.html",
        viewer,
        dashboard=dashboard,
        headlines=[(name, dashboard["figures"][name]) for name in HEADLINES],
        charts=charts,
        escalations=escalations,
        now=datetime.now(UTC),
        period=period.value if period else "30d",
        periods=[
            (p.value, label)
            for p, label in zip(Period, ("Today", "7 days", "30 days", "Custom"), strict=True)
        ],
    )
