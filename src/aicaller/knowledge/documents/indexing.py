"""Storing a document's text and (re)building its chunks: shared by uploads and syncs."""

from __future__ import annotations

import hashlib
import uuid

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import Document
from aicaller.database.models.document import DocumentKind
from aicaller.knowledge.chunking import chunk_markdown
from aicaller.knowledge.documentation_scraper.parse import PageText, without_nul
from aicaller.knowledge.documents.description import page_description
from aicaller.knowledge.documents.repository import ChunkRepository, DocumentRepository


def content_hash(markdown: str) -> str:
    return hashlib.sha256(markdown.encode()).hexdigest()


class DocumentIndexer:
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.documents = DocumentRepository(session, business_id)
        self.chunks = ChunkRepository(session, business_id)

    async def create(self, *, title: str, markdown: str, **fields: object) -> Document:
        title, markdown = without_nul(title), without_nul(markdown)
        pieces = chunk_markdown(title, markdown)
        document = await self.documents.create(
            title=title, content=markdown, content_hash=content_hash(markdown),
            chunk_count=len(pieces), description=page_description(markdown), **fields,
        )  # fmt: skip
        await self.chunks.add_many(document.id, document.title, pieces)
        return document

    async def store_pages(
        self, source_id: uuid.UUID, pages: list[tuple[str, uuid.UUID | None, PageText]]
    ) -> dict[str, uuid.UUID]:
        """Create or replace the documents and chunks of ``(url, document id or None, text)``
        pages: one statement per table for the whole batch. Returns each URL's document id."""
        existing = {doc.id: doc for doc in await self.documents.many([d for _, d, _ in pages if d])}
        stored: dict[str, uuid.UUID] = {}
        new_rows: list[dict[str, object]] = []
        chunk_rows: list[dict[str, object]] = []
        for url, document_id, text in pages:
            fields = {
                "title": text.title, "content": text.markdown, "content_hash": text.content_hash,
                "size_bytes": text.size_bytes, "chunk_count": len(text.chunks),
                "description": page_description(text.markdown),
            }  # fmt: skip
            document = existing.get(document_id) if document_id else None
            if document is None:
                stored[url] = uuid.uuid4()
                new_rows.append({
                    "id": stored[url], "kind": DocumentKind.PAGE.value, "url": url,
                    "source_id": source_id, "media_type": "text/html", **fields,
                })  # fmt: skip
            else:
                stored[url] = document.id
                for name, value in fields.items():
                    setattr(document, name, value)  # flushed before the chunks' DELETE
            chunk_rows += self.chunks.rows(stored[url], text.title, text.chunks)
        await self.chunks.delete_for(*existing)
        await self.documents.insert_rows(new_rows)
        await self.chunks.insert_rows(chunk_rows)
        return stored
