"""The calls list (the API's filters, text search, cursor paging, sortable columns) and the
call detail page; both read through the same services as ``/api/v1/calls``."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse, RedirectResponse, Response

from aicaller.api.deps import CacheDep, PaginationDep, SessionDep
from aicaller.calls import deps as call_deps
from aicaller.calls.deps import CallListQueryDep, Calls
from aicaller.calls.recordings.service import RecordingService
from aicaller.calls.schemas import CallDetail, listed_calls
from aicaller.console.deps import Viewer, ViewerDep, kept_query, may, render
from aicaller.console.options import CALL_DIRECTIONS, CALL_STATUSES, IN_PROGRESS, SORTS
from aicaller.qa import routes as qa_routes
from aicaller.qa.schemas import ScorecardOut, evaluation_out
from aicaller.qa.service import QaService

router = APIRouter(prefix="/app")
CallReader = Annotated[Viewer, may(call_deps.Reader)]
FILTERS = (
    "status", "direction", "from", "to", "phone", "escalated", "open_escalation", "has_notes",
    "min_duration", "max_duration", "q", "sort", "order", "limit",
)  # fmt: skip


def _kept(request: Request, **changes: str | None) -> str:
    return kept_query(request, FILTERS, **changes)


@router.get("", summary="The console's first page")
async def home(viewer: ViewerDep) -> Response:
    return RedirectResponse("/app/overview", status_code=303)


@router.get("/calls/search", summary="The filter form's target: drops empty fields")
async def search_calls(request: Request, viewer: CallReader) -> Response:
    return RedirectResponse(f"/app/calls?{_kept(request)}", status_code=303)


@router.get("/calls", summary="Calls, filtered, searched and sorted")
async def list_calls(
    request: Request, viewer: CallReader, calls: Calls, page: PaginationDep, query: CallListQueryDep
) -> Response:
    rows, next_cursor = await calls.of(viewer.principal).list(
        query, limit=page.limit, cursor=page.cursor
    )
    params = request.query_params
    return render(
        request,
        "calls/list.html",
        viewer,
        calls=listed_calls(rows),
        next_url=f"/app/calls?{_kept(request, cursor=next_cursor)}" if next_cursor else None,
        first_url=f"/app/calls?{_kept(request)}" if page.cursor else None,
        sort_url=lambda column: (
            "/app/calls?"
            + _kept(
                request,
                sort=column,
                order="asc" if query.sort == column and query.descending else "desc",
            )
        ),
        query=query,
        chosen_statuses=set(params.getlist("status")),
        params=params,
        statuses=CALL_STATUSES,
        directions=CALL_DIRECTIONS,
        sorts=SORTS,
    )


async def _qa_panel(
    viewer: Viewer, session: SessionDep, cache: CacheDep, call_id: uuid.UUID
) -> dict[str, Any]:
    if not viewer.can(qa_routes.Reader):
        return {"evaluations": [], "scorecard": None}
    qa = QaService(session, viewer.principal.business_id, cache)
    evaluations, effective = await qa.list_evaluations(call_id)
    scorecard = None
    if viewer.can(qa_routes.Writer):
        scorecard = ScorecardOut.model_validate(await qa.default_scorecard())
    return {
        "evaluations": [evaluation_out(item, effective) for item in evaluations],
        "scorecard": scorecard,
    }


@router.get("/calls/{call_id}", summary="One call: transcript, notes, QA, escalations")
async def call_detail(
    request: Request,
    call_id: uuid.UUID,
    viewer: CallReader,
    calls: Calls,
    session: SessionDep,
    cache: CacheDep,
) -> Response:
    call = CallDetail.model_validate(await calls.of(viewer.principal).get(call_id))
    qa = await _qa_panel(viewer, session, cache, call_id)
    recordings = RecordingService(
        session, viewer.principal.business_id, request.app.state.recordings
    )
    return render(
        request,
        "calls/detail.html",
        viewer,
        call=call,
        live=call.status in IN_PROGRESS,
        can_write_calls=viewer.can(call_deps.Writer),
        can_note=viewer.can(call_deps.StaffWriter),
        can_qa=viewer.can(qa_routes.Writer),
        editing_note=request.query_params.get("edit_note"),
        has_recording=recordings.has_file(call_id),
        **qa,
    )


@router.get("/calls/{call_id}/recording", summary="The call's recording for the page's player")
async def call_recording(
    request: Request, call_id: uuid.UUID, viewer: CallReader, session: SessionDep
) -> FileResponse:
    """The API's recording (``GET /api/v1/calls/{id}/recording``: WAV, Range requests for
    seeking) for the session cookie, which the page's ``<audio>`` sends as any same-origin
    request does; another business's call, or none, is a 404."""
    store = request.app.state.recordings
    path = await RecordingService(session, viewer.principal.business_id, store).file(call_id)
    return FileResponse(path, media_type="audio/wav", filename=f"call-{call_id}.wav")
