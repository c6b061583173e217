"""``/api/v1/documentation``: documentation sources and their syncs, and
``WS /api/v1/documentation/syncs/{sync_id}/progress``: a sync's progress, live.

The socket sends the sync (as ``GET /api/v1/documentation/syncs/{id}`` returns it) on connect,
again after every batch the sync writes (woken through the event bus) or at least every two
seconds while it changes, and closes with 1000 once the sync has ended. Refused connections
close with 1008 (not signed in or not allowed) or 4404 (no such sync in the business).
"""

from __future__ import annotations

import uuid
from typing import Annotated

from fastapi import APIRouter, Depends, Request, Response, WebSocket, status
from starlette.websockets import WebSocketDisconnect

from aicaller.api.deps import PaginationDep, SessionDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.api.websocket_auth import websocket_principal
from aicaller.core.errors import NotFound
from aicaller.core.http import SafeHttpClient
from aicaller.database.session import Database
from aicaller.knowledge.sources.schemas import (
    SourceCreate,
    SourceOut,
    SourceUpdate,
    SyncOut,
    SyncStart,
)
from aicaller.knowledge.sources.service import DocumentationService
from aicaller.knowledge.sources.sync import progress_channel
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, Role, Scope

router = APIRouter(
    prefix="/documentation",
    tags=["documentation"],
    responses=problem_responses(400, 401, 403, 422, 429),
)
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.KNOWLEDGE_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.KNOWLEDGE_WRITE)]


class _Services:
    def __init__(self, session: SessionDep, http: SafeHttpClient) -> None:
        self.session = session
        self.http = http

    def of(self, principal: Principal) -> DocumentationService:
        return DocumentationService(self.session, principal.business_id, http=self.http)


async def _services(session: SessionDep, request: Request) -> _Services:
    return _Services(session, request.app.state.http)


Docs = Annotated[_Services, Depends(_services)]


@router.post("/sources", response_model=SourceOut, status_code=201, summary="Add a source")
async def create_source(body: SourceCreate, principal: Writer, docs: Docs) -> SourceOut:
    return SourceOut.model_validate(await docs.of(principal).create(body))


@router.get("/sources", response_model=Page[SourceOut], summary="Sources, newest first")
async def list_sources(principal: Reader, docs: Docs, page: PaginationDep) -> Page[SourceOut]:
    result = await docs.of(principal).page(limit=page.limit, cursor=page.cursor)
    return Page(
        items=[SourceOut.model_validate(s) for s in result.items], next_cursor=result.next_cursor
    )


@router.get("/sources/{source_id}", response_model=SourceOut, responses=problem_responses(404))
async def get_source(source_id: uuid.UUID, principal: Reader, docs: Docs) -> SourceOut:
    return SourceOut.model_validate(await docs.of(principal).get(source_id))


@router.patch("/sources/{source_id}", response_model=SourceOut, responses=problem_responses(404))
async def update_source(
    source_id: uuid.UUID, body: SourceUpdate, principal: Writer, docs: Docs
) -> SourceOut:
    return SourceOut.model_validate(await docs.of(principal).update(source_id, body))


@router.delete(
    "/sources/{source_id}",
    status_code=204,
    summary="Delete a source with its syncs and crawled pages",
    responses=problem_responses(404),
)
async def delete_source(source_id: uuid.UUID, principal: Writer, docs: Docs) -> Response:
    await docs.of(principal).delete(source_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)


@router.post(
    "/sources/{source_id}/sync",
    response_model=SyncOut,
    status_code=202,
    summary="Start a sync (runs in the background)",
    responses=problem_responses(404, 409),
)
async def start_sync(
    source_id: uuid.UUID, principal: Writer, docs: Docs, body: SyncStart | None = None
) -> SyncOut:
    service = docs.of(principal)
    sync = await service.start_sync(source_id, body or SyncStart())
    return await service.describe(sync)


@router.get(
    "/syncs/{sync_id}",
    response_model=SyncOut,
    summary="A sync's progress: counters, rate, ETA, failed pages",
    responses=problem_responses(404),
)
async def get_sync(sync_id: uuid.UUID, principal: Reader, docs: Docs) -> SyncOut:
    service = docs.of(principal)
    return await service.describe(await service.get_sync(sync_id))


@router.post(
    "/syncs/{sync_id}/cancel",
    response_model=SyncOut,
    summary="Cancel a running sync",
    responses=problem_responses(404, 409),
)
async def cancel_sync(sync_id: uuid.UUID, principal: Writer, docs: Docs) -> SyncOut:
    service = docs.of(principal)
    return await service.describe(await service.cancel_sync(sync_id))


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
            while current.active:
                await updates.get(POLL_SECONDS)
                latest = await _snapshot(database, principal.business_id, sync_id)
                if latest != current:
                    await websocket.send_text(latest.model_dump_json())
                current = latest
        await websocket.close(code=1000)
    except WebSocketDisconnect:
        return  # the client went away; nothing to clean up beyond the subscription
