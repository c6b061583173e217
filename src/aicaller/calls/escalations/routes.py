"""Escalations: raise one on a call, the queue across calls, and acknowledge/assign/resolve."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from aicaller.api.deps import PaginationDep
from aicaller.api.idempotency import IdempotencyDep
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.calls.deps import Calls, EscalationQueueQueryDep, Reader, StaffWriter
from aicaller.calls.escalations.schemas import (
    EscalationCreate,
    EscalationOut,
    EscalationQueueItem,
    EscalationUpdate,
)

router = APIRouter()


@router.post(
    "/calls/{call_id}/escalations",
    response_model=EscalationOut,
    status_code=status.HTTP_201_CREATED,
    summary="Escalate a call to people; the signed-in user is its creator",
    responses=problem_responses(404),
)
async def create_escalation(
    call_id: uuid.UUID,
    body: EscalationCreate,
    principal: StaffWriter,
    calls: Calls,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    if (replay := await idempotency.replay(body)) is not None:
        return replay
    escalation = await calls.escalations(principal).create(call_id, body)
    result = EscalationOut.model_validate(escalation)
    return await idempotency.respond(status.HTTP_201_CREATED, result)


@router.get(
    "/escalations",
    response_model=Page[EscalationQueueItem],
    summary="The escalation queue across calls, oldest first by default",
)
async def escalation_queue(
    principal: Reader, calls: Calls, page: PaginationDep, query: EscalationQueueQueryDep
) -> Page[EscalationQueueItem]:
    rows, next_cursor = await calls.escalations(principal).queue(
        query, limit=page.limit, cursor=page.cursor
    )
    return Page(items=[EscalationQueueItem.from_row(row) for row in rows], next_cursor=next_cursor)


@router.patch(
    "/escalations/{escalation_id}",
    response_model=EscalationOut,
    summary="Acknowledge, assign or resolve an escalation",
    responses=problem_responses(404, 409),
)
async def update_escalation(
    escalation_id: uuid.UUID, body: EscalationUpdate, principal: StaffWriter, calls: Calls
) -> EscalationOut:
    escalation = await calls.escalations(principal).update(escalation_id, body)
    return EscalationOut.model_validate(escalation)
