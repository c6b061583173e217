"""``/api/v1/calls``: call records and transcripts (notes, escalations and actions to come)."""

from fastapi import APIRouter

from aicaller.api.problems import problem_responses
from aicaller.calls.routes import crud, transcript

router = APIRouter(tags=["calls"], responses=problem_responses(400, 401, 403, 422, 429))
router.include_router(crud.router)
router.include_router(transcript.router)

__all__ = ["router"]
