"""Queries for a business's embeddings endpoint and its chunks' vectors, tenant-scoped."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import Uuid, delete, exists, func, literal_column, or_, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.database.models import Chunk, ChunkEmbedding, Document, EmbeddingConfig, Job
from aicaller.database.models.embedding import EmbeddingStatus
from aicaller.database.models.job import JobStatus
from aicaller.database.repository import BaseRepository
from aicaller.knowledge.search.backend import SearchHit


@dataclass(frozen=True, slots=True)
class PendingChunk:
    id: uuid.UUID
    document_id: uuid.UUID
    text: str  # what is embedded: the chunk's title and headings, then its text


class EmbeddingConfigRepository(BaseRepository[EmbeddingConfig]):
    model = EmbeddingConfig
    not_found_code = "embeddings_not_configured"

    async def current(self) -> EmbeddingConfig | None:
        return await self.find_one()


class ChunkVectorRepository(BaseRepository[ChunkEmbedding]):
    model = ChunkEmbedding

    async def pending(self, limit: int) -> list[PendingChunk]:
        """Chunks of the business without a vector, in a stable order."""
        has_vector = exists().where(ChunkEmbedding.id == Chunk.id)
        stmt = (
            select(Chunk.id, Chunk.document_id, Chunk.title, Chunk.heading_path, Chunk.text)
            .where(Chunk.business_id == self.business_id, ~has_vector)
            .order_by(Chunk.id)
            .limit(limit)
        )
        rows = (await self.session.execute(stmt)).all()
        return [PendingChunk(row.id, row.document_id, _embedded_text(row)) for row in rows]

    async def add(self, rows: Sequence[tuple[uuid.UUID, uuid.UUID, bytes]]) -> None:
        """Store (chunk id, document id, vector) rows; a chunk that has one keeps it (two
        workers may embed the same chunk; either vector will do)."""
        if not rows:
            return
        dialect = self.session.get_bind().dialect.name
        insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
        values: list[dict[str, Any]] = [
            {"id": chunk, "document_id": document, "vector": vector,
             "business_id": self.business_id}
            for chunk, document, vector in rows
        ]  # fmt: skip
        stmt = insert(ChunkEmbedding).on_conflict_do_nothing(index_elements=["id"])
        await self.session.execute(stmt, values)

    async def counts(self) -> tuple[int, int]:
        """(chunks, chunks with a vector) of the business."""
        chunks = (
            select(func.count()).select_from(Chunk).where(Chunk.business_id == self.business_id)
        )
        vectors = select(func.count()).select_from(ChunkEmbedding).where(self._tenant_condition())
        return (
            int((await self.session.execute(chunks)).scalar_one()),
            int((await self.session.execute(vectors)).scalar_one()),
        )

    async def all_vectors(self) -> tuple[list[uuid.UUID], list[uuid.UUID], list[bytes]]:
        """(chunk ids, their pages' ids, their stored vectors) of the business."""
        stmt = select(ChunkEmbedding.id, ChunkEmbedding.document_id, ChunkEmbedding.vector).where(
            self._tenant_condition()
        )
        rows = (await self.session.execute(stmt)).all()
        return [row[0] for row in rows], [row[1] for row in rows], [row[2] for row in rows]

    async def delete_all(self) -> None:
        await self.session.execute(delete(ChunkEmbedding).where(self._tenant_condition()))

    async def hits(self, chunk_ids: Sequence[uuid.UUID]) -> dict[uuid.UUID, SearchHit]:
        """Search hits (score 0, no snippet) for the business's chunks among ``chunk_ids``."""
        if not chunk_ids:
            return {}
        tenant = Chunk.business_id == self.business_id
        if self.session.get_bind().dialect.name == "sqlite":
            # Without statistics SQLite reads the tenant's every chunk by its business index
            # (seconds at 100,000 chunks) rather than the few ids by the primary key; the unary
            # plus keeps the condition but not that index.
            tenant = literal_column("+chunks.business_id", Uuid()) == self.business_id
        stmt = (
            select(Chunk.id, Chunk.document_id, Chunk.title, Document.url, Chunk.heading_path,
                   Chunk.text)
            .join(Document, Document.id == Chunk.document_id)
            .where(tenant, Chunk.id.in_(list(chunk_ids)))
        )  # fmt: skip
        return {
            row.id: SearchHit(row.id, row.document_id, row.title, row.url, row.heading_path,
                              row.text, "", 0.0)
            for row in (await self.session.execute(stmt)).all()
        }  # fmt: skip


def _embedded_text(row: Any) -> str:
    heading = row.heading_path or ""
    head = heading if heading.startswith(row.title) else f"{row.title} > {heading}".rstrip("> ")
    return f"{head}\n\n{row.text}"


async def indexing_job_active(session: AsyncSession, business_id: uuid.UUID, name: str) -> bool:
    """Whether the business has a job ``name`` waiting or running."""
    stmt = select(
        exists().where(
            Job.business_id == business_id,
            Job.name == name,
            Job.status.in_([JobStatus.QUEUED.value, JobStatus.RUNNING.value]),
        )
    )
    return bool((await session.execute(stmt)).scalar_one())


async def businesses_to_index(session: AsyncSession, failed_before: datetime) -> list[uuid.UUID]:
    """Across tenants (the sweep): businesses with an endpoint and a chunk without a vector,
    unless their indexing failed after ``failed_before``."""
    pending = exists().where(
        Chunk.business_id == EmbeddingConfig.business_id,
        ~exists().where(ChunkEmbedding.id == Chunk.id),
    )
    stmt = select(EmbeddingConfig.business_id).where(
        or_(
            EmbeddingConfig.status != EmbeddingStatus.FAILED.value,
            EmbeddingConfig.failed_at < failed_before,
        ),
        pending,
    )
    return list((await session.execute(stmt)).scalars())
