"""documentation sources, syncs and pages (crawl frontier and page cache)

Revision ID: 0006
Revises: 0005
Create Date: 2026-11-26 07:51:12
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "documentation_sources",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("include_patterns", sa.JSON(), nullable=False),
        sa.Column("exclude_patterns", sa.JSON(), nullable=False),
        sa.Column("max_pages", sa.Integer(), nullable=False),
        sa.Column("max_depth", sa.Integer(), nullable=False),
        sa.Column("max_page_bytes", sa.Integer(), nullable=False),
        sa.Column("delay_seconds", sa.Double(), nullable=False),
        sa.Column("concurrency", sa.Integer(), nullable=False),
        sa.Column("resync_interval_hours", sa.Integer(), nullable=True),
        sa.Column("last_synced_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_documentation_sources_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_documentation_sources")),
    )
    with op.batch_alter_table("documentation_sources", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_documentation_sources_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_documentation_sources_created_at"), ["created_at"], unique=False
        )

    op.create_table(
        "sync_jobs",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("force", sa.Boolean(), nullable=False),
        sa.Column("discovered", sa.Integer(), nullable=False),
        sa.Column("fetched", sa.Integer(), nullable=False),
        sa.Column("unchanged", sa.Integer(), nullable=False),
        sa.Column("skipped", sa.Integer(), nullable=False),
        sa.Column("failed", sa.Integer(), nullable=False),
        sa.Column("indexed", sa.Integer(), nullable=False),
        sa.Column("removed", sa.Integer(), nullable=False),
        sa.Column("requests", sa.Integer(), nullable=False),
        sa.Column("capped", sa.Boolean(), nullable=False),
        sa.Column("current_url", sa.String(length=2048), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "status IN ('pending', 'running', 'completed', 'failed', 'cancelled')",
            name=op.f("ck_sync_jobs_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_sync_jobs_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["documentation_sources.id"],
            name=op.f("fk_sync_jobs_source_id_documentation_sources"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_jobs")),
    )
    with op.batch_alter_table("sync_jobs", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_sync_jobs_business_id"), ["business_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_sync_jobs_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_sync_jobs_source_created", ["source_id", "created_at"], unique=False
        )

    op.create_table(
        "sync_pages",
        sa.Column("source_id", sa.Uuid(), nullable=False),
        sa.Column("url", sa.String(length=2048), nullable=False),
        sa.Column("depth", sa.Integer(), nullable=False),
        sa.Column("sync_id", sa.Uuid(), nullable=True),
        sa.Column("state", sa.String(length=16), nullable=False),
        sa.Column("etag", sa.String(length=512), nullable=True),
        sa.Column("last_modified", sa.String(length=64), nullable=True),
        sa.Column("content_hash", sa.String(length=64), nullable=True),
        sa.Column("fetched_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("http_status", sa.Integer(), nullable=True),
        sa.Column("links", sa.JSON(), nullable=False),
        sa.Column("error_code", sa.String(length=64), nullable=True),
        sa.Column("error_message", sa.Text(), nullable=True),
        sa.Column("document_id", sa.Uuid(), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "state IN ('queued', 'done', 'skipped', 'failed', 'gone')",
            name=op.f("ck_sync_pages_state_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_sync_pages_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["document_id"],
            ["documents.id"],
            name=op.f("fk_sync_pages_document_id_documents"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["source_id"],
            ["documentation_sources.id"],
            name=op.f("fk_sync_pages_source_id_documentation_sources"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["sync_id"],
            ["sync_jobs.id"],
            name=op.f("fk_sync_pages_sync_id_sync_jobs"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_sync_pages")),
        sa.UniqueConstraint("source_id", "url", name=op.f("uq_sync_pages_source_id_url")),
    )
    with op.batch_alter_table("sync_pages", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_sync_pages_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_sync_pages_created_at"), ["created_at"], unique=False)
        batch_op.create_index(
            "ix_sync_pages_sync_state", ["sync_id", "state", "depth"], unique=False
        )

    # Plain ALTER TABLE (no batch): rebuilding documents on SQLite would cascade to chunks.
    op.add_column("documents", sa.Column("source_id", sa.Uuid(), nullable=True))
    op.create_index("ix_documents_source_id", "documents", ["source_id"])


def downgrade() -> None:
    op.execute("DELETE FROM documents WHERE source_id IS NOT NULL")  # crawled pages
    op.drop_index("ix_documents_source_id", table_name="documents")
    op.execute("ALTER TABLE documents DROP COLUMN source_id")  # SQLite >= 3.35, no rebuild

    with op.batch_alter_table("sync_pages", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_pages_sync_state")
        batch_op.drop_index(batch_op.f("ix_sync_pages_created_at"))
        batch_op.drop_index(batch_op.f("ix_sync_pages_business_id"))

    op.drop_table("sync_pages")
    with op.batch_alter_table("sync_jobs", schema=None) as batch_op:
        batch_op.drop_index("ix_sync_jobs_source_created")
        batch_op.drop_index(batch_op.f("ix_sync_jobs_created_at"))
        batch_op.drop_index(batch_op.f("ix_sync_jobs_business_id"))

    op.drop_table("sync_jobs")
    with op.batch_alter_table("documentation_sources", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_documentation_sources_created_at"))
        batch_op.drop_index(batch_op.f("ix_documentation_sources_business_id"))

    op.drop_table("documentation_sources")
