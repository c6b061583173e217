"""Response bodies of the analytics reports."""

from __future__ import annotations

import uuid
from datetime import date, datetime

from pydantic import BaseModel, Field

Number = int | float | None


class Figure(BaseModel):
    """One figure of the period, against the previous period of equal length."""

    value: Number
    previous: Number
    change: Number = Field(description="value - previous; null when either is null")
    change_pct: float | None = Field(description="Percent change; null when previous is 0/null")


class ReportPeriod(BaseModel):
    timezone: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    previous_from: date
    previous_to: date


class KnowledgeGapFigure(BaseModel):
    question: str
    normalized_question: str
    count: int
    previous: int
    change: int


class Dashboard(BaseModel):
    period: ReportPeriod
    figures: dict[str, Figure] = Field(
        description="Every metric of GET /analytics/trends plus the open escalations' ages"
    )
    top_knowledge_gaps: list[KnowledgeGapFigure]


class VolumeBucket(BaseModel):
    start: datetime = Field(description="Bucket start, in the business's timezone")
    end: datetime
    calls: int
    groups: dict[str, int] | None = Field(
        default=None, description="Calls per direction or status (every value, zero-filled)"
    )


class CallVolume(BaseModel):
    timezone: str
    interval: str
    group_by: str | None
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    total_calls: int
    buckets: list[VolumeBucket]


class EvaluatorStats(BaseModel):
    evaluator: str
    evaluations: int
    avg_score: float | None
    auto_failed: int
    auto_fail_rate: float | None


class CriterionStats(BaseModel):
    key: str
    label: str | None
    passed: int
    failed: int
    not_applicable: int
    pass_rate: float | None = Field(description="passed / (passed + failed)")


class ScoreBin(BaseModel):
    min_score: int
    max_score: int
    calls: int


class LowScoringCall(BaseModel):
    call_id: uuid.UUID
    started_at: datetime
    score: float
    evaluator: str
    auto_failed: bool


class QaStats(BaseModel):
    timezone: str
    date_from: date = Field(serialization_alias="from")
    date_to: date = Field(serialization_alias="to")
    evaluated_calls: int
    avg_score: float | None
    auto_failed_calls: int
    auto_fail_rate: float | None
    score_distribution: list[ScoreBin]
    criteria: list[CriterionStats]
    by_evaluator: list[EvaluatorStats]
    lowest_scoring_calls: list[LowScoringCall]


class TrendPoint(BaseModel):
    start: datetime
    end: datetime
    value: Number
    moving_average: float | None = Field(description="Mean of this and the window-1 points before")
    change: Number = Field(description="Against the point before")
    change_pct: float | None


class Trend(BaseModel):
    metric: str
    interval: str
    window: int
    period: ReportPeriod
    summary: Figure = Field(description="The whole range against the range before it")
    points: list[TrendPoint]
