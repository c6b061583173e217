"""QA scorecards and evaluations as the API reads and writes them."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Annotated

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, model_validator

from aicaller.core.schemas import PatchModel, RequestModel
from aicaller.database.models import Evaluation
from aicaller.database.models.qa import EvaluatorKind
from aicaller.qa.scoring import Result

MAX_CRITERIA = 30
CriterionKey = Annotated[str, Field(pattern=r"^[a-z][a-z0-9_]{0,49}$")]
Weight = Annotated[float, Field(gt=0, le=100, allow_inf_nan=False)]


class CriterionIn(RequestModel):
    key: CriterionKey = Field(description="Stable identifier, e.g. polite_close")
    label: Annotated[str, Field(min_length=1, max_length=100)]
    description: Annotated[str, Field(max_length=500)] = ""
    weight: Weight = 1.0
    auto_fail: bool = Field(default=False, description="Failing it makes the whole score 0")


def _distinct_keys(criteria: list[CriterionIn]) -> list[CriterionIn]:
    keys = [criterion.key for criterion in criteria]
    if len(set(keys)) != len(keys):
        raise ValueError("criterion keys must not repeat")
    return criteria


Criteria = Annotated[
    list[CriterionIn],
    Field(min_length=1, max_length=MAX_CRITERIA),
    AfterValidator(_distinct_keys),
]


class ScorecardCreate(RequestModel):
    name: Annotated[str, Field(min_length=1, max_length=200)]
    description: Annotated[str, Field(max_length=1000)] = ""
    criteria: Criteria
    is_default: bool = Field(default=False, description="Use it for automatic evaluations")


class ScorecardUpdate(PatchModel):
    name: Annotated[str, Field(min_length=1, max_length=200)] | None = None
    description: Annotated[str, Field(max_length=1000)] | None = None
    criteria: Criteria | None = None
    is_default: bool | None = None

    @model_validator(mode="after")
    def _sensible(self) -> ScorecardUpdate:
        if self.is_default is False:
            raise ValueError("make another scorecard the default instead of unsetting this one")
        return self


class CriterionOut(BaseModel):
    key: str
    label: str
    description: str
    weight: float
    auto_fail: bool


class ScorecardOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    name: str
    description: str
    is_default: bool
    criteria: list[CriterionOut]
    created_at: datetime
    updated_at: datetime


class CriterionResultIn(RequestModel):
    key: CriterionKey
    result: Result
    explanation: Annotated[str, Field(max_length=1000)] = ""


class EvaluationCreate(RequestModel):
    """A person's evaluation: a result for every criterion of the scorecard."""

    scorecard_id: uuid.UUID | None = Field(
        default=None, description="Defaults to the business's default scorecard"
    )
    results: Annotated[list[CriterionResultIn], Field(min_length=1, max_length=MAX_CRITERIA)]
    comment: Annotated[str, Field(max_length=5000)] | None = None


class CriterionResultOut(BaseModel):
    key: str
    label: str
    weight: float
    auto_fail: bool
    result: Result
    explanation: str


class EvaluationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    call_id: uuid.UUID
    scorecard_id: uuid.UUID | None
    scorecard_name: str
    evaluator: EvaluatorKind
    evaluator_user_id: uuid.UUID | None
    score: float | None = Field(description="0-100 over the criteria that applied")
    auto_failed: bool
    results: list[CriterionResultOut]
    comment: str | None
    effective: bool = Field(
        default=False,
        description="The evaluation that counts: the latest by a person, else the AI's",
    )
    created_at: datetime


def evaluation_out(evaluation: Evaluation, effective: Evaluation | None) -> EvaluationOut:
    fields = {
        name: getattr(evaluation, name)
        for name in EvaluationOut.model_fields
        if name != "effective"
    }
    fields["effective"] = effective is not None and evaluation.id == effective.id
    return EvaluationOut.model_validate(fields)


class EvaluationList(BaseModel):
    items: list[EvaluationOut]
    next_cursor: str | None = None
