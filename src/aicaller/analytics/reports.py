"""Each report built from the aggregate queries (no caching or parameter checks here).

A report asks for figures (``analytics.figures``) over lists of bucket boundaries: only the
passes those figures need run, side by side where the engine allows (``analytics.runner``),
together with the report's other statements, and each figure reads its value per bucket.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from aicaller.analytics import summed
from aicaller.analytics.buckets import DateRange, Interval, boundaries, local_labels
from aicaller.analytics.figures import FIGURES, TREND_FIGURES, Pass, Value, change, passes_for
from aicaller.analytics.queries.calls import CallQueries
from aicaller.analytics.queries.qa import SCORE_BINS
from aicaller.analytics.runner import Job, Reader, Runner, repeat_rows
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
    VolumeBucket,
)
from aicaller.analytics.sql import Row, ratio
from aicaller.database.models.call import CALL_STATUS_VALUES, DIRECTION_VALUES

TOP_GAPS = 5
GROUP_VALUES = {"direction": DIRECTION_VALUES, "status": CALL_STATUS_VALUES}
Buckets = list[dict[str, Value]]


def _pass(source: Pass, cuts: Sequence[datetime], wanted: Collection[str]) -> Job:
    async def run(reader: Reader) -> Any:
        return await reader.figures(source, cuts, wanted)

    return run


def _followed(cuts: Sequence[datetime]) -> Job:
    async def run(reader: Reader) -> Any:
        return await reader.calls.followed_calls(cuts)

    return run


def _summed(fine: Sequence[datetime], plans: Sequence[summed.Request]) -> Job:
    async def run(reader: Reader) -> Any:
        return await summed.summed_rows(reader, fine, plans)

    return run


def _jobs(
    runner: Runner, plans: Sequence[summed.Request]
) -> tuple[list[Job], Callable[[list[Any]], list[dict[Pass, dict[int, Row]]]]]:
    """The statements for ``plans``, longest first, and how their results become each plan's
    rows per pass. With the rollups read and every list of cuts aligned, one statement sums
    the rollups for every plan (``analytics.summed``) and repeat callers read the followed
    calls; otherwise each plan's passes run one by one (``Reader.figures``)."""
    fine = summed.fine_cuts(plans) if runner.rollups else None
    if fine is None:
        keys = [(i, source) for i, plan in enumerate(plans) for source in plan.passes]
        jobs = [_pass(source, plans[i].cuts, plans[i].wanted) for i, source in keys]

        def assemble(results: list[Any]) -> list[dict[Pass, dict[int, Row]]]:
            rows: list[dict[Pass, dict[int, Row]]] = [{} for _ in plans]
            for (i, source), result in zip(keys, results, strict=True):
                rows[i][source] = result
            return rows

        return jobs, assemble
    repeats = [i for i, plan in enumerate(plans) if Pass.REPEAT in plan.passes]
    others = [
        (i, source)
        for i, plan in enumerate(plans)
        for source in plan.passes
        if source not in summed.SUMMED_PASSES
    ]
    jobs = [_followed(plans[i].cuts) for i in repeats]
    jobs += [_summed(fine, plans), *(_pass(s, plans[i].cuts, plans[i].wanted) for i, s in others)]

    def assemble_summed(results: list[Any]) -> list[dict[Pass, dict[int, Row]]]:
        followed = dict(zip(repeats, results, strict=False))
        from_rollups = results[len(repeats)]
        rows: list[dict[Pass, dict[int, Row]]] = []
        for i, found in enumerate(from_rollups):
            mine = {source: v for source, v in found.items() if isinstance(source, Pass)}
            if i in followed:
                mine[Pass.REPEAT] = repeat_rows(found["inbound"], followed[i])
            rows.append(mine)
        for (i, source), result in zip(others, results[len(repeats) + 1 :], strict=True):
            rows[i][source] = result
        return rows

    return jobs, assemble_summed


async def per_bucket_sets(
    runner: Runner, requests: Sequence[tuple[Sequence[datetime], Collection[str]]], *also: Job
) -> tuple[list[Buckets], list[Any]]:
    """For each ``(cuts, wanted)`` request the ``wanted`` figures of each of its
    ``len(cuts) - 1`` buckets, and the results of the ``also`` jobs, all statements in one
    ``Runner.gather``."""
    plans = [summed.Request(cuts, wanted, passes_for(wanted)) for cuts, wanted in requests]
    jobs, assemble = _jobs(runner, plans)
    results = await runner.gather(*jobs, *also)
    sets: list[Buckets] = []
    for plan, rows in zip(plans, assemble(results[: len(jobs)]), strict=True):
        # The calls pass counts the QA figures too when it runs (see ``passes_for``).
        read = {n: rows.get(FIGURES[n].source, rows.get(Pass.CALLS)) for n in plan.wanted}
        sets.append(
            [
                {name: FIGURES[name].value((read[name] or {}).get(i)) for name in plan.wanted}
                for i in range(len(plan.cuts) - 1)
            ]
        )
    return sets, results[len(jobs) :]


async def per_bucket(
    runner: Runner, cuts: Sequence[datetime], wanted: Collection[str], *also: Job
) -> tuple[Buckets, list[Any]]:
    """``per_bucket_sets`` for one list of cuts."""
    (buckets,), results = await per_bucket_sets(runner, [(cuts, wanted)], *also)
    return buckets, results


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


# The dashboard's figures: every trend figure but the open escalations, a snapshot (below).
DASHBOARD_FIGURES = tuple(name for name in TREND_FIGURES if name != "open_escalations")


def summary_cuts(span: DateRange) -> list[datetime]:
    """The two buckets a dashboard and a trend's summary compare: the period and the one
    before it."""
    return [span.previous().start, span.start, span.end]


def dashboard_jobs(span: DateRange, now: datetime) -> tuple[Job, Job]:
    """The dashboard's statements besides its figures' passes. Open escalations are a snapshot:
    at the end of the period (or now, if sooner), and at its start for the one before."""
    previous = span.previous()
    return (
        lambda r: r.escalations.open_escalations_at([min(now, span.end), min(now, span.start)]),
        lambda r: r.gaps.top(previous.start, span.start, span.end, TOP_GAPS),
    )


def dashboard_from(span: DateRange, summary: Buckets, results: Sequence[Any]) -> Dashboard:
    """The dashboard from its figures over ``summary_cuts`` and its ``dashboard_jobs``."""
    before, current = summary
    (now_open, then_open), gaps = results
    figures = {name: figure(current[name], before[name]) for name in DASHBOARD_FIGURES}
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


async def dashboard(runner: Runner, span: DateRange, now: datetime) -> Dashboard:
    summary, results = await per_bucket(
        runner, summary_cuts(span), DASHBOARD_FIGURES, *dashboard_jobs(span, now)
    )
    return dashboard_from(span, summary, results)


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
