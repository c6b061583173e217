"""Page through a call's transcript, in order."""

from __future__ import annotations

import uuid

from fastapi import APIRouter

from aicaller.api.deps import PaginationDep
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.calls.routes.deps import Calls, Reader
from aicaller.calls.schemas import TurnOut

router = APIRouter(prefix="/calls")


@router.get(
    "/{call_id}/transcript",
    response_model=Page[TurnOut],
    summary="A call's transcript turns in order, paged",
    responses=problem_responses(404),
)
async def get_transcript(
    call_id: uuid.UUID, principal: Reader, calls: Calls, page: PaginationDep
) -> Page[TurnOut]:
    result = await calls.of(principal).transcript(call_id, limit=page.limit, cursor=page.cursor)
    items = [TurnOut.model_validate(turn, from_attributes=True) for turn in result.items]
    return Page(items=items, next_cursor=result.next_cursor)
