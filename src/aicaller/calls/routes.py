"""``/api/v1/calls`` and ``/api/v1/escalations``: the call record (list, create, read, change,
delete, transcript), and the routers of its notes, escalations and actions, mounted together."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from aicaller.api.deps import PaginationDep
from aicaller.api.idempotency import IdempotencyDep
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.calls.actions import routes as actions_routes
from aicaller.calls.deps import CallListQueryDep, Calls, Deleter, Reader, Writer
from aicaller.calls.escalations import routes as escalations_routes
from aicaller.calls.notes import routes as notes_routes
from aicaller.calls.recordings import routes as recordings_routes
from aicaller.calls.schemas import (
    CallCreate,
    CallDetail,
    CallOut,
    CallUpdate,
    TurnOut,
    listed_calls,
)

records = APIRouter(prefix="/calls")


@records.get("", response_model=Page[CallOut], summary="List calls, newest first by default")
async def list_calls(
    principal: Reader, calls: Calls, page: PaginationDep, query: CallListQueryDep
) -> Page[CallOut]:
    rows, next_cursor = await calls.of(principal).list(query, limit=page.limit, cursor=page.cursor)
    return Page(items=listed_calls(rows), next_cursor=next_cursor)


@records.post(
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
    detail = CallDetail.model_validate(await calls.of(principal).create(body))
    return await idempotency.respond(status.HTTP_201_CREATED, detail)


@records.get(
    "/{call_id}",
    response_model=CallDetail,
    summary="One call with its transcript, notes and escalations",
    responses=problem_responses(404),
)
async def get_call(call_id: uuid.UUID, principal: Reader, calls: Calls) -> CallDetail:
    return CallDetail.model_validate(await calls.of(principal).get(call_id))


@records.patch(
    "/{call_id}",
    response_model=CallDetail,
    summary="Change a call's summary, sentiment, outcome, metadata or status",
    responses=problem_responses(404, 409),
)
async def update_call(
    call_id: uuid.UUID, body: CallUpdate, principal: Writer, calls: Calls
) -> CallDetail:
    return CallDetail.model_validate(await calls.of(principal).update(call_id, body))


@records.delete(
    "/{call_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a call with its transcript, notes and escalations",
    responses=problem_responses(404),
)
async def delete_call(call_id: uuid.UUID, principal: Deleter, calls: Calls) -> Response:
    await calls.of(principal).delete(call_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@records.get(
    "/{call_id}/transcript",
    response_model=Page[TurnOut],
    summary="A call's transcript turns in order, paged",
    responses=problem_responses(404),
)
async def get_transcript(
    call_id: uuid.UUID, principal: Reader, calls: Calls, page: PaginationDep
) -> Page[TurnOut]:
    result = await calls.of(principal).transcript(call_id, limit=page.limit, cursor=page.cursor)
    items = [TurnOut.model_validate(turn) for turn in result.items]
    return Page(items=items, next_cursor=result.next_cursor)


router = APIRouter(tags=["calls"], responses=problem_responses(400, 401, 403, 422, 429))
router.include_router(actions_routes.router)
router.include_router(records)
router.include_router(notes_routes.router)
router.include_router(escalations_routes.router)
router.include_router(recordings_routes.router)
