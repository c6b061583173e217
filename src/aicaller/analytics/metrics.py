"""Dashboard metrics per bucket, assembled from the aggregate queries.

Each metric comes from one query; only the queries the asked-for metrics need are run, side by
side where the engine allows (``analytics.runner``). Rates are fractions (0..1, four places),
durations and ages seconds, scores 0-100.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from datetime import datetime
from typing import Any

from aicaller.analytics.queries.calls import Row
from aicaller.analytics.runner import Job, Reader, Runner
from aicaller.analytics.sql import ratio

Value = int | float | None

CALL_METRICS = (
    "total_calls",
    "inbound_calls",
    "outbound_calls",
    "web_calls",
    "answered_calls",
    "missed_calls",
    "abandoned_calls",
    "avg_handle_time_seconds",
    "ai_containment_rate",
    "escalated_calls",
    "escalation_rate",
    "sentiment_positive",
    "sentiment_neutral",
    "sentiment_negative",
    "sentiment_unknown",
)
SOURCES: dict[str, tuple[str, ...]] = {
    "calls": CALL_METRICS,
    "p90": ("p90_duration_seconds",),
    "repeat": ("repeat_callers", "repeat_calls", "first_contact_resolution_rate"),
    "qa": ("evaluated_calls", "avg_qa_score", "auto_fail_rate"),
    "escalations": ("open_escalations",),
    "gaps": ("knowledge_gaps",),
}
# Every metric a trend can follow (the dashboard shows these and the open escalations' ages).
METRICS: tuple[str, ...] = tuple(name for names in SOURCES.values() for name in names)


def _round(value: Any, places: int = 2) -> float | None:
    return None if value is None else round(float(value), places)


def _calls(row: dict[str, Any] | None) -> dict[str, Value]:
    row = row or {}
    total = int(row.get("total_calls", 0))
    values: dict[str, Value] = {
        name: int(row.get(name, 0)) for name in CALL_METRICS if name.endswith("_calls")
    }
    values.update({name: int(row.get(name, 0)) for name in CALL_METRICS if "sentiment" in name})
    values["avg_handle_time_seconds"] = _round(row.get("avg_handle_time"))
    values["ai_containment_rate"] = ratio(row.get("contained_calls", 0), row.get("completed_calls"))
    values["escalation_rate"] = ratio(row.get("escalated_calls", 0), total)
    return values | _qa(row)  # the call figures' pass counts the QA figures too


def _qa(row: dict[str, Any] | None) -> dict[str, Value]:
    row = row or {}
    evaluated = int(row.get("evaluated_calls", 0))
    return {
        "evaluated_calls": evaluated,
        "avg_qa_score": _round(row.get("avg_qa_score")),
        "auto_fail_rate": ratio(row.get("auto_failed_calls", 0), evaluated),
    }


def _repeat(row: dict[str, Any] | None) -> dict[str, Value]:
    row = row or {}
    inbound, followed = int(row.get("inbound", 0)), int(row.get("followed_up_calls", 0))
    return {
        "repeat_callers": int(row.get("repeat_callers", 0)),
        "repeat_calls": followed,
        "first_contact_resolution_rate": ratio(inbound - followed, inbound),
    }


Buckets = list[dict[str, Value]]
Apply = Callable[[Any, Buckets], None]


def _fill(convert: Callable[[dict[str, Any] | None], dict[str, Value]]) -> Apply:
    def apply(rows: dict[int, dict[str, Any]], buckets: Buckets) -> None:
        for i, bucket in enumerate(buckets):
            bucket.update(convert(rows.get(i)))

    return apply


def _fill_p90(p90: dict[int, int], buckets: Buckets) -> None:
    for i, bucket in enumerate(buckets):
        bucket["p90_duration_seconds"] = p90.get(i)


def _fill_open(result: tuple[int, dict[int, Row]], buckets: Buckets) -> None:
    open_now, flow = result
    for i, bucket in enumerate(buckets):
        step = flow.get(i, {})
        open_now += step.get("opened", 0) - step.get("closed", 0)
        bucket["open_escalations"] = open_now


def _fill_gaps(rows: dict[int, Row], buckets: Buckets) -> None:
    for i, bucket in enumerate(buckets):
        bucket["knowledge_gaps"] = int((rows.get(i) or {}).get("knowledge_gaps", 0))


def _jobs(cuts: Sequence[datetime], needed: set[str]) -> list[tuple[Job, Apply]]:
    """The statements the ``needed`` sources take, the costliest first (see Runner.gather)."""
    jobs: list[tuple[Job, Apply]] = []
    if "repeat" in needed:
        jobs.append((lambda r: r.calls.repeat_callers(cuts), _fill(_repeat)))
    if "calls" in needed:
        # Its pass gives the QA figures as well (kept on the call); alone, they take a
        # lighter statement: a trend of a QA figure need not count everything else.
        jobs.append((lambda r: r.calls.call_figures(cuts), _fill(_calls)))
        needed = needed - {"qa"}
    if "qa" in needed:
        jobs.append((lambda r: r.qa.score_figures(cuts), _fill(_qa)))
    if "p90" in needed:
        jobs.append((lambda r: r.calls.p90_durations(cuts), _fill_p90))
    if "escalations" in needed:

        async def escalations(r: Reader) -> tuple[int, dict[int, Row]]:
            open_at_start = await r.escalations.open_escalations(cuts[0])
            return int(open_at_start["count"]), await r.escalations.escalation_flow(cuts)

        jobs.append((escalations, _fill_open))
    if "gaps" in needed:
        jobs.append((lambda r: r.calls.knowledge_gaps(cuts), _fill_gaps))
    return jobs


async def per_bucket(
    runner: Runner, cuts: Sequence[datetime], wanted: Collection[str], *also: Job
) -> tuple[Buckets, list[Any]]:
    """The ``wanted`` metrics for each of the ``len(cuts) - 1`` buckets, and the results of the
    ``also`` jobs, which run alongside the metrics' statements."""
    (buckets,), results = await per_bucket_sets(runner, [cuts], wanted, *also)
    return buckets, results


async def per_bucket_sets(
    runner: Runner, cut_sets: Sequence[Sequence[datetime]], wanted: Collection[str], *also: Job
) -> tuple[list[Buckets], list[Any]]:
    """``per_bucket`` for each list of cuts, all statements in one ``Runner.gather``."""
    needed = {source for source, names in SOURCES.items() if set(names) & set(wanted)}
    jobs = [_jobs(cuts, needed) for cuts in cut_sets]
    flat = [job for per_set in jobs for job, _ in per_set]
    results = await runner.gather(*flat, *also)
    done = 0
    sets: list[Buckets] = []
    for cuts, per_set in zip(cut_sets, jobs, strict=True):
        buckets: Buckets = [{} for _ in range(len(cuts) - 1)]
        for (_, apply), result in zip(per_set, results[done:], strict=False):
            apply(result, buckets)
        done += len(per_set)
        sets.append([{name: b.get(name) for name in wanted} for b in buckets])
    return sets, results[done:]


def change(value: Value, previous: Value) -> tuple[Value, float | None]:
    """Absolute and relative (percent) change from ``previous`` to ``value``."""
    if value is None or previous is None:
        return None, None
    delta = round(value - previous, 4)
    pct = round((value - previous) / previous * 100, 1) if previous else None
    return (int(delta) if isinstance(delta, int) else delta), pct
