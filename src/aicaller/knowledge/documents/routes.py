"""``/api/v1/knowledge/documents``: uploaded documents (crawled pages are listed too)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Annotated

from fastapi import APIRouter, Depends, File, Form, Response, UploadFile, status
from pydantic import AfterValidator
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.deps import CacheDep, PaginationDep, SessionDep, SettingsDep, require_role
from aicaller.api.problems import problem_responses
from aicaller.api.schemas import Page
from aicaller.core.cache import AppCache
from aicaller.knowledge.documents.schemas import DocumentDetail, DocumentOut
from aicaller.knowledge.documents.service import DocumentService
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
class _Documents:
    session: AsyncSession
    cache: AppCache

    def of(self, principal: Principal) -> DocumentService:
        return DocumentService(self.session, principal.business_id, self.cache)


async def _documents(session: SessionDep, cache: CacheDep) -> _Documents:
    return _Documents(session, cache)


Documents = Annotated[_Documents, Depends(_documents)]


def _no_nul(value: str | None) -> str | None:
    if value is not None and "\x00" in value:
        raise ValueError("text must not contain NUL (\\u0000) characters")
    return value


@router.post(
    "/documents",
    response_model=DocumentOut,
    status_code=status.HTTP_201_CREATED,
    summary="Upload a document (txt, md, html, pdf, docx)",
    responses=problem_responses(413),
)
async def upload_document(
    principal: Writer,
    documents: Documents,
    settings: SettingsDep,
    file: Annotated[UploadFile, File(description="The document")],
    title: Annotated[
        str | None, Form(min_length=1, max_length=500), AfterValidator(_no_nul)
    ] = None,
) -> DocumentOut:
    limit = settings.knowledge_max_upload_bytes
    data = await file.read(limit + 1)  # one byte over the limit is enough to refuse it
    document = await documents.of(principal).upload(
        file.filename or "upload", data, title=title, max_bytes=limit
    )
    return DocumentOut.model_validate(document)


@router.get("/documents", response_model=Page[DocumentOut], summary="Documents, newest first")
async def list_documents(
    principal: Reader, documents: Documents, page: PaginationDep
) -> Page[DocumentOut]:
    result = await documents.of(principal).page(limit=page.limit, cursor=page.cursor)
    items = [DocumentOut.model_validate(document) for document in result.items]
    return Page(items=items, next_cursor=result.next_cursor)


@router.get(
    "/documents/{document_id}",
    response_model=DocumentDetail,
    summary="One document with its extracted text",
    responses=problem_responses(404),
)
async def get_document(
    document_id: uuid.UUID, principal: Reader, documents: Documents
) -> DocumentDetail:
    return DocumentDetail.model_validate(await documents.of(principal).get(document_id))


@router.delete(
    "/documents/{document_id}",
    status_code=status.HTTP_204_NO_CONTENT,
    summary="Delete a document and its search entries",
    responses=problem_responses(404),
)
async def delete_document(
    document_id: uuid.UUID, principal: Writer, documents: Documents
) -> Response:
    await documents.of(principal).delete(document_id)
    return Response(status_code=status.HTTP_204_NO_CONTENT)
