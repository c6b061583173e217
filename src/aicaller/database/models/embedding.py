"""Semantic retrieval: a business's embeddings endpoint and the vectors of its chunks."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, LargeBinary, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class EmbeddingStatus(StrEnum):
    IDLE = "idle"  # every chunk has its vector, or nothing asked for one yet
    INDEXING = "indexing"  # a job is embedding chunks
    FAILED = "failed"  # the endpoint failed every attempt: see last_error, retried later


STATUS_VALUES = tuple(s.value for s in EmbeddingStatus)


class EmbeddingConfig(TenantMixin, Base):
    """The OpenAI-compatible ``/embeddings`` endpoint of one business (at most one row each);
    the key is encrypted at rest like the Twilio token."""

    __tablename__ = "embedding_configs"
    __table_args__ = (
        CheckConstraint(f"status IN {STATUS_VALUES!r}", name="status_valid"),
        UniqueConstraint("business_id"),
    )

    base_url: Mapped[str] = mapped_column(String(500))
    model: Mapped[str] = mapped_column(String(200))
    api_key_encrypted: Mapped[str | None] = mapped_column(Text, default=None)
    # Learned from the first answer; every vector of the business has this many dimensions.
    dimensions: Mapped[int | None] = mapped_column(default=None)
    # Chunks less similar to a question than this are not semantic results: every question has
    # nearest chunks, and one about nothing the business does must not get any. It depends on
    # the model (all-MiniLM-L6-v2 and text-embedding-3 put unrelated text below 0.2).
    min_similarity: Mapped[float] = mapped_column(default=0.3)
    status: Mapped[str] = mapped_column(String(16), default=EmbeddingStatus.IDLE.value)
    last_error: Mapped[str | None] = mapped_column(Text, default=None)
    failed_at: Mapped[datetime | None] = mapped_column(default=None)


class ChunkEmbedding(TenantMixin, Base):
    """The vector of one chunk: ``id`` is the chunk's id, so a chunk deleted (a re-sync, a
    deleted document) takes its vector with it. Stored as little-endian float16, unit length."""

    __tablename__ = "chunk_embeddings"

    id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("chunks.id", ondelete="CASCADE"), primary_key=True
    )
    # The chunk's page, kept here so a search ranks pages from this table alone.
    document_id: Mapped[uuid.UUID]
    vector: Mapped[bytes] = mapped_column(LargeBinary)
