"""A report's figures from the rollups in one statement, however many lists of cuts it asks for.

The console's overview asks for the dashboard's two periods and the charts' days. Read one
pass at a time, the rollups were four statements over the same rows: the calls pass for each
list of cuts, the inbound calls (repeat callers' whole) and the timed calls (the p90's ranks).
Every one of those is a sum per slot, and every cut of every list is a slot boundary, so one
statement sums the slots per bucket of the lists' union (the "fine" buckets) and each list's
buckets are added up from them in Python: the same integers (the QA scores' sum is a float
sum in another order, which was never fixed: ADR 0024).

``analytics.reports.per_bucket_sets`` uses this when the rollups are read and every list is
``aligned``; otherwise each pass reads the calls, or the rollups, on its own (``Reader``).
"""

from __future__ import annotations

import bisect
import itertools
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from aicaller.analytics.figures import Pass
from aicaller.analytics.queries.rollups import RollupQueries, aligned, figures_of
from aicaller.analytics.runner import Reader
from aicaller.analytics.sql import Row

# The passes the rollups hold whole (calls, QA) or in part (repeat callers' inbound calls, the
# p90's ranks).
SUMMED_PASSES = frozenset({Pass.CALLS, Pass.QA, Pass.REPEAT, Pass.DURATIONS})
# A union of more cuts than this (an hourly trend of months with its summary) is summed per
# list instead: a tree of thousands of cuts costs more to build than the statements it saves.
MAX_FINE_CUTS = 400


@dataclass(frozen=True, slots=True)
class Request:
    """One list of cuts, the figures wanted over it and the passes they need."""

    cuts: Sequence[datetime]
    wanted: Collection[str]
    passes: Sequence[Pass]

    def reads(self) -> bool:
        return any(source in SUMMED_PASSES for source in self.passes)


def fine_cuts(requests: Sequence[Request]) -> list[datetime] | None:
    """The union of the cuts of the requests that read the rollups, when one statement can
    sum it (every cut on a slot boundary, not too many); else ``None``."""
    union = sorted({cut for r in requests if r.reads() for cut in r.cuts})
    if not union or len(union) > MAX_FINE_CUTS or not aligned(union):
        return None
    return union


def _add(total: dict[str, Any], row: Row) -> None:
    for column, value in row.items():
        if column != "bucket" and value is not None:
            total[column] = total.get(column, 0) + value


def regroup(
    rows: dict[int, Row], fine: Sequence[datetime], cuts: Sequence[datetime]
) -> dict[int, Row]:
    """The fine buckets' sums added up per bucket of ``cuts`` (a subset of ``fine``)."""
    starts = [bisect.bisect_left(fine, cut) for cut in cuts]
    grouped: dict[int, Row] = {}
    for bucket, (first, end) in enumerate(itertools.pairwise(starts)):
        for index in range(first, end):
            row = rows.get(index)
            if row is not None:
                _add(grouped.setdefault(bucket, {}), row)
    return grouped


async def summed_rows(
    reader: Reader, fine: Sequence[datetime], requests: Sequence[Request]
) -> list[dict[Pass | str, dict[int, Any]]]:
    """Per request, what the rollups give its passes, from one statement (and, for a p90, the
    statement that reads it): the calls (and QA) pass's rows, the p90's rows, and the inbound
    calls per bucket (``"inbound"``; ``Reader.repeat_rows`` adds the followed calls)."""
    rollups = RollupQueries(reader.calls.session, reader.calls.business_id)
    durations = any(Pass.DURATIONS in r.passes for r in requests)
    rows, total = await rollups.sums(fine, total=durations)
    found: list[dict[Pass | str, dict[int, Any]]] = []
    for request in requests:
        grouped = regroup(rows, fine, request.cuts) if request.reads() else {}
        mine: dict[Pass | str, dict[int, Any]] = {}
        for source in (Pass.CALLS, Pass.QA):
            if source in request.passes:
                mine[source] = {b: {"bucket": b, **figures_of(s)} for b, s in grouped.items()}
        if Pass.REPEAT in request.passes:
            mine["inbound"] = {b: int(s["inbound_calls"]) for b, s in grouped.items()}
        if Pass.DURATIONS in request.passes:
            counts = {b: int(s["timed_calls"]) for b, s in grouped.items()}
            mine[Pass.DURATIONS] = await reader.p90_from(counts, total, request.cuts)
        found.append(mine)
    return found
