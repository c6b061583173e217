"""The documents of one business's knowledge base: uploads, reading and deleting them
(crawled pages arrive through the documentation sources, ``knowledge.sources``)."""

from __future__ import annotations

import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.core.cache import AppCache
from aicaller.core.errors import AppError
from aicaller.database.models import Document
from aicaller.database.models.document import DocumentKind
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.knowledge.documentation_scraper.parse import without_nul
from aicaller.knowledge.documents.document_processor import process_upload
from aicaller.knowledge.documents.indexing import DocumentIndexer
from aicaller.knowledge.documents.repository import DocumentRepository
from aicaller.knowledge.embeddings.service import request_indexing


class DocumentTooLarge(AppError):
    status = 413
    code = "document_too_large"
    title = "Content Too Large"


class DocumentService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.documents = DocumentRepository(session, business_id)
        self.business = BusinessService(session, business_id, cache)

    async def upload(
        self, filename: str, data: bytes, *, title: str | None, max_bytes: int
    ) -> Document:
        """Parse, store, chunk and index an uploaded file."""
        if len(data) > max_bytes:
            raise DocumentTooLarge(f"Uploads are limited to {max_bytes:,} bytes")
        filename = without_nul(filename)  # as a client may send it; PostgreSQL cannot store it
        processed = await process_upload(filename, data, title)
        document = await DocumentIndexer(self.session, self.business_id).create(
            title=processed.title,
            markdown=processed.markdown,
            kind=DocumentKind.UPLOAD.value,
            filename=filename[:255],
            media_type=processed.media_type,
            size_bytes=len(data),
        )
        await self.business.bump_knowledge_version()
        await request_indexing(self.session, self.business_id)  # when it has an endpoint
        return document

    async def page(self, *, limit: int, cursor: str | None) -> Page[Document]:
        return await self.documents.paginate(limit=limit, cursor=cursor)

    async def filenames(self) -> set[str]:
        """The file names of the business's uploaded documents."""
        return await self.documents.upload_filenames()

    async def texts(self) -> list[str]:
        """Every document's title and text (the offline recogniser learns the business's
        words from them: ``aicaller.voice.speech.business_lm``)."""
        return await self.documents.texts()

    async def get(self, document_id: uuid.UUID) -> Document:
        return await self.documents.get_or_raise(document_id)

    async def delete(self, document_id: uuid.UUID) -> None:
        """Delete the document; its chunks and their index entries go with it."""
        await self.documents.delete(await self.documents.get_or_raise(document_id))
        await self.business.bump_knowledge_version()
