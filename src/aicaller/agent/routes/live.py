"""``WS /api/v1/calls/{call_id}/live``: a call's turns as they happen, both ways.

On connect it sends the call's state and its transcript so far, then every new turn (woken
through the event bus, so turns taken by any worker arrive), and closes with 1000 once the call
has ended. On a web test call, staff may also speak as the caller: ``{"type": "say", "text":
...}`` runs a turn, ``{"type": "hangup"}`` ends the call. Anyone allowed to read calls may
listen. Refused connections close with 1008 (not signed in or not allowed) or 4404 (no such
call in the business).
"""

from __future__ import annotations

import asyncio
import json
import uuid
from typing import Any

from fastapi import APIRouter, WebSocket
from pydantic import ValidationError
from sqlalchemy.ext.asyncio import AsyncSession
from starlette.websockets import WebSocketDisconnect

from aicaller.agent.conversation import ConversationService, live_channel
from aicaller.agent.schemas import CallerMessage
from aicaller.api.websocket_auth import websocket_principal
from aicaller.core.errors import AppError, NotFound
from aicaller.database.session import Database
from aicaller.users.principal import Principal
from aicaller.users.roles import STAFF_ROLES, Role, Scope

router = APIRouter(prefix="/calls")
POLICY_VIOLATION, NOT_FOUND = 1008, 4404
WAIT_SECONDS = 5.0
IN_PROGRESS = "in_progress"


def _may_speak(principal: Principal) -> bool:
    if principal.is_api_key:
        return Scope.CALLS_WRITE in principal.scopes
    return principal.role in STAFF_ROLES


class _Session:
    def __init__(self, websocket: WebSocket, principal: Principal, call_id: uuid.UUID) -> None:
        self.websocket = websocket
        self.principal = principal
        self.call_id = call_id
        self.state = websocket.app.state
        self.database: Database = self.state.database
        self.sent = -1  # the highest turn sequence sent: the bus may repeat the snapshot's turns

    async def snapshot(self) -> tuple[bool, bool]:
        """Send the call and its transcript; (the call is live, the caller may speak)."""
        async with self.database.transaction() as session:
            snapshot = await self._conversation(session).snapshot(self.call_id)
        for event in snapshot.events:
            await self.send(event)
        return snapshot.in_progress, snapshot.test_call and _may_speak(self.principal)

    def _conversation(self, session: AsyncSession) -> ConversationService:
        return ConversationService(
            session,
            self.principal.business_id,
            agents=self.state.agents,
            cache=self.state.cache,
            events=self.state.events,
        )

    async def send(self, message: dict[str, Any]) -> None:
        if message.get("type") == "turn":
            if message["sequence"] <= self.sent:
                return
            self.sent = message["sequence"]
        await self.websocket.send_text(json.dumps(message))

    async def forward(self, updates: Any) -> None:
        """Bus messages to the client until the call has ended."""
        while True:
            message = await updates.get(WAIT_SECONDS)
            if message is None:
                continue
            await self.send(message)
            if message.get("type") == "call" and message.get("status") != IN_PROGRESS:
                return

    async def listen(self, may_speak: bool) -> None:
        """The client's messages: turns on a test call, errors for anything else."""
        while True:
            raw = await self.websocket.receive_text()
            try:
                message = json.loads(raw)
                kind = message.get("type") if isinstance(message, dict) else None
            except json.JSONDecodeError:
                kind = None
            if kind not in ("say", "hangup"):
                await self._error("invalid_message", 'send {"type": "say", "text": ...}')
            elif not may_speak:
                await self._error("read_only", "only staff may speak, and only on test calls")
            else:
                await self._run(kind, message)

    async def _run(self, kind: str, message: dict[str, Any]) -> None:
        try:
            async with self.database.transaction() as session:
                conversation = self._conversation(session)
                if kind == "hangup":
                    await conversation.hang_up(self.call_id)
                else:
                    text = CallerMessage.model_validate({"text": message.get("text")}).text
                    await conversation.respond(self.call_id, text)
        except ValidationError:
            await self._error("invalid_message", "text must be 1 to 2000 characters")
        except AppError as exc:
            await self._error(exc.code, exc.message)

    async def _error(self, code: str, detail: str) -> None:
        await self.websocket.send_text(
            json.dumps({"type": "error", "code": code, "detail": detail})
        )


@router.websocket("/{call_id}/live")
async def live_call(websocket: WebSocket, call_id: uuid.UUID) -> None:
    await websocket.accept()
    principal = await websocket_principal(websocket, roles=frozenset(Role), scope=Scope.CALLS_READ)
    if principal is None:
        await websocket.close(code=POLICY_VIOLATION, reason="not signed in or not allowed")
        return
    session = _Session(websocket, principal, call_id)
    try:
        async with websocket.app.state.events.subscribe(live_channel(call_id)) as updates:
            try:
                live, may_speak = await session.snapshot()
            except NotFound:
                await websocket.close(code=NOT_FOUND, reason="call not found")
                return
            if live:
                await _until_first(session.forward(updates), session.listen(may_speak))
        await websocket.close(code=1000)
    except WebSocketDisconnect:
        return  # the client went away; the subscription closes with the block


async def _until_first(*work: Any) -> None:
    """Run both loops; when one ends (the call ended, or the client left), stop the other."""
    tasks = [asyncio.ensure_future(item) for item in work]
    try:
        done, _ = await asyncio.wait(tasks, return_when=asyncio.FIRST_COMPLETED)
    finally:
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
    for task in done:
        task.result()  # a disconnect surfaces here
