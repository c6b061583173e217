"""``WS /api/v1/calls/{call_id}/audio``: a web test call spoken, not typed.

Authenticated like the live socket (a bearer token or ``?token=``; staff, or an API key with
``calls:write``), for a web test call of the principal's business that is in progress; the
call's greeting is spoken first, then it runs on the same pipeline as a phone call at 16 kHz
(see ``browser_serializer.py`` for the messages). Refused connections close with 1008 (not
signed in or not allowed), 4404 (no such call in the business) or 4409 (not a test call in
progress), with one logged line.
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, WebSocket

from aicaller.api.websocket_auth import websocket_principal
from aicaller.core.errors import AppError, NotFound
from aicaller.users.roles import STAFF_ROLES, Scope
from aicaller.voice.bridge import CallBridge
from aicaller.voice.browser_serializer import SAMPLE_RATE, BrowserPcmSerializer
from aicaller.voice.routes.streaming import finish, refuse, run_call

router = APIRouter(prefix="/calls")
WHAT = "browser audio stream"
NOT_FOUND, NOT_A_LIVE_TEST_CALL = 4404, 4409


@router.websocket("/{call_id}/audio")
async def browser_audio(websocket: WebSocket, call_id: uuid.UUID) -> None:
    await websocket.accept()
    principal = await websocket_principal(
        websocket, roles=frozenset(STAFF_ROLES), scope=Scope.CALLS_WRITE
    )
    if principal is None:
        await refuse(websocket, "not signed in or not allowed", None, what=WHAT)
        return
    bridge = CallBridge(websocket.app.state, principal.business_id, call_id)
    try:
        await bridge.require_live_test_call()
    except NotFound:
        await refuse(websocket, "call not found", None, what=WHAT, code=NOT_FOUND)
        return
    except AppError as exc:
        await refuse(websocket, exc.message, None, what=WHAT, code=NOT_A_LIVE_TEST_CALL)
        return
    serializer = BrowserPcmSerializer()
    agent = await run_call(
        websocket, bridge, serializer, what=WHAT, sample_rate=SAMPLE_RATE, mark=serializer.mark
    )
    await finish(websocket, bridge, agent.end_reason or "caller_hangup")
