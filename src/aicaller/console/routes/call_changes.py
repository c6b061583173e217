"""What a call's page changes: notes (add, edit, delete), the human QA override and the live
actions (end, transfer). Each form posts here and comes back to the call (post/redirect/get);
the services and their per-row rules are the API's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import RedirectResponse, Response

from aicaller.api.deps import CacheDep, SessionDep
from aicaller.calls import deps as call_deps
from aicaller.calls.actions.schemas import CallEnd, CallTransfer
from aicaller.calls.deps import Calls
from aicaller.calls.notes.schemas import MAX_NOTE, NoteCreate, NoteUpdate
from aicaller.console.deps import Viewer, form_of, may, parsed
from aicaller.console.options import QA_RESULTS
from aicaller.core.errors import ValidationError
from aicaller.qa import routes as qa_routes
from aicaller.qa.schemas import CriterionResultIn, EvaluationCreate
from aicaller.qa.service import QaService

router = APIRouter(prefix="/app/calls/{call_id}")
NoteWriter = Annotated[Viewer, may(call_deps.StaffWriter)]
CallWriter = Annotated[Viewer, may(call_deps.Writer)]
QaWriter = Annotated[Viewer, may(qa_routes.Writer)]
NoteText = Annotated[str, Form(min_length=1, max_length=MAX_NOTE)]


def _back(call_id: uuid.UUID, anchor: str) -> Response:
    return RedirectResponse(f"/app/calls/{call_id}#{anchor}", status_code=303)


@router.post("/notes", summary="Add a note")
async def add_note(
    call_id: uuid.UUID, body: NoteText, viewer: NoteWriter, calls: Calls
) -> Response:
    await calls.notes(viewer.principal).create(call_id, parsed(NoteCreate, {"body": body}))
    return _back(call_id, "notes")


@router.post("/notes/{note_id}", summary="Edit a note")
async def edit_note(
    call_id: uuid.UUID, note_id: uuid.UUID, body: NoteText, viewer: NoteWriter, calls: Calls
) -> Response:
    await calls.notes(viewer.principal).update(call_id, note_id, parsed(NoteUpdate, {"body": body}))
    return _back(call_id, f"note-{note_id}")


@router.post("/notes/{note_id}/delete", summary="Delete a note")
async def delete_note(
    call_id: uuid.UUID, note_id: uuid.UUID, viewer: NoteWriter, calls: Calls
) -> Response:
    await calls.notes(viewer.principal).delete(call_id, note_id)
    return _back(call_id, "notes")


@router.post("/evaluations", summary="Override the QA score with a person's evaluation")
async def override_score(
    request: Request,
    call_id: uuid.UUID,
    viewer: QaWriter,
    session: SessionDep,
    cache: CacheDep,
    scorecard_id: Annotated[uuid.UUID, Form()],
    comment: Annotated[str, Form(max_length=5000)] = "",
) -> Response:
    form = await form_of(request)
    results = []
    for name, value in form.multi_items():
        if name.startswith("result:") and isinstance(value, str):
            if value not in QA_RESULTS:
                raise ValidationError(f"{name.removeprefix('result:')}: choose pass, fail or n/a")
            results.append(
                parsed(CriterionResultIn, {"key": name.removeprefix("result:"), "result": value})
            )
    if not results:
        raise ValidationError("Give a result for every criterion")
    data = parsed(
        EvaluationCreate,
        {"scorecard_id": scorecard_id, "results": results, "comment": comment.strip() or None},
    )
    qa = QaService(session, viewer.principal.business_id, cache)
    await qa.add_human_evaluation(call_id, data, user_id=viewer.principal.user_id)
    return _back(call_id, "qa")


@router.post("/end", summary="Hang up a call in progress")
async def end_call(call_id: uuid.UUID, viewer: CallWriter, calls: Calls) -> Response:
    await calls.actions(viewer.principal).end(call_id, CallEnd())
    return _back(call_id, "actions")


@router.post("/transfer", summary="Hand a call in progress to a person")
async def transfer_call(
    call_id: uuid.UUID,
    viewer: CallWriter,
    calls: Calls,
    to_number: Annotated[str, Form(max_length=32)] = "",
    reason: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    data = parsed(
        CallTransfer, {"to_number": to_number.strip() or None, "reason": reason.strip() or None}
    )
    await calls.actions(viewer.principal).transfer(call_id, data)
    return _back(call_id, "actions")
