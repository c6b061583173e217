"""Every figure of the dashboard and the trends, each defined once: its name, kind, unit, the
statement (pass) that computes it and its SQL aggregate.

A pass is one statement over a period's rows, grouped by bucket; it selects the aggregates of
all its figures (``aggregates``), and each figure reads its value from the bucket's row by its
kind (``Figure.value``). Adding a figure is adding one definition to ``FIGURES``: the pass's
statement, the dashboard, ``GET /analytics/trends`` and its ``metric`` parameter follow.

Definitions (also in docs/api.md): a call belongs to the bucket its ``started_at`` falls in;
answered = completed or in progress; missed = no answer, busy or failed; abandoned = canceled;
handle time = ``duration_seconds`` of answered calls; contained = completed without any
escalation and not ended by a transfer or escalation; a call's QA score is its effective
evaluation's (kept on the call, see ``queries.qa``). Rates are fractions (0..1, four places),
durations seconds, scores 0-100.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from sqlalchemy import and_, case, func, not_

from aicaller.analytics.sql import count_if, ratio
from aicaller.database.models.call import CallDirection, CallStatus, Sentiment

ANSWERED = (CallStatus.COMPLETED.value, CallStatus.IN_PROGRESS.value)
MISSED = (CallStatus.NO_ANSWER.value, CallStatus.BUSY.value, CallStatus.FAILED.value)
HANDOFF_END_REASONS = ("transferred", "escalated")

Value = int | float | None
Row = Mapping[str, Any]
# An aggregate over the columns of a pass's per-row subquery (``subquery.c``).
Aggregate = Callable[[Any], Any]


class Pass(StrEnum):
    """The statements figures come from, costliest first (the order ``Runner.gather`` wants).

    Per bucket, over the rows of: ``repeat`` each number's inbound calls in the bucket (``calls``)
    and how many of them the next call from the number followed within 7 days (``followed``,
    ``queries.calls``); ``calls`` the calls, which counts the ``qa`` figures too (the
    effective evaluation is kept on the call); ``qa`` the evaluated calls alone, for a trend of
    a QA figure; ``durations`` answered calls' durations; ``escalations`` escalations opened and
    resolved (``queries.escalations``); ``gaps`` recorded knowledge gaps (``queries.gaps``).
    """

    REPEAT = "repeat"
    CALLS = "calls"
    QA = "qa"
    DURATIONS = "durations"
    ESCALATIONS = "escalations"
    GAPS = "gaps"


class Kind(StrEnum):
    COUNT = "count"  # how many in the bucket; 0 when none
    AVERAGE = "average"  # a mean, two places; null when there is nothing to average
    RATIO = "ratio"  # part / whole, four places; null when the whole is 0
    PERCENTILE = "percentile"  # computed whole by its pass's statement; null when no rows
    LEVEL = "level"  # how many are open at the bucket's end (its pass carries the level over)


class Unit(StrEnum):
    CALLS = "calls"
    CALLERS = "callers"
    ESCALATIONS = "escalations"
    QUESTIONS = "questions"
    SECONDS = "seconds"
    FRACTION = "fraction"
    SCORE = "score"


@dataclass(frozen=True, slots=True)
class Part:
    """An aggregate a ratio is built from that is not a figure of its own."""

    name: str
    sql: Aggregate


@dataclass(frozen=True, slots=True)
class Figure:
    """One figure: how its pass computes it (``sql``, or ``part`` / ``whole`` for a ratio) and
    how its value is read from a bucket's row (by ``kind``)."""

    name: str
    kind: Kind
    unit: Unit
    source: Pass
    sql: Aggregate | None = None  # COUNT and AVERAGE; None when the pass computes it whole
    part: Figure | Part | None = None  # RATIO
    whole: Figure | Part | None = None  # RATIO

    def __post_init__(self) -> None:
        is_ratio = self.kind is Kind.RATIO
        if is_ratio != (self.part is not None and self.whole is not None):
            raise ValueError(f"{self.name}: a ratio, and only a ratio, has a part and a whole")
        if (self.sql is None) != (is_ratio or self.kind in (Kind.PERCENTILE, Kind.LEVEL)):
            raise ValueError(f"{self.name}: counts and averages, and only they, have sql")

    def aggregates(self) -> list[tuple[str, Aggregate]]:
        """The named aggregates its pass selects for this figure (none: the pass computes it)."""
        if self.part is not None and self.whole is not None:
            return [*_aggregates_of(self.part), *_aggregates_of(self.whole)]
        return [(self.name, self.sql)] if self.sql is not None else []

    def value(self, row: Row | None) -> Value:
        """The figure's value in one bucket's row of its pass (None: the bucket had no rows)."""
        row = row or {}
        if self.part is not None and self.whole is not None:
            return ratio(row.get(self.part.name, 0), row.get(self.whole.name))
        found = row.get(self.name)
        if self.kind in (Kind.COUNT, Kind.LEVEL):
            return int(found or 0)
        if found is None:
            return None
        return round(float(found), 2) if self.kind is Kind.AVERAGE else int(found)


def _aggregates_of(item: Figure | Part) -> list[tuple[str, Aggregate]]:
    return item.aggregates() if isinstance(item, Figure) else [(item.name, item.sql)]


def _answered(c: Any) -> Any:
    return c.status.in_(ANSWERED)


def _contained(c: Any) -> Any:
    ended_by_handoff = func.coalesce(c.end_reason.in_(HANDOFF_END_REASONS), False)
    return and_(c.status == CallStatus.COMPLETED.value, not_(c.escalated), not_(ended_by_handoff))


def _count(name: str, condition: Callable[[Any], Any], source: Pass = Pass.CALLS) -> Figure:
    return Figure(name, Kind.COUNT, Unit.CALLS, source, lambda c: count_if(condition(c)))


def _direction(direction: CallDirection) -> Figure:
    return _count(f"{direction.value}_calls", lambda c: c.direction == direction.value)


def _sentiment(sentiment: Sentiment | None) -> Figure:
    name = f"sentiment_{sentiment.value if sentiment else 'unknown'}"
    if sentiment is None:
        return _count(name, lambda c: c.sentiment.is_(None))
    return _count(name, lambda c: c.sentiment == sentiment.value)


TOTAL_CALLS = Figure("total_calls", Kind.COUNT, Unit.CALLS, Pass.CALLS, lambda c: func.count())
ESCALATED_CALLS = _count("escalated_calls", lambda c: c.escalated)
EVALUATED_CALLS = Figure(
    "evaluated_calls", Kind.COUNT, Unit.CALLS, Pass.QA, lambda c: func.count(c.qa_evaluator)
)
FIGURES: dict[str, Figure] = {
    figure.name: figure
    for figure in (
        TOTAL_CALLS,
        *(_direction(direction) for direction in CallDirection),
        _count("answered_calls", _answered),
        _count("missed_calls", lambda c: c.status.in_(MISSED)),
        _count("abandoned_calls", lambda c: c.status == CallStatus.CANCELED.value),
        Figure(
            "avg_handle_time_seconds", Kind.AVERAGE, Unit.SECONDS, Pass.CALLS,
            lambda c: func.avg(case((_answered(c), c.duration_seconds), else_=None)),
        ),
        Figure(
            "ai_containment_rate", Kind.RATIO, Unit.FRACTION, Pass.CALLS,
            part=Part("contained_calls", lambda c: count_if(_contained(c))),
            whole=Part(
                "completed_calls", lambda c: count_if(c.status == CallStatus.COMPLETED.value)
            ),
        ),
        ESCALATED_CALLS,
        Figure(
            "escalation_rate", Kind.RATIO, Unit.FRACTION, Pass.CALLS,
            part=ESCALATED_CALLS, whole=TOTAL_CALLS,
        ),
        *(_sentiment(sentiment) for sentiment in (*Sentiment, None)),
        Figure("p90_duration_seconds", Kind.PERCENTILE, Unit.SECONDS, Pass.DURATIONS),
        Figure(
            "repeat_callers", Kind.COUNT, Unit.CALLERS, Pass.REPEAT,
            lambda c: count_if(c.followed > 0),
        ),
        Figure(
            "repeat_calls", Kind.COUNT, Unit.CALLS, Pass.REPEAT,
            lambda c: func.coalesce(func.sum(c.followed), 0),
        ),
        Figure(
            "first_contact_resolution_rate", Kind.RATIO, Unit.FRACTION, Pass.REPEAT,
            part=Part("not_followed_up_calls", lambda c: func.sum(c.calls - c.followed)),
            whole=Part("repeat_window_calls", lambda c: func.coalesce(func.sum(c.calls), 0)),
        ),
        EVALUATED_CALLS,
        Figure(
            "avg_qa_score", Kind.AVERAGE, Unit.SCORE, Pass.QA, lambda c: func.avg(c.qa_score)
        ),
        Figure(
            "auto_fail_rate", Kind.RATIO, Unit.FRACTION, Pass.QA,
            part=Part("auto_failed_calls", lambda c: count_if(c.qa_auto_failed.is_(True))),
            whole=EVALUATED_CALLS,
        ),
        Figure("open_escalations", Kind.LEVEL, Unit.ESCALATIONS, Pass.ESCALATIONS),
        Figure(
            "knowledge_gaps", Kind.COUNT, Unit.QUESTIONS, Pass.GAPS, lambda c: func.count()
        ),
    )
}  # fmt: skip
# Every figure a trend can follow: the dashboard shows these, and the open escalations' ages.
TREND_FIGURES: tuple[str, ...] = tuple(FIGURES)


def aggregates(*sources: Pass, names: Collection[str] | None = None) -> list[tuple[str, Aggregate]]:
    """The named aggregates of every figure of ``sources`` (only those in ``names``, when
    given), each once, in definition order."""
    chosen: dict[str, Aggregate] = {}
    for figure in FIGURES.values():
        if figure.source in sources and (names is None or figure.name in names):
            for name, sql in figure.aggregates():
                chosen.setdefault(name, sql)
    return list(chosen.items())


def select_list(columns: Any, *sources: Pass, names: Collection[str] | None = None) -> list[Any]:
    """``aggregates(*sources, names=names)`` applied to a subquery's ``columns`` and labelled."""
    return [sql(columns).label(name) for name, sql in aggregates(*sources, names=names)]


def passes_for(names: Iterable[str]) -> list[Pass]:
    """The passes the named figures need, costliest first. The calls pass counts the QA
    figures as well; alone, they take the lighter QA pass (a trend of a QA figure)."""
    needed = {FIGURES[name].source for name in names}
    if Pass.CALLS in needed:
        needed.discard(Pass.QA)
    return [source for source in Pass if source in needed]


def change(value: Value, previous: Value) -> tuple[Value, float | None]:
    """Absolute and relative (percent) change from ``previous`` to ``value``."""
    if value is None or previous is None:
        return None, None
    delta = round(value - previous, 4)
    pct = round((value - previous) / previous * 100, 1) if previous else None
    return (int(delta) if isinstance(delta, int) else delta), pct
