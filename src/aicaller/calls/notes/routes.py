"""Notes on a call: list, add, edit and delete."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Response, status
from fastapi.responses import JSONResponse

from aicaller.api.deps import PaginationDep
from aicaller.api.idempotency import IdempotencyDep
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.calls.deps import Calls, Reader, StaffWriter
from aicaller.calls.notes.schemas import NoteCreate, NoteOut, NoteUpdate

router = APIRouter(prefix="/calls/{call_id}/notes")


@router.get(
    "",
    response_model=Page[NoteOut],
    summary="A call's notes, oldest first, paged",
    responses=problem_responses(404),
)
async def list_notes(
    call_id: uuid.UUID, principal: Reader, calls: Calls, page: PaginationDep
) -> Page[NoteOut]:
    result = await calls.notes(principal).list(call_id, limit=page.limit, cursor=page.cursor)
    items = [NoteOut.model_validate(note) for note in result.items]
    return Page(items=items, next_cursor=result.next_cursor)


@router.post(
    "",
    response_model=NoteOut,
    status_code=status.HTTP_201_CREATED,
    summary="Add a note to a call; the signed-in user is its author",
    responses=problem_responses(404),
)
async def create_note(
    call_id: uuid.UUID,
    body: NoteCreate,
    principal: StaffWriter,
    calls: Calls,
    idempotency: IdempotencyDep,
) -> JSONResponse:
    if (replay := await idempotency.replay(body)) is not None:
        return replay
    note = await calls.notes(principal).create(call_id, body)
    result = NoteOut.model_validate(note)
    return await idempotency.respond(status.HTTP_201_CREATED, result)


@router.patch(
    "/{note_id}",
    response_model=NoteOut,
    summary="Edit a note (its author, a supervisor or an admin)",
    responses=problem_responses(404),
)
async def update_note(
    call_id: uuid.UUID, note_id: uuid.UUID, body: NoteUpdate, principal: StaffWriter, calls: Calls
) -> NoteOut:
    note = await calls.notes(principal).update(call_id, note_id, body)
    return NoteOut.model_validate(note)


@router.delete(
    "/{note_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a note (its author, a supervisor or an admin)",
    responses=problem_responses(404),
)
async def delete_note(
    call_id: uuid.UUID, note_id: uuid.UUID, principal: StaffWriter, calls: Calls
) -> Response:
    await calls.notes(principal).delete(call_id, note_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
