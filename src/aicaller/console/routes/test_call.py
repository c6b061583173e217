"""Test calls: talk to the business's own agent by text, as ``POST /api/v1/calls/test`` and
``/messages`` do; the page shows each turn's intent and sources as it goes (server-sent
events, with a full page as the fallback without JavaScript).

While the call is live the page can also talk by microphone (``static/voice.js``): the
browser's 16 kHz PCM goes over ``WS /api/v1/calls/{id}/audio``, which takes the console's
session cookie from a page of the same origin (the HttpOnly cookie stays out of page scripts;
no token is handed to them), and the agent's spoken answers come back and are played. The
transcript arrives through the same event stream as a typed call's."""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from aicaller.agent.conversation import ConversationService
from aicaller.agent.routes import web_calls
from aicaller.agent.schemas import CallerMessage
from aicaller.api.deps import CacheDep, SessionDep
from aicaller.calls import deps as call_deps
from aicaller.calls.deps import Calls
from aicaller.calls.schemas import CallDetail
from aicaller.console.deps import Viewer, may, parsed, redirect, render
from aicaller.console.options import IN_PROGRESS

router = APIRouter(prefix="/app/test-call")
Caller = Annotated[Viewer, may(web_calls.Caller)]


def _conversation(
    request: Request, session: SessionDep, cache: CacheDep, viewer: Viewer
) -> ConversationService:
    state = request.app.state
    return ConversationService(
        session, viewer.principal.business_id, agents=state.agents, cache=cache, events=state.events
    )


@router.get("", summary="Start a test call")
async def test_call_page(request: Request, viewer: Caller) -> Response:
    return render(request, "test_call.html", viewer, call=None)


@router.post("", summary="Start a test call (the agent greets first)")
async def start(request: Request, viewer: Caller, session: SessionDep, cache: CacheDep) -> Response:
    started = await _conversation(request, session, cache, viewer).start_web_call({})
    return redirect(request, f"/app/test-call/{started.call.id}")


@router.get("/{call_id}", summary="A test call in progress")
async def conversation(
    request: Request,
    call_id: uuid.UUID,
    viewer: Caller,
    calls: Calls,
    session: SessionDep,
    cache: CacheDep,
) -> Response:
    await _conversation(request, session, cache, viewer).require_test_call(call_id)
    call = CallDetail.model_validate(await calls.of(viewer.principal).get(call_id))
    return render(
        request,
        "test_call.html",
        viewer,
        call=call,
        live=call.status in IN_PROGRESS,
        can_end=viewer.can(call_deps.Writer),
    )


@router.post("/{call_id}/say", summary="Say something as the caller")
async def say(
    request: Request,
    call_id: uuid.UUID,
    viewer: Caller,
    session: SessionDep,
    cache: CacheDep,
    text: Annotated[str, Form(max_length=4000)],
) -> Response:
    conversation = _conversation(request, session, cache, viewer)
    await conversation.require_test_call(call_id)
    message = parsed(CallerMessage, {"text": text})
    await conversation.respond(call_id, message.text)
    if request.headers.get("hx-request") == "true":
        return Response(status_code=204)  # the turns arrive through the page's event stream
    return redirect(request, f"/app/test-call/{call_id}")


@router.post("/{call_id}/hang-up", summary="End the test call")
async def hang_up(
    request: Request, call_id: uuid.UUID, viewer: Caller, session: SessionDep, cache: CacheDep
) -> Response:
    conversation = _conversation(request, session, cache, viewer)
    await conversation.require_test_call(call_id)
    await conversation.hang_up(call_id)
    return redirect(request, f"/app/test-call/{call_id}")
