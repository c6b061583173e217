"""The console's overview asks for the dashboard and three trends of one period at once: each
report is the very one its own endpoint gives (the cache holds one entry for both), and
computed together they cost fewer statements than one by one."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from fastapi import FastAPI

from aicaller.analytics.buckets import Interval, Period
from aicaller.analytics.service import AnalyticsService
from aicaller.core.query_monitor import count_queries
from aicaller.database.models import Call
from tests.factories import Tenant

METRICS = ["total_calls", "ai_containment_rate", "avg_qa_score"]
FIRST, LAST = date(2026, 3, 9), date(2026, 3, 15)
NOW = datetime(2026, 3, 20, tzinfo=UTC)


def _service(app: FastAPI, session: object, tenant: Tenant, cache: bool) -> AnalyticsService:
    return AnalyticsService(
        session,  # type: ignore[arg-type]
        tenant.business_id,
        app.state.cache if cache else None,
        app.state.settings,
        clock=lambda: NOW,
        database=app.state.database,
    )


async def test_overview_reports_equal_the_reports_asked_one_by_one(
    app: FastAPI, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    async with app.state.database.transaction() as session:
        alone = _service(app, session, tenant, cache=False)
        with count_queries() as one_by_one:
            dashboard = await alone.dashboard(Period.CUSTOM, FIRST, LAST)
            trends = [
                await alone.trends(m, Interval.DAY, Period.CUSTOM, FIRST, LAST, 7) for m in METRICS
            ]
        with count_queries() as together:
            both, overview_trends = await alone.overview(
                Period.CUSTOM, FIRST, LAST, METRICS, Interval.DAY, 7
            )
    assert json.loads(both.body) == json.loads(dashboard.body)
    assert [json.loads(t.body) for t in overview_trends] == [json.loads(t.body) for t in trends]
    assert json.loads(trends[0].body)["points"][0]["value"] == 1  # the seed's first day
    assert together.count < one_by_one.count, (together.count, one_by_one.count)


async def test_overview_fills_and_reads_the_reports_cache_entries(
    app: FastAPI, tenant: Tenant, seeded: dict[str, Call]
) -> None:
    async with app.state.database.transaction() as session:
        cached = _service(app, session, tenant, cache=True)
        # The dashboard is cached already (the API asked for it): only the trends are computed.
        dashboard = await cached.dashboard(Period.CUSTOM, FIRST, LAST)
        both, trends = await cached.overview(Period.CUSTOM, FIRST, LAST, METRICS, Interval.DAY, 7)
        assert both.hit
        assert both.body == dashboard.body
        assert not any(t.hit for t in trends)
        # Now everything comes from the cache, and the API's trend is the overview's entry.
        again, trends_again = await cached.overview(
            Period.CUSTOM, FIRST, LAST, METRICS, Interval.DAY, 7
        )
        assert again.hit
        assert all(t.hit for t in trends_again)
        api = await cached.trends(METRICS[2], Interval.DAY, Period.CUSTOM, FIRST, LAST, 7)
        assert api.hit
        assert api.body == trends[2].body
