"""``/api/v1/knowledge``: uploaded documents and search over everything the agent knows."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Query, Response, UploadFile, status
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.deps import CacheDep, PaginationDep, SessionDep, SettingsDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.core.cache import AppCache
from aicaller.knowledge.documents.schemas import (
    DocumentDetail,
    DocumentOut,
    SearchResponse,
    SearchResult,
)
from aicaller.knowledge.documents.service import KnowledgeService
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, Scope

router = APIRouter(
    prefix="/knowledge",
    tags=["knowledge"],
    responses=problem_responses(400, 401, 403, 422, 429),
)
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.KNOWLEDGE_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.KNOWLEDGE_WRITE)]


@dataclass(frozen=True, slots=True)
class _Knowledge:
    session: AsyncSession
    cache: AppCache

    def of(self, principal: Principal) -> KnowledgeService:
        return KnowledgeService(self.session, principal.business_id, self.cache)


async def _knowledge(session: SessionDep, cache: CacheDep) -> _Knowledge:
    return _Knowledge(session, cache)


Knowledge = Annotated[_Knowledge, Depends(_knowledge)]


@router.get("/search", response_model=SearchResponse, summary="Search the knowledge base")
async def search(
    principal: Reader,
    knowledge: Knowledge,
    q: Annotated[str, Query(min_length=1, max_length=500, description="A question or keywords")],
    limit: Annotated[int, Query(ge=1, le=20)] = 5,
) -> SearchResponse:
    terms, hits = await knowledge.of(principal).search(q, limit=limit)
    results = [
        SearchResult(
            chunk_id=hit.chunk_id,
            document_id=hit.document_id,
            title=hit.title,
            url=hit.url,
            heading_path=hit.heading_path,
            snippet=hit.snippet,
            content=f"{hit.heading_path}\n\n{hit.text}",
            score=hit.score,
        )
        for hit in hits
    ]
    return SearchResponse(query=q, terms=terms, results=results)


@router.post(
    "/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a document (txt, md, html, pdf, docx)",
    responses=problem_responses(413),
)
async def upload_document(
    principal: Writer,
    knowledge: Knowledge,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The document")],
    title: Annotated[str | None, Form(min_length=1, max_length=500)] = None,
) -> DocumentOut:
    limit = settings.knowledge_max_upload_bytes
    data = await file.read(limit + 1)  # one byte over the limit is enough to refuse it
    document = await knowledge.of(principal).upload(
        file.filename or "upload", data, title=title, max_bytes=limit
    )
    return DocumentOut.model_validate(document)


@router.get("/documents", response_model=Page[DocumentOut], summary="Documents, newest first")
async def list_documents(
    principal: Reader, knowledge: Knowledge, page: PaginationDep
) -> Page[DocumentOut]:
    result = await knowledge.of(principal).page(limit=page.limit, cursor=page.cursor)
    items = [DocumentOut.model_validate(document) for document in result.items]
    return Page(items=items, next_cursor=result.next_cursor)


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    summary="One document with its extracted text",
    responses=problem_responses(404),
)
async def get_document(
    document_id: uuid.UUID, principal: Reader, knowledge: Knowledge
) -> DocumentDetail:
    return DocumentDetail.model_validate(await knowledge.of(principal).get(document_id))


@router.delete(
    "/documents/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a document and its search entries",
    responses=problem_responses(404),
)
async def delete_document(
    document_id: uuid.UUID, principal: Writer, knowledge: Knowledge
) -> Response:
    await knowledge.of(principal).delete(document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
