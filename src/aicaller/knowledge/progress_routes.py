"""``WS /api/v1/documentation/syncs/{sync_id}/progress``: a sync's progress, live.

Sends the sync (as ``GET /api/v1/documentation/syncs/{id}`` returns it) on connect, again after
every batch the sync writes (woken through the event bus) or at least every two seconds while it
changes, and closes with 1000 once the sync has ended. Refused connections close with 1008
(not signed in or not allowed) or 4404 (no such sync in the business).
"""

from __future__ import annotations

import uuid

from fastapi import APIRouter, WebSocket
from starlette.websockets import WebSocketDisconnect

from aicaller.api.websocket_auth import websocket_principal
from aicaller.core.errors import NotFound
from aicaller.database.models.documentation import ACTIVE_SYNC
from aicaller.database.session import Database
from aicaller.knowledge.sources.schemas import SyncOut
from aicaller.knowledge.sources.service import DocumentationService
from aicaller.knowledge.sources.sync import progress_channel
from aicaller.users.roles import Role, Scope

router = APIRouter(prefix="/documentation")
POLL_SECONDS = 2.0
POLICY_VIOLATION, NOT_FOUND = 1008, 4404


async def _snapshot(database: Database, business_id: uuid.UUID, sync_id: uuid.UUID) -> SyncOut:
    async with database.transaction() as session:
        service = DocumentationService(session, business_id)
        return await service.describe(await service.get_sync(sync_id))


@router.websocket("/syncs/{sync_id}/progress")
async def sync_progress(websocket: WebSocket, sync_id: uuid.UUID) -> None:
    # Accept first, then close with a code the client can read (a refused handshake is only a
    # bare HTTP 403 to browsers).
    await websocket.accept()
    principal = await websocket_principal(
        websocket, roles=frozenset(Role), scope=Scope.KNOWLEDGE_READ
    )
    if principal is None:
        await websocket.close(code=POLICY_VIOLATION, reason="not signed in or not allowed")
        return
    database: Database = websocket.app.state.database
    try:
        current = await _snapshot(database, principal.business_id, sync_id)
    except NotFound:
        await websocket.close(code=NOT_FOUND, reason="sync not found")
        return
    try:
        async with websocket.app.state.events.subscribe(progress_channel(sync_id)) as updates:
            await websocket.send_text(current.model_dump_json())
            while current.status in ACTIVE_SYNC:
                await updates.get(POLL_SECONDS)
                latest = await _snapshot(database, principal.business_id, sync_id)
                if latest != current:
                    await websocket.send_text(latest.model_dump_json())
                current = latest
        await websocket.close(code=1000)
    except WebSocketDisconnect:
        return  # the client went away; nothing to clean up beyond the subscription
