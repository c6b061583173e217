"""Each report built from the aggregate queries (no caching or parameter checks here)."""

from __future__ import annotations

from datetime import datetime

from aicaller.analytics.buckets import DateRange, Interval, boundaries, local_labels
from aicaller.analytics.metrics import METRICS, Value, change, per_bucket, per_bucket_sets
from aicaller.analytics.queries.calls import CallQueries
from aicaller.analytics.queries.qa import SCORE_BINS
from aicaller.analytics.runner import Runner
from aicaller.analytics.schemas import (
    CallVolume,
    CriterionStats,
    Dashboard,
    EvaluatorStats,
    Figure,
    KnowledgeGapFigure,
    LowScoringCall,
    QaStats,
    ReportPeriod,
    ScoreBin,
    Trend,
    TrendPoint,
    VolumeBucket,
)
from aicaller.analytics.sql import ratio
from aicaller.database.models.call import CALL_STATUS_VALUES, DIRECTION_VALUES

TOP_GAPS = 5
GROUP_VALUES = {"direction": DIRECTION_VALUES, "status": CALL_STATUS_VALUES}


def report_period(span: DateRange) -> ReportPeriod:
    previous = span.previous()
    return ReportPeriod(
        timezone=span.timezone,
        date_from=span.first,
        date_to=span.last,
        previous_from=previous.first,
        previous_to=previous.last,
    )


def figure(value: Value, previous: Value) -> Figure:
    delta, pct = change(value, previous)
    return Figure(value=value, previous=previous, change=delta, change_pct=pct)


async def dashboard(runner: Runner, span: DateRange, now: datetime) -> Dashboard:
    previous = span.previous()
    cuts = [previous.start, span.start, span.end]
    wanted = [name for name in METRICS if name != "open_escalations"]
    # Open escalations are a snapshot: at the end of the period (or now, if sooner), and at
    # the start of the period for the one before.
    (before, current), ((now_open, then_open), gaps) = await per_bucket(
        runner,
        cuts,
        wanted,
        lambda r: r.escalations.open_escalations_at([min(now, span.end), min(now, span.start)]),
        lambda r: r.calls.top_gaps(previous.start, span.start, span.end, TOP_GAPS),
    )
    figures = {name: figure(current[name], before[name]) for name in wanted}
    figures["open_escalations"] = figure(now_open["count"], then_open["count"])
    for name in ("oldest", "mean"):
        figures[f"{name}_open_escalation_age_seconds"] = figure(
            now_open[f"{name}_age_seconds"], then_open[f"{name}_age_seconds"]
        )
    return Dashboard(
        period=report_period(span),
        figures=figures,
        top_knowledge_gaps=[
            KnowledgeGapFigure(
                question=row["question"],
                normalized_question=row["normalized_question"],
                count=int(row["count"]),
                previous=int(row["previous"]),
                change=int(row["count"]) - int(row["previous"]),
            )
            for row in gaps
        ],
    )


async def call_volume(
    calls: CallQueries, span: DateRange, interval: Interval, group_by: str | None
) -> CallVolume:
    cuts = boundaries(span, interval)
    labels = local_labels(cuts, span.timezone)
    totals = [0] * (len(cuts) - 1)
    groups: list[dict[str, int]] = [
        dict.fromkeys(GROUP_VALUES[group_by], 0) if group_by else {} for _ in totals
    ]
    for row in await calls.volume(cuts, group_by):
        bucket, count = int(row["bucket"]), int(row["calls"])
        totals[bucket] += count
        if group_by:
            groups[bucket][str(row["group"])] = count
    return CallVolume(
        timezone=span.timezone,
        interval=interval.value,
        group_by=group_by,
        date_from=span.first,
        date_to=span.last,
        total_calls=sum(totals),
        buckets=[
            VolumeBucket(
                start=labels[i],
                end=labels[i + 1],
                calls=totals[i],
                groups=groups[i] if group_by else None,
            )
            for i in range(len(totals))
        ],
    )


async def qa_stats(runner: Runner, span: DateRange, lowest: int) -> QaStats:
    start, end = span.start, span.end
    # Five passes over the period's evaluations, side by side where the engine allows.
    figures, criteria, distribution, by_evaluator, lowest_calls = await runner.gather(
        lambda r: r.qa.score_figures([start, end]),
        lambda r: r.qa.criteria(start, end),
        lambda r: r.qa.distribution(start, end),
        lambda r: r.qa.by_evaluator(start, end),
        lambda r: r.qa.lowest(start, end, lowest),
    )
    scores = figures.get(0, {})
    evaluated = int(scores.get("evaluated_calls", 0))
    auto_failed = int(scores.get("auto_failed_calls", 0))
    average = scores.get("avg_qa_score")
    width = 100 // SCORE_BINS
    return QaStats(
        timezone=span.timezone,
        date_from=span.first,
        date_to=span.last,
        evaluated_calls=evaluated,
        avg_score=None if average is None else round(float(average), 2),
        auto_failed_calls=auto_failed,
        auto_fail_rate=ratio(auto_failed, evaluated),
        score_distribution=[
            ScoreBin(min_score=i * width, max_score=(i + 1) * width, calls=count)
            for i, count in enumerate(distribution)
        ],
        criteria=[
            CriterionStats(
                key=str(row["key"]),
                label=None if row["label"] is None else str(row["label"]),
                passed=int(row["passed"]),
                failed=int(row["failed"]),
                not_applicable=int(row["not_applicable"]),
                pass_rate=ratio(row["passed"], int(row["passed"]) + int(row["failed"])),
            )
            for row in criteria
        ],
        by_evaluator=[
            EvaluatorStats(
                evaluator=row["evaluator"],
                evaluations=int(row["evaluations"]),
                avg_score=None if row["avg_score"] is None else round(float(row["avg_score"]), 2),
                auto_failed=int(row["auto_failed"]),
                auto_fail_rate=ratio(row["auto_failed"], row["evaluations"]),
            )
            for row in by_evaluator
        ],
        lowest_scoring_calls=[LowScoringCall.model_validate(row) for row in lowest_calls],
    )


def _moving_average(values: list[Value], window: int) -> list[float | None]:
    averages: list[float | None] = []
    for i in range(len(values)):
        known = [v for v in values[max(0, i - window + 1) : i + 1] if v is not None]
        averages.append(round(sum(known) / len(known), 4) if known else None)
    return averages


async def trend(
    runner: Runner,
    span: DateRange,
    metric: str,
    interval: Interval,
    window: int,
) -> Trend:
    cuts = boundaries(span, interval)
    labels = local_labels(cuts, span.timezone)
    # The summary's two periods first: twice the span, the costlier statements.
    ((before, current), series), _ = await per_bucket_sets(
        runner, [[span.previous().start, span.start, span.end], cuts], [metric]
    )
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
