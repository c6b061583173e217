"""Queries for knowledge documents and their chunks, scoped to one business."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, select

from aicaller.database.models import Chunk, Document
from aicaller.database.repository import BaseRepository
from aicaller.knowledge.chunking import ChunkText


class DocumentRepository(BaseRepository[Document]):
    model = Document
    not_found_code = "document_not_found"

    async def upload_filenames(self) -> set[str]:
        stmt = select(Document.filename).where(
            self._tenant_condition(), Document.filename.is_not(None)
        )
        return {name for name in (await self.session.execute(stmt)).scalars() if name}

    async def delete_for_source(self, source_id: uuid.UUID) -> None:
        """The crawled pages of a source (their chunks go by cascade)."""
        await self.session.execute(
            delete(Document).where(self._tenant_condition(), Document.source_id == source_id)
        )


class ChunkRepository(BaseRepository[Chunk]):
    model = Chunk

    async def add_many(self, document_id: uuid.UUID, title: str, chunks: list[ChunkText]) -> None:
        """Insert a document's chunks in one batch (the database indexes them for search)."""
        self.session.add_all(
            Chunk(
                id=chunk.chunk_id(document_id),
                business_id=self.business_id,
                document_id=document_id,
                ordinal=chunk.ordinal,
                title=title,
                heading_path=chunk.heading_path,
                text=chunk.text,
                token_count=chunk.token_count,
            )
            for chunk in chunks
        )
        await self.session.flush()

    async def delete_for(self, document_id: uuid.UUID) -> None:
        await self.session.execute(
            delete(Chunk).where(self._tenant_condition(), Chunk.document_id == document_id)
        )
