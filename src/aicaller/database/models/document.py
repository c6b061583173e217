"""Knowledge documents (uploads, later crawled pages) and the chunks search runs over."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class DocumentKind(StrEnum):
    UPLOAD = "upload"
    PAGE = "page"


KIND_VALUES = tuple(k.value for k in DocumentKind)


class Document(TenantMixin, Base):
    __tablename__ = "documents"
    __table_args__ = (
        CheckConstraint(f"kind IN {KIND_VALUES!r}", name="kind_valid"),
        Index("ix_documents_business_created", "business_id", "created_at", "id"),
    )

    kind: Mapped[str] = mapped_column(String(16))
    # The documentation source a crawled page came from (None for uploads). Deliberately no
    # foreign key: adding one to an existing SQLite table means rebuilding it, and dropping the
    # old table would cascade-delete every chunk. Deleting a source deletes its pages itself.
    source_id: Mapped[uuid.UUID | None] = mapped_column(default=None, index=True)
    title: Mapped[str] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2048), default=None)
    filename: Mapped[str | None] = mapped_column(String(255), default=None)
    media_type: Mapped[str] = mapped_column(String(100))
    size_bytes: Mapped[int]
    # The extracted text as markdown (headings kept); chunks are cut from it.
    content: Mapped[str] = mapped_column(Text)
    content_hash: Mapped[str] = mapped_column(String(64))
    chunk_count: Mapped[int] = mapped_column(default=0)
    # Its one-line description (``knowledge/documents/description.py``), empty when its first
    # paragraph is longer: search weighs it as it weighs the title (ADR 0046).
    description: Mapped[str] = mapped_column(String(100), default="", server_default="")


class Chunk(TenantMixin, Base):
    """A searchable piece of a document.

    The search index lives beside this table and is maintained by the database itself (created
    by the migrations, not the models): on SQLite the FTS5 table ``chunks_fts`` kept in step by
    triggers, each business's chunks in their own rowid range (``chunks_fts_tenants``); on
    PostgreSQL the generated ``search_vector`` column with a GIN index.
    """

    __tablename__ = "chunks"
    __table_args__ = (UniqueConstraint("document_id", "ordinal"),)

    document_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("documents.id", ondelete="CASCADE"))
    ordinal: Mapped[int]
    title: Mapped[str] = mapped_column(String(500))
    heading_path: Mapped[str] = mapped_column(String(1000))
    text: Mapped[str] = mapped_column(Text)
    token_count: Mapped[int]
