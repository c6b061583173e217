"""Trends (a figure per bucket with its moving average and the period's summary), alone or
together with the dashboard of the same period (the console's overview).

Together, each pass runs once per list of cuts: the dashboard's figures and every trend's
summary share the two buckets "the period and the one before", and the trends' series share
their buckets. Asked for one by one, three trends and a dashboard ran the calls pass four times
over the same rows.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from aicaller.analytics.buckets import DateRange, Interval, boundaries, local_labels
from aicaller.analytics.figures import Value, change
from aicaller.analytics.reports import (
    DASHBOARD_FIGURES,
    Buckets,
    dashboard_from,
    dashboard_jobs,
    figure,
    per_bucket_sets,
    report_period,
    summary_cuts,
)
from aicaller.analytics.runner import Runner
from aicaller.analytics.schemas import Dashboard, Trend, TrendPoint


def _moving_average(values: list[Value], window: int) -> list[float | None]:
    averages: list[float | None] = []
    for i in range(len(values)):
        known = [v for v in values[max(0, i - window + 1) : i + 1] if v is not None]
        averages.append(round(sum(known) / len(known), 4) if known else None)
    return averages


def _trend_from(
    span: DateRange,
    metric: str,
    interval: Interval,
    window: int,
    summary: Buckets,
    series: Buckets,
    labels: Sequence[datetime],
) -> Trend:
    before, current = summary
    values = [bucket[metric] for bucket in series]
    averages = _moving_average(values, window)
    points = []
    for i, value in enumerate(values):
        delta, pct = change(value, values[i - 1]) if i else (None, None)
        points.append(
            TrendPoint(
                start=labels[i],
                end=labels[i + 1],
                value=value,
                moving_average=averages[i],
                change=delta,
                change_pct=pct,
            )
        )
    return Trend(
        metric=metric,
        interval=interval.value,
        window=window,
        period=report_period(span),
        summary=figure(current[metric], before[metric]),
        points=points,
    )


async def trends(
    runner: Runner,
    span: DateRange,
    metrics: Sequence[str],
    interval: Interval,
    window: int,
    *,
    dashboard_at: datetime | None = None,
) -> tuple[list[Trend], Dashboard | None]:
    """The trends of ``metrics`` over ``span``, and its dashboard as of ``dashboard_at`` when
    one is given, from one ``Runner.gather``."""
    cuts = boundaries(span, interval)
    labels = local_labels(cuts, span.timezone)
    wanted = set(metrics) | (set(DASHBOARD_FIGURES) if dashboard_at else set())
    also = dashboard_jobs(span, dashboard_at) if dashboard_at else ()
    # The summary's two periods first: twice the span, the costlier statements.
    (summary, series), results = await per_bucket_sets(
        runner, [(summary_cuts(span), wanted), (cuts, metrics)], *also
    )
    built = [
        _trend_from(span, metric, interval, window, summary, series, labels) for metric in metrics
    ]
    return built, dashboard_from(span, summary, results) if dashboard_at else None


async def trend(
    runner: Runner, span: DateRange, metric: str, interval: Interval, window: int
) -> Trend:
    (built,), _ = await trends(runner, span, [metric], interval, window)
    return built
