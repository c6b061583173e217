"""List, create, read, change and delete call records."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from aicaller.api.deps import PaginationDep
from aicaller.api.idempotency import IdempotencyDep
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.calls.routes.deps import Calls, Deleter, Reader, Writer
from aicaller.calls.schemas import CallCreate, CallDetail, CallOut, CallUpdate
from aicaller.calls.utils import CallListQueryDep, call_to_detail, listed_calls_to_response

router = APIRouter(prefix="/calls")


@router.get("", response_model=Page[CallOut], summary="List calls, newest first by default")
async def list_calls(
    principal: Reader, calls: Calls, page: PaginationDep, query: CallListQueryDep
) -> Page[CallOut]:
    rows, next_cursor = await calls.of(principal).list(query, limit=page.limit, cursor=page.cursor)
    return Page(items=listed_calls_to_response(rows), next_cursor=next_cursor)


@router.post(
    "",
    response_model=CallDetail,
    status_code=status.HTTP_201_CREATED,
    summary="Create a call record directly (imports, integrations, tests)",
)
async def create_call(
    body: CallCreate, principal: Writer, calls: Calls, idempotency: IdempotencyDep
) -> JSONResponse:
    if (replay := await idempotency.replay(body)) is not None:
        return replay
    detail = call_to_detail(await calls.of(principal).create(body))
    return await idempotency.respond(status.HTTP_201_CREATED, detail)


@router.get(
    "/{call_id}",
    response_model=CallDetail,
    summary="One call with its transcript, notes and escalations",
    responses=problem_responses(404),
)
async def get_call(call_id: uuid.UUID, principal: Reader, calls: Calls) -> CallDetail:
    return call_to_detail(await calls.of(principal).get(call_id))


@router.patch(
    "/{call_id}",
    response_model=CallDetail,
    summary="Change a call's summary, sentiment, outcome, metadata or status",
    responses=problem_responses(404, 409),
)
async def update_call(
    call_id: uuid.UUID, body: CallUpdate, principal: Writer, calls: Calls
) -> CallDetail:
    return call_to_detail(await calls.of(principal).update(call_id, body))


@router.delete(
    "/{call_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a call with its transcript, notes and escalations",
    responses=problem_responses(404),
)
async def delete_call(call_id: uuid.UUID, principal: Deleter, calls: Calls) -> Response:
    await calls.of(principal).delete(call_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
