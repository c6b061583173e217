"""Dashboard metrics per bucket, assembled from the aggregate queries.

Each metric comes from one query; only the queries the asked-for metrics need are run. Rates are
fractions (0..1, four places), durations and ages seconds, scores 0-100.
"""

from __future__ import annotations

from collections.abc import Collection, Sequence
from datetime import datetime
from typing import Any

from aicaller.analytics.qa_queries import QaQueries
from aicaller.analytics.queries import CallQueries
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
    return values


def _repeat(row: dict[str, Any] | None) -> dict[str, Value]:
    row = row or {}
    inbound, followed = int(row.get("inbound", 0)), int(row.get("followed_up_calls", 0))
    return {
        "repeat_callers": int(row.get("repeat_callers", 0)),
        "repeat_calls": followed,
        "first_contact_resolution_rate": ratio(inbound - followed, inbound),
    }


def _qa(row: dict[str, Any] | None) -> dict[str, Value]:
    row = row or {}
    evaluated = int(row.get("evaluated_calls", 0))
    return {
        "evaluated_calls": evaluated,
        "avg_qa_score": _round(row.get("avg_qa_score")),
        "auto_fail_rate": ratio(row.get("auto_failed_calls", 0), evaluated),
    }


async def per_bucket(
    calls: CallQueries, qa: QaQueries, cuts: Sequence[datetime], wanted: Collection[str]
) -> list[dict[str, Value]]:
    """The ``wanted`` metrics for each of the ``len(cuts) - 1`` buckets."""
    needed = {source for source, names in SOURCES.items() if set(names) & set(wanted)}
    buckets: list[dict[str, Value]] = [{} for _ in range(len(cuts) - 1)]
    if "calls" in needed:
        rows = await calls.call_figures(cuts)
        for i, bucket in enumerate(buckets):
            bucket.update(_calls(rows.get(i)))
    if "p90" in needed:
        p90 = await calls.p90_durations(cuts)
        for i, bucket in enumerate(buckets):
            bucket["p90_duration_seconds"] = p90.get(i)
    if "repeat" in needed:
        rows = await calls.repeat_callers(cuts)
        for i, bucket in enumerate(buckets):
            bucket.update(_repeat(rows.get(i)))
    if "qa" in needed:
        rows = await qa.score_figures(cuts)
        for i, bucket in enumerate(buckets):
            bucket.update(_qa(rows.get(i)))
    if "escalations" in needed:
        open_now = int((await calls.open_escalations(cuts[0]))["count"])
        flow = await calls.escalation_flow(cuts)
        for i, bucket in enumerate(buckets):
            step = flow.get(i, {})
            open_now += step.get("opened", 0) - step.get("closed", 0)
            bucket["open_escalations"] = open_now
    if "gaps" in needed:
        rows = await calls.knowledge_gaps(cuts)
        for i, bucket in enumerate(buckets):
            bucket["knowledge_gaps"] = int((rows.get(i) or {}).get("knowledge_gaps", 0))
    return [{name: b.get(name) for name in wanted} for b in buckets]


def change(value: Value, previous: Value) -> tuple[Value, float | None]:
    """Absolute and relative (percent) change from ``previous`` to ``value``."""
    if value is None or previous is None:
        return None, None
    delta = round(value - previous, 4)
    pct = round((value - previous) / previous * 100, 1) if previous else None
    return (int(delta) if isinstance(delta, int) else delta), pct
