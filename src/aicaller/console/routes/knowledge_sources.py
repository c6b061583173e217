"""Documentation sources (add, edit, delete, sync now) and a sync's page, whose progress
fragment refreshes itself until the sync ends (failures listed), and cancel."""

from __future__ import annotations

import uuid
from typing import Annotated, Any

from fastapi import APIRouter, Form, Request
from fastapi.responses import Response

from aicaller.api.deps import SessionDep
from aicaller.console.deps import Viewer, may, parsed, redirect, render
from aicaller.knowledge.sources import routes as source_routes
from aicaller.knowledge.sources.schemas import (
    SourceCreate,
    SourceOut,
    SourceUpdate,
    SyncStart,
)
from aicaller.knowledge.sources.service import DocumentationService

router = APIRouter(prefix="/app/knowledge")
SourceReader = Annotated[Viewer, may(source_routes.Reader)]
SourceWriter = Annotated[Viewer, may(source_routes.Writer)]
ENDED = frozenset({"completed", "failed", "cancelled"})


def _service(request: Request, session: SessionDep, viewer: Viewer) -> DocumentationService:
    return DocumentationService(session, viewer.principal.business_id, http=request.app.state.http)


def _lines(text: str) -> list[str]:
    return [line.strip() for line in text.splitlines() if line.strip()]


def _source_fields(
    name: str, url: str, max_pages: str, include: str, exclude: str, resync: str
) -> dict[str, Any]:
    fields: dict[str, Any] = {"url": url.strip()}
    if name.strip():
        fields["name"] = name.strip()
    if max_pages.strip():
        fields["max_pages"] = max_pages.strip()
    fields["include_patterns"] = _lines(include)
    fields["exclude_patterns"] = _lines(exclude)
    fields["resync_interval_hours"] = resync.strip() or None
    return fields


Text = Annotated[str, Form(max_length=10_000)]


@router.post("/sources", summary="Add a documentation source")
async def add_source(
    request: Request,
    viewer: SourceWriter,
    session: SessionDep,
    url: Annotated[str, Form(max_length=2000)],
    name: Annotated[str, Form(max_length=200)] = "",
    max_pages: Annotated[str, Form(max_length=10)] = "",
    include_patterns: Text = "",
    exclude_patterns: Text = "",
    resync_interval_hours: Annotated[str, Form(max_length=10)] = "24",
) -> Response:
    fields = _source_fields(
        name, url, max_pages, include_patterns, exclude_patterns, resync_interval_hours
    )
    await _service(request, session, viewer).create(parsed(SourceCreate, fields))
    return redirect(request, "/app/knowledge#sources")


@router.get("/sources/{source_id}", summary="Edit a documentation source")
async def source_page(
    request: Request, source_id: uuid.UUID, viewer: SourceReader, session: SessionDep
) -> Response:
    source = SourceOut.model_validate(await _service(request, session, viewer).get(source_id))
    return render(
        request,
        "source.html",
        viewer,
        source=source,
        can_write=viewer.can(source_routes.Writer),
    )


@router.post("/sources/{source_id}", summary="Save a documentation source")
async def edit_source(
    request: Request,
    source_id: uuid.UUID,
    viewer: SourceWriter,
    session: SessionDep,
    url: Annotated[str, Form(max_length=2000)],
    name: Annotated[str, Form(max_length=200)] = "",
    max_pages: Annotated[str, Form(max_length=10)] = "",
    include_patterns: Text = "",
    exclude_patterns: Text = "",
    resync_interval_hours: Annotated[str, Form(max_length=10)] = "",
) -> Response:
    fields = _source_fields(
        name, url, max_pages, include_patterns, exclude_patterns, resync_interval_hours
    )
    await _service(request, session, viewer).update(source_id, parsed(SourceUpdate, fields))
    return redirect(request, f"/app/knowledge/sources/{source_id}")


@router.post("/sources/{source_id}/delete", summary="Delete a documentation source")
async def delete_source(
    request: Request, source_id: uuid.UUID, viewer: SourceWriter, session: SessionDep
) -> Response:
    await _service(request, session, viewer).delete(source_id)
    return redirect(request, "/app/knowledge#sources")


@router.post("/sources/{source_id}/sync", summary="Sync a documentation source now")
async def sync_now(
    request: Request, source_id: uuid.UUID, viewer: SourceWriter, session: SessionDep
) -> Response:
    sync = await _service(request, session, viewer).start_sync(source_id, SyncStart())
    return redirect(request, f"/app/knowledge/syncs/{sync.id}")


async def _render_sync(
    request: Request, session: SessionDep, viewer: Viewer, sync_id: uuid.UUID, template: str
) -> Response:
    """The sync page and its self-refreshing part show the same progress."""
    service = _service(request, session, viewer)
    sync = await service.describe(await service.get_sync(sync_id))
    return render(
        request,
        template,
        viewer,
        sync=sync,
        ended=sync.status.value in ENDED,
        can_write=viewer.can(source_routes.Writer),
    )


@router.get("/syncs/{sync_id}", summary="A sync's progress, live")
async def sync_page(
    request: Request, sync_id: uuid.UUID, viewer: SourceReader, session: SessionDep
) -> Response:
    return await _render_sync(request, session, viewer, sync_id, "sync.html")


@router.get("/syncs/{sync_id}/progress", summary="A sync's progress (the page's live part)")
async def sync_progress(
    request: Request, sync_id: uuid.UUID, viewer: SourceReader, session: SessionDep
) -> Response:
    return await _render_sync(request, session, viewer, sync_id, "_sync_progress.html")


@router.post("/syncs/{sync_id}/cancel", summary="Cancel a sync")
async def cancel_sync(
    request: Request, sync_id: uuid.UUID, viewer: SourceWriter, session: SessionDep
) -> Response:
    await _service(request, session, viewer).cancel_sync(sync_id)
    return redirect(request, f"/app/knowledge/syncs/{sync_id}")
