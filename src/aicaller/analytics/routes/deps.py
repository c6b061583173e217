"""Dependencies of the analytics routes: who may read, the service, the common parameters."""

from __future__ import annotations

from enum import StrEnum
from typing import Annotated

from fastapi import Depends, Query, Request, Response

from aicaller.analytics.buckets import Period
from aicaller.analytics.figures import TREND_FIGURES
from aicaller.analytics.service import AnalyticsService, Report
from aicaller.api.deps import CacheDep, SessionDep, SettingsDep, require_role
from aicaller.core.schemas import IsoDate
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, Scope

Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.ANALYTICS_READ)]
Exporter = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.ANALYTICS_EXPORT)]

# Figure names as an enum, so an unknown metric is a 422 that lists the valid ones.
Metric = StrEnum("Metric", {name: name for name in TREND_FIGURES})  # type: ignore[misc]


class GroupBy(StrEnum):
    DIRECTION = "direction"
    STATUS = "status"


async def _analytics(
    request: Request,
    principal: Reader,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
) -> AnalyticsService:
    return AnalyticsService(
        session, principal.business_id, cache, settings, database=request.app.state.database
    )


Analytics = Annotated[AnalyticsService, Depends(_analytics)]
PeriodParam = Annotated[
    Period | None, Query(description="today, 7d, 30d (default) or custom (with from and to)")
]
FromParam = Annotated[
    IsoDate | None, Query(alias="from", description="First day, in the business's timezone")
]
ToParam = Annotated[
    IsoDate | None, Query(alias="to", description="Last day (inclusive), business timezone")
]


def report_response(report: Report) -> Response:
    """The cached JSON as it is, saying whether the server's cache served it. Reports are
    private to the business, and the server invalidates them on writes, so clients must
    revalidate rather than keep their own copy."""
    return Response(
        content=report.body,
        media_type="application/json",
        headers={"Cache-Control": "private, no-cache", "X-Cache": "hit" if report.hit else "miss"},
    )
