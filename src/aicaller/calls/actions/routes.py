"""Place, end and transfer calls through the telephony provider (Idempotency-Key honoured)."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, status
from fastapi.responses import JSONResponse

from aicaller.api.idempotency import IdempotencyDep
from aicaller.api.problems import problem_responses
from aicaller.calls.actions.schemas import CallEnd, CallInitiate, CallTransfer
from aicaller.calls.deps import Calls, Writer
from aicaller.calls.schemas import CallDetail

router = APIRouter(prefix="/calls")


@router.post(
    "/initiate",
    response_model=CallDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Place an outbound call",
    responses=problem_responses(502),
)
async def initiate_call(
    body: CallInitiate, principal: Writer, calls: Calls, idempotency: IdempotencyDep
) -> JSONResponse:
    if (replay := await idempotency.replay(body)) is not None:
        return replay
    call = await calls.actions(principal).initiate(body)
    return await idempotency.respond(status.HTTP_201_CREATED, CallDetail.model_validate(call))


@router.post(
    "/{call_id}/end",
    response_model=CallDetail,
    summary="Hang up a call (or cancel it if not answered yet)",
    responses=problem_responses(404, 409, 502),
)
async def end_call(
    call_id: uuid.UUID,
    principal: Writer,
    calls: Calls,
    idempotency: IdempotencyDep,
    body: CallEnd | None = None,
) -> JSONResponse:
    data = body or CallEnd()
    if (replay := await idempotency.replay(data)) is not None:
        return replay
    call = await calls.actions(principal).end(call_id, data)
    return await idempotency.respond(status.HTTP_200_OK, CallDetail.model_validate(call))


@router.post(
    "/{call_id}/transfer",
    response_model=CallDetail,
    summary="Hand a call in progress to a person",
    responses=problem_responses(404, 409, 502),
)
async def transfer_call(
    call_id: uuid.UUID,
    principal: Writer,
    calls: Calls,
    idempotency: IdempotencyDep,
    body: CallTransfer | None = None,
) -> JSONResponse:
    data = body or CallTransfer()
    if (replay := await idempotency.replay(data)) is not None:
        return replay
    call = await calls.actions(principal).transfer(call_id, data)
    return await idempotency.respond(status.HTTP_200_OK, CallDetail.model_validate(call))
