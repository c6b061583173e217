"""``GET /api/v1/calls/{call_id}/recording``: the call's audio (WAV), with Range support."""

from __future__ import annotations

import uuid

from fastapi import APIRouter, Request
from fastapi.responses import FileResponse

from aicaller.api.deps import SessionDep
from aicaller.api.problems import problem_responses
from aicaller.calls.deps import Reader
from aicaller.calls.recordings.service import RecordingService

router = APIRouter(prefix="/calls", tags=["calls"])


@router.get(
    "/{call_id}/recording",
    summary="The call's recording (WAV; Range requests for seeking)",
    response_class=FileResponse,
    responses={
        200: {"content": {"audio/wav": {}}, "description": "The recording"},
        206: {"content": {"audio/wav": {}}, "description": "The requested bytes"},
        **problem_responses(401, 403, 404),
    },
)
async def recording(
    call_id: uuid.UUID, principal: Reader, session: SessionDep, request: Request
) -> FileResponse:
    store = request.app.state.recordings
    path = await RecordingService(session, principal.business_id, store).file(call_id)
    return FileResponse(path, media_type="audio/wav", filename=f"call-{call_id}.wav")
