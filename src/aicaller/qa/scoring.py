"""A scorecard's criteria and how results become a score.

Each criterion has a weight and may be an automatic fail. A result is pass, fail or N/A; N/A
criteria leave the score (they are neither earned nor lost). The score is the passed weight over
the applicable weight, 0-100; a failed automatic-fail criterion makes it 0 whatever else passed.
With no applicable criterion there is no score.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from enum import StrEnum


class Result(StrEnum):
    PASS = "pass"  # noqa: S105 - a QA result, not a password
    FAIL = "fail"
    NA = "na"


@dataclass(frozen=True, slots=True)
class Criterion:
    key: str
    label: str
    weight: float
    auto_fail: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True)
class Judgement:
    result: Result
    explanation: str


@dataclass(frozen=True, slots=True)
class Score:
    score: float | None
    auto_failed: bool
    results: list[dict[str, object]]  # the stored form, one per criterion in scorecard order


def score(criteria: Sequence[Criterion], judgements: Mapping[str, Judgement]) -> Score:
    """Score ``judgements`` (one per criterion key) against ``criteria``."""
    applicable = passed = 0.0
    auto_failed = False
    results: list[dict[str, object]] = []
    for criterion in criteria:
        judgement = judgements[criterion.key]
        if judgement.result is not Result.NA:
            applicable += criterion.weight
        if judgement.result is Result.PASS:
            passed += criterion.weight
        if judgement.result is Result.FAIL and criterion.auto_fail:
            auto_failed = True
        results.append(
            {
                "key": criterion.key,
                "label": criterion.label,
                "weight": criterion.weight,
                "auto_fail": criterion.auto_fail,
                "result": judgement.result.value,
                "explanation": judgement.explanation,
            }
        )
    if applicable == 0:
        return Score(None, auto_failed, results)
    value = 0.0 if auto_failed else round(100 * passed / applicable, 1)
    return Score(value, auto_failed, results)
