"""The knowledge page: documentation sources, uploaded documents, a search box showing what
the agent would find, and the knowledge-gap report; uploads and deletes of documents."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Annotated

from fastapi import APIRouter, File, Form, Query, Request, UploadFile
from fastapi.responses import Response

from aicaller.api.deps import CacheDep, SessionDep, SettingsDep
from aicaller.console.deps import Viewer, may, redirect, render
from aicaller.core.errors import ValidationError
from aicaller.knowledge.documents import routes as document_routes
from aicaller.knowledge.documents.schemas import DocumentOut
from aicaller.knowledge.documents.service import DocumentService
from aicaller.knowledge.gaps.schemas import KnowledgeGapOut
from aicaller.knowledge.gaps.service import KnowledgeGapService
from aicaller.knowledge.search.schemas import SearchResult
from aicaller.knowledge.search.service import SearchService
from aicaller.knowledge.sources import routes as source_routes
from aicaller.knowledge.sources.schemas import SourceOut
from aicaller.knowledge.sources.service import DocumentationService

router = APIRouter(prefix="/app/knowledge")
KnowledgeReader = Annotated[Viewer, may(document_routes.Reader)]
DocumentWriter = Annotated[Viewer, may(document_routes.Writer)]
PAGE = "/app/knowledge"
LISTED = 50
GAP_DAYS = 30


@router.get("", summary="Sources, documents, search and knowledge gaps")
async def knowledge(
    request: Request,
    viewer: KnowledgeReader,
    session: SessionDep,
    cache: CacheDep,
    q: Annotated[str, Query(max_length=500)] = "",
) -> Response:
    business = viewer.principal.business_id
    sources = await DocumentationService(session, business).page(limit=LISTED, cursor=None)
    documents = await DocumentService(session, business, cache).page(limit=LISTED, cursor=None)
    since = datetime.now(UTC) - timedelta(days=GAP_DAYS)
    gaps = await KnowledgeGapService(session, business).top(since=since, limit=10)
    results: list[SearchResult] = []
    if query := q.strip():
        if "\x00" in query:
            raise ValidationError("The search must not contain NUL characters")
        _terms, hits = await SearchService(session, business, cache).search(query, limit=5)
        results = [SearchResult.from_hit(hit) for hit in hits]
    return render(
        request,
        "knowledge.html",
        viewer,
        sources=[SourceOut.model_validate(s) for s in sources.items],
        documents=[DocumentOut.model_validate(d) for d in documents.items],
        gaps=[KnowledgeGapOut.model_validate(g) for g in gaps],
        gap_days=GAP_DAYS,
        q=query,
        results=results,
        can_write_sources=viewer.can(source_routes.Writer),
        can_write_documents=viewer.can(document_routes.Writer),
    )


@router.post("/documents", summary="Upload a document")
async def upload_document(
    request: Request,
    viewer: DocumentWriter,
    session: SessionDep,
    cache: CacheDep,
    settings: SettingsDep,
    file: Annotated[UploadFile, File()],
    title: Annotated[str, Form(max_length=500)] = "",
) -> Response:
    if "\x00" in title:
        raise ValidationError("The title must not contain NUL characters")
    limit = settings.knowledge_max_upload_bytes
    data = await file.read(limit + 1)
    service = DocumentService(session, viewer.principal.business_id, cache)
    await service.upload(
        file.filename or "upload", data, title=title.strip() or None, max_bytes=limit
    )
    # A new address (not only a new #fragment), so the browser loads the page again.
    return redirect(request, f"{PAGE}?uploaded=1#documents")


@router.post("/documents/{document_id}/delete", summary="Delete a document")
async def delete_document(
    request: Request,
    document_id: uuid.UUID,
    viewer: DocumentWriter,
    session: SessionDep,
    cache: CacheDep,
) -> Response:
    await DocumentService(session, viewer.principal.business_id, cache).delete(document_id)
    return redirect(request, f"{PAGE}#documents")
