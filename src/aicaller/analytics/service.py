"""Analytics reports of one business: parameters checked, figures computed, results cached.

Every report is cached for ``cache_ttl_analytics_seconds`` per business and parameters under
the business's analytics tag, which call, note, escalation and evaluation writes clear after
their commit (``aicaller.calls.service.invalidate_analytics``). Parameters are checked before
the cache is asked, so a rejected request computes and stores nothing.
"""

from __future__ import annotations

import uuid
import zoneinfo
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from pydantic import BaseModel
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics import reports, trend_reports
from aicaller.analytics.buckets import (
    DateRange,
    Interval,
    Period,
    bucket_count,
    period_range,
)
from aicaller.analytics.queries.calls import CallQueries
from aicaller.analytics.runner import Runner
from aicaller.analytics.sql import tune_for_reports
from aicaller.businesses.service import BusinessService
from aicaller.calls.schemas import MAX_YEAR, MIN_YEAR
from aicaller.calls.service import analytics_tag
from aicaller.config import Settings
from aicaller.core.cache import ANALYTICS, AppCache
from aicaller.core.errors import ValidationError
from aicaller.database.service import BaseService
from aicaller.database.session import Database


@dataclass(frozen=True, slots=True)
class Report:
    """A report's JSON body and whether the cache served it."""

    body: str
    hit: bool


DEFAULT_DAYS = 30


def _utcnow() -> datetime:
    return datetime.now(UTC)


class AnalyticsService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        cache: AppCache | None,
        settings: Settings,
        clock: Callable[[], datetime] = _utcnow,
        database: Database | None = None,
    ) -> None:
        super().__init__(session, business_id)
        self.cache = cache
        self.settings = settings
        self.clock = clock
        self.calls = CallQueries(session, business_id)
        self._tuned = False
        # With the database, report statements may run on connections of their own.
        self.runner = Runner(
            session,
            business_id,
            database,
            settings.analytics_parallel_connections,
            rollups=settings.analytics_rollups,
        )

    # -- parameters -------------------------------------------------------------------------------
    async def timezone(self) -> str:
        config = await BusinessService(self.session, self.business_id, self.cache).get_config()
        return config.timezone

    async def span(self, period: Period | None, first: date | None, last: date | None) -> DateRange:
        """The local days a report covers: a preset period, or ``from``/``to`` (inclusive)."""
        for value, name in ((first, "from"), (last, "to")):
            if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
                raise ValidationError(f"{name} must be between {MIN_YEAR} and {MAX_YEAR}")
        custom = first is not None or last is not None
        if period not in (None, Period.CUSTOM) and custom:
            raise ValidationError(
                "from and to go with period=custom", code="invalid_analytics_range"
            )
        if period is Period.CUSTOM and (first is None or last is None):
            raise ValidationError(
                "period=custom needs both from and to", code="invalid_analytics_range"
            )
        timezone = await self.timezone()
        today = self.clock().astimezone(zoneinfo.ZoneInfo(timezone)).date()
        if not custom:
            return period_range(period or Period.LAST_30_DAYS, today, timezone)
        last = last or today
        first = first or last - timedelta(days=DEFAULT_DAYS - 1)
        if first > last:
            raise ValidationError("from must not be after to", code="invalid_analytics_range")
        span = DateRange(first, last, timezone)
        if span.days > self.settings.analytics_max_range_days:
            raise ValidationError(
                f"The range is {span.days} days; at most "
                f"{self.settings.analytics_max_range_days} are allowed",
                code="analytics_range_too_long",
            )
        return span

    def check_buckets(self, span: DateRange, interval: Interval) -> None:
        count = bucket_count(span, interval)
        if count > self.settings.analytics_max_buckets:
            raise ValidationError(
                f"{count} {interval.value} buckets; at most "
                f"{self.settings.analytics_max_buckets}: choose a longer interval",
                code="analytics_too_many_buckets",
            )

    # -- caching ----------------------------------------------------------------------------------
    async def _cached(self, key: str, compute: Callable[[], Awaitable[BaseModel]]) -> Report:
        """The report as JSON, and whether it came from the cache. The JSON text is what is
        cached, so a hit is returned without building or validating any model."""

        async def run() -> str:
            if not self._tuned:  # the settings last the request's transaction
                await tune_for_reports(self.session)
                self._tuned = True
            return (await compute()).model_dump_json(by_alias=True)

        if self.cache is None:
            return Report(await run(), hit=False)
        computed = False

        async def run_once() -> str:
            nonlocal computed
            computed = True
            return await run()

        body = await self.cache.get_or_set(
            ANALYTICS,
            tenant=self.business_id,
            key=key,
            compute=run_once,
            tags=[analytics_tag(self.business_id)],
        )
        return Report(body, hit=not computed)

    # -- reports ----------------------------------------------------------------------------------
    async def dashboard(
        self, period: Period | None, first: date | None, last: date | None
    ) -> Report:
        span = await self.span(period, first, last)
        return await self._cached(
            _dashboard_key(span), lambda: reports.dashboard(self.runner, span, self.clock())
        )

    async def call_volume(
        self, first: date | None, last: date | None, interval: Interval, group_by: str | None
    ) -> Report:
        span = await self.span(None, first, last)
        self.check_buckets(span, interval)
        return await self._cached(
            f"call_volume:{span.first}:{span.last}:{interval.value}:{group_by}",
            lambda: reports.call_volume(self.calls, span, interval, group_by),
        )

    async def qa_stats(
        self, period: Period | None, first: date | None, last: date | None, lowest: int
    ) -> Report:
        span = await self.span(period, first, last)
        return await self._cached(
            f"qa_stats:{span.first}:{span.last}:{lowest}",
            lambda: reports.qa_stats(self.runner, span, lowest),
        )

    async def trends(
        self,
        metric: str,
        interval: Interval,
        period: Period | None,
        first: date | None,
        last: date | None,
        window: int,
    ) -> Report:
        span = await self.span(period, first, last)
        self.check_buckets(span, interval)
        return await self._cached(
            _trend_key(metric, interval, span, window),
            lambda: trend_reports.trend(self.runner, span, metric, interval, window),
        )

    async def overview(
        self,
        period: Period | None,
        first: date | None,
        last: date | None,
        metrics: Sequence[str],
        interval: Interval,
        window: int,
    ) -> tuple[Report, list[Report]]:
        """The dashboard and the trends of ``metrics`` for one period, each cached under the
        key of its own report (what ``dashboard`` and ``trends`` return for the same arguments).

        What the cache lacks is computed together, each pass once (``trend_reports``): the
        dashboard first, and when it is missing everything is computed with it; when only
        trends are missing, they are computed without the dashboard's statements.
        """
        span = await self.span(period, first, last)
        self.check_buckets(span, interval)
        built: dict[str, BaseModel] = {}

        async def compute(key: str, with_dashboard: bool) -> BaseModel:
            if key not in built:
                at = self.clock() if with_dashboard else None
                trends, dashboard = await trend_reports.trends(
                    self.runner, span, metrics, interval, window, dashboard_at=at
                )
                for metric, trend in zip(metrics, trends, strict=True):
                    built[_trend_key(metric, interval, span, window)] = trend
                if dashboard is not None:
                    built[_dashboard_key(span)] = dashboard
            return built[key]

        def cached(key: str, with_dashboard: bool) -> Awaitable[Report]:
            return self._cached(key, lambda: compute(key, with_dashboard))

        dashboard = await cached(_dashboard_key(span), True)
        trends = [await cached(_trend_key(m, interval, span, window), False) for m in metrics]
        return dashboard, trends


def _dashboard_key(span: DateRange) -> str:
    return f"dashboard:{span.first}:{span.last}"


def _trend_key(metric: str, interval: Interval, span: DateRange, window: int) -> str:
    return f"trends:{metric}:{interval.value}:{span.first}:{span.last}:{window}"
