"""``/api/v1/qa/scorecards`` and ``/api/v1/calls/{id}/evaluations``."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, status

from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.qa.schemas import (
    EvaluationCreate,
    EvaluationList,
    EvaluationOut,
    ScorecardCreate,
    ScorecardOut,
    ScorecardUpdate,
    evaluation_out,
)
from aicaller.qa.service import QaService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, Scope

router = APIRouter(tags=["qa"], responses=problem_responses(400, 401, 403, 422, 429))
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.QA_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.QA_WRITE)]


async def _qa(principal: Reader, session: SessionDep, cache: CacheDep) -> QaService:
    return QaService(session, principal.business_id, cache)


async def _qa_writer(principal: Writer, session: SessionDep, cache: CacheDep) -> QaService:
    return QaService(session, principal.business_id, cache)


QaReader = Annotated[QaService, Depends(_qa)]
QaWriter = Annotated[QaService, Depends(_qa_writer)]


@router.get("/qa/scorecards", response_model=list[ScorecardOut], summary="Scorecards")
async def list_scorecards(qa: QaReader) -> list[ScorecardOut]:
    return [ScorecardOut.model_validate(card) for card in await qa.list_scorecards()]


@router.post(
    "/qa/scorecards",
    response_model=ScorecardOut,
    status_code=status.HTTP_201_CREATED,
    summary="Create a scorecard",
)
async def create_scorecard(body: ScorecardCreate, qa: QaWriter) -> ScorecardOut:
    return ScorecardOut.model_validate(await qa.create_scorecard(body))


@router.get(
    "/qa/scorecards/{scorecard_id}",
    response_model=ScorecardOut,
    summary="A scorecard",
    responses=problem_responses(404),
)
async def get_scorecard(scorecard_id: uuid.UUID, qa: QaReader) -> ScorecardOut:
    return ScorecardOut.model_validate(await qa.get_scorecard(scorecard_id))


@router.patch(
    "/qa/scorecards/{scorecard_id}",
    response_model=ScorecardOut,
    summary="Change a scorecard (past evaluations keep the criteria they were scored on)",
    responses=problem_responses(404),
)
async def update_scorecard(
    scorecard_id: uuid.UUID, body: ScorecardUpdate, qa: QaWriter
) -> ScorecardOut:
    return ScorecardOut.model_validate(await qa.update_scorecard(scorecard_id, body))


@router.get(
    "/calls/{call_id}/evaluations",
    response_model=EvaluationList,
    summary="A call's QA evaluations, newest first",
    responses=problem_responses(404),
)
async def list_evaluations(call_id: uuid.UUID, qa: QaReader) -> EvaluationList:
    evaluations, effective = await qa.list_evaluations(call_id)
    return EvaluationList(items=[evaluation_out(item, effective) for item in evaluations])


@router.post(
    "/calls/{call_id}/evaluations",
    response_model=EvaluationOut,
    status_code=status.HTTP_201_CREATED,
    summary="Evaluate a call (a person's evaluation overrides the AI's; both are kept)",
    responses=problem_responses(404),
)
async def create_evaluation(
    call_id: uuid.UUID, body: EvaluationCreate, principal: Writer, qa: QaWriter
) -> EvaluationOut:
    evaluation = await qa.add_human_evaluation(call_id, body, user_id=principal.user_id)
    return evaluation_out(evaluation, evaluation)
