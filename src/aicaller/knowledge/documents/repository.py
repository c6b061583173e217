"""Queries for knowledge documents and their chunks, scoped to one business.

A sync writes many pages per checkpoint, so rows go in as one multi-row INSERT per table (the
ORM's unit of work would flush, and build an object, per row)."""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import delete, insert, select

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

    async def texts(self) -> list[str]:
        stmt = select(Document.title, Document.content).where(self._tenant_condition())
        rows = await self.session.execute(stmt)
        return [f"{title}\n{content}" for title, content in rows]

    async def delete_for_source(self, source_id: uuid.UUID) -> None:
        """The crawled pages of a source (their chunks go by cascade)."""
        await self.session.execute(
            delete(Document).where(self._tenant_condition(), Document.source_id == source_id)
        )

    async def many(self, ids: list[uuid.UUID]) -> list[Document]:
        if not ids:
            return []
        stmt = self._select().where(Document.id.in_(ids))
        return list((await self.session.execute(stmt)).scalars())

    async def insert_rows(self, rows: list[dict[str, Any]]) -> None:
        """Insert documents (each with its ``id``) in one statement, owned by this tenant."""
        if rows:
            owned = [{**row, "business_id": self.business_id} for row in rows]
            await self.session.execute(insert(Document), owned)


class ChunkRepository(BaseRepository[Chunk]):
    model = Chunk

    def rows(
        self, document_id: uuid.UUID, title: str, chunks: list[ChunkText]
    ) -> list[dict[str, Any]]:
        """A document's chunks as rows for ``insert_rows``."""
        return [
            {
                "id": chunk.chunk_id(document_id),
                "business_id": self.business_id,
                "document_id": document_id,
                "ordinal": chunk.ordinal,
                "title": title,
                "heading_path": chunk.heading_path,
                "text": chunk.text,
                "token_count": chunk.token_count,
            }
            for chunk in chunks
        ]

    async def insert_rows(self, rows: list[dict[str, Any]]) -> None:
        """Insert chunks (the database indexes them for search). RETURNING makes SQLAlchemy
        send many rows a statement ("insertmanyvalues") where a plain bulk insert is an
        executemany, a statement a row: SQLite opens a savepoint for each statement that fires
        the FTS5 triggers, and FTS5 writes its pending index rows out at every savepoint; and
        PostgreSQL's lexeme counts (migration 0022) are updated once per statement, so a
        statement a row would give a common word's count row a new version per chunk."""
        if rows:
            await self.session.execute(insert(Chunk).returning(Chunk.id), rows)

    async def add_many(self, document_id: uuid.UUID, title: str, chunks: list[ChunkText]) -> None:
        await self.insert_rows(self.rows(document_id, title, chunks))

    async def delete_for(self, *document_ids: uuid.UUID) -> None:
        if document_ids:
            await self.session.execute(
                delete(Chunk).where(self._tenant_condition(), Chunk.document_id.in_(document_ids))
            )
