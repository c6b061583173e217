"""The live page (calls in progress, each transcript updating as it happens) and the
server-sent events behind it: a call's turns as ``WS /api/v1/calls/{id}/live`` sends them
(the same snapshot and event-bus messages), over SSE because the console's cookie session
reaches an EventSource and browsers' WebSocket API cannot send headers."""

from __future__ import annotations

import json
import uuid
from collections.abc import AsyncIterator
from typing import Annotated, Any

from fastapi import APIRouter, Request
from fastapi.responses import Response, StreamingResponse

from aicaller.agent.conversation import ConversationService, live_channel
from aicaller.calls import deps as call_deps
from aicaller.calls.deps import Calls
from aicaller.calls.schemas import listed_calls
from aicaller.calls.service import CallListQuery
from aicaller.console.deps import Viewer, may, render
from aicaller.database.session import Database

router = APIRouter(prefix="/app/live")
CallReader = Annotated[Viewer, may(call_deps.Reader)]
LIVE = CallListQuery(statuses=("in_progress",))
LISTED = 50
STREAMED = 4  # browsers open at most six connections per site over HTTP/1.1
WAIT_SECONDS = 15.0  # a comment line this often finds clients that went away


def _sse(message: dict[str, Any]) -> str:
    return f"data: {json.dumps(message)}\n\n"


async def _events(request: Request, viewer: Viewer, call_id: uuid.UUID) -> AsyncIterator[str]:
    state = request.app.state
    database: Database = state.database
    async with state.events.subscribe(live_channel(call_id)) as updates:
        async with database.transaction() as session:
            conversation = ConversationService(
                session,
                viewer.principal.business_id,
                agents=state.agents,
                cache=state.cache,
                events=state.events,
            )
            snapshot = await conversation.snapshot(call_id)
        for event in snapshot.events:
            yield _sse(event)
        if not snapshot.in_progress:
            return
        while True:
            message = await updates.get(WAIT_SECONDS)
            if message is None:
                yield ": still here\n\n"
                continue
            yield _sse(message)
            if message.get("type") == "call" and message.get("status") != "in_progress":
                return


@router.get("/calls/{call_id}/events", summary="A call's turns as server-sent events")
async def call_events(
    request: Request, call_id: uuid.UUID, viewer: CallReader, calls: Calls
) -> Response:
    await calls.of(viewer.principal).require(call_id)  # 404 before the stream starts
    return StreamingResponse(
        _events(request, viewer, call_id),
        media_type="text/event-stream",
        headers={"Cache-Control": "no-store", "X-Accel-Buffering": "no"},
    )


@router.get("", summary="Calls in progress, live")
async def live(request: Request, viewer: CallReader, calls: Calls) -> Response:
    rows, _next = await calls.of(viewer.principal).list(LIVE, limit=LISTED, cursor=None)
    return render(request, "live.html", viewer, calls=listed_calls(rows), streamed=STREAMED)
