"""knowledge: embeddings endpoint per business and the vectors of its chunks (issue 20)

Revision ID: 0019
Revises: 0018
Create Date: 2026-12-07 05:00:00

New tables only: nothing changes for a business that configures no endpoint.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0019"
down_revision: str | None = "0021"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _tenant(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["business_id"],
        ["businesses.id"],
        name=op.f(f"fk_{table}_business_id_businesses"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "embedding_configs",
        sa.Column("base_url", sa.String(500), nullable=False),
        sa.Column("model", sa.String(200), nullable=False),
        sa.Column("api_key_encrypted", sa.Text(), nullable=True),
        sa.Column("dimensions", sa.Integer(), nullable=True),
        sa.Column("min_similarity", sa.Double(), nullable=False),
        sa.Column("status", sa.String(16), nullable=False),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("failed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "status IN ('idle', 'indexing', 'failed')",
            name=op.f("ck_embedding_configs_status_valid"),
        ),
        _tenant("embedding_configs"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_embedding_configs")),
        sa.UniqueConstraint("business_id", name=op.f("uq_embedding_configs_business_id")),
    )
    op.create_index(op.f("ix_embedding_configs_business_id"), "embedding_configs", ["business_id"])
    op.create_index(op.f("ix_embedding_configs_created_at"), "embedding_configs", ["created_at"])
    op.create_table(
        "chunk_embeddings",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("document_id", sa.Uuid(), nullable=False),
        sa.Column("vector", sa.LargeBinary(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.ForeignKeyConstraint(
            ["id"], ["chunks.id"], name=op.f("fk_chunk_embeddings_id_chunks"), ondelete="CASCADE"
        ),
        _tenant("chunk_embeddings"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_chunk_embeddings")),
    )
    op.create_index(op.f("ix_chunk_embeddings_business_id"), "chunk_embeddings", ["business_id"])
    op.create_index(op.f("ix_chunk_embeddings_created_at"), "chunk_embeddings", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_chunk_embeddings_created_at"), table_name="chunk_embeddings")
    op.drop_index(op.f("ix_chunk_embeddings_business_id"), table_name="chunk_embeddings")
    op.drop_table("chunk_embeddings")
    op.drop_index(op.f("ix_embedding_configs_created_at"), table_name="embedding_configs")
    op.drop_index(op.f("ix_embedding_configs_business_id"), table_name="embedding_configs")
    op.drop_table("embedding_configs")
