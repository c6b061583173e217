"""``/api/v1/calls`` and ``/api/v1/escalations``: records, transcripts, notes, escalations and
call actions."""

from fastapi import APIRouter

from aicaller.api.problems import problem_responses
from aicaller.calls.routes import actions, crud, escalation, notes, transcript

router = APIRouter(tags=["calls"], responses=problem_responses(400, 401, 403, 422, 429))
router.include_router(actions.router)
router.include_router(crud.router)
router.include_router(transcript.router)
router.include_router(notes.router)
router.include_router(escalation.router)

__all__ = ["router"]
