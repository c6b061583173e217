"""Web test calls: ``POST /api/v1/calls/test`` and ``POST /api/v1/calls/{id}/messages``.

A test call is a real call record (direction ``web``) held by the business's own agent, so
what a newcomer hears in the browser or the terminal is what a caller would hear.
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, status

from aicaller.agent.conversation import ConversationService
from aicaller.agent.schemas import (
    AgentTurnOut,
    CallerMessage,
    TestCallStart,
    TestCallStarted,
    TurnResponse,
)
from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.calls.schemas import CallDetail
from aicaller.calls.service import CallService
from aicaller.users.principal import Principal
from aicaller.users.roles import STAFF_ROLES, Scope

router = APIRouter(
    prefix="/calls", tags=["test calls"], responses=problem_responses(400, 401, 403, 422, 429)
)
Caller = Annotated[Principal, require_role(*STAFF_ROLES, scope=Scope.CALLS_WRITE)]


async def _conversation(
    principal: Caller, request: Request, session: SessionDep, cache: CacheDep
) -> ConversationService:
    state = request.app.state
    return ConversationService(
        session, principal.business_id, agents=state.agents, cache=cache, events=state.events
    )


Conversation = Annotated[ConversationService, Depends(_conversation)]


@router.post(
    "/test",
    response_model=TestCallStarted,
    status_code=status.HTTP_201_CREATED,
    summary="Start a test call with the business's agent (it greets first)",
    responses=problem_responses(401, 403, 422),
)
async def start_test_call(
    conversation: Conversation,
    session: SessionDep,
    principal: Caller,
    body: TestCallStart | None = None,
) -> TestCallStarted:
    started = await conversation.start_web_call((body or TestCallStart()).metadata)
    call = await CallService(session, principal.business_id).get(started.call.id)
    return TestCallStarted(
        call=CallDetail.model_validate(call), greeting=AgentTurnOut.from_result(started)
    )


@router.post(
    "/{call_id}/messages",
    response_model=TurnResponse,
    summary="Say something as the caller of a test call; returns the agent's turn",
    responses=problem_responses(401, 403, 404, 409, 422),
)
async def send_message(
    call_id: uuid.UUID,
    body: CallerMessage,
    conversation: Conversation,
    session: SessionDep,
    principal: Caller,
) -> TurnResponse:
    await conversation.require_test_call(call_id)
    return TurnResponse.from_result(await conversation.respond(call_id, body.text))
