"""Storing a document's text and (re)building its chunks: shared by uploads and syncs."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import Document
from aicaller.database.models.document import DocumentKind
from aicaller.knowledge.chunking import chunk_markdown
from aicaller.knowledge.repository import ChunkRepository, DocumentRepository


def content_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode()).hexdigest()


class DocumentIndexer:
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.documents = DocumentRepository(session, business_id)
        self.chunks = ChunkRepository(session, business_id)

    async def create(self, *, title: str, markdown: str, **fields: object) -> Document:
        document = await self.documents.create(
            title=title, content=markdown, content_hash=content_hash(markdown), **fields
        )
        await self._rechunk(document)
        return document

    async def store_page(
        self, *, source_id: uuid.UUID, url: str, title: str, markdown: str,
        document_id: uuid.UUID | None,
    ) -> Document:  # fmt: skip
        """Create the page's document, or replace its text and chunks."""
        existing = await self.documents.get(document_id) if document_id else None
        if existing is None:
            return await self.create(
                title=title, markdown=markdown, kind=DocumentKind.PAGE.value, url=url,
                source_id=source_id, media_type="text/html",
                size_bytes=len(markdown.encode()),
            )  # fmt: skip
        await self.documents.update(
            existing, title=title, content=markdown, content_hash=content_hash(markdown),
            size_bytes=len(markdown.encode()),
        )  # fmt: skip
        await self.chunks.delete_for(existing.id)
        await self._rechunk(existing)
        return existing

    async def _rechunk(self, document: Document) -> None:
        pieces = chunk_markdown(document.title, document.content)
        await self.chunks.add_many(document.id, document.title, pieces)
        await self.documents.update(document, chunk_count=len(pieces))
