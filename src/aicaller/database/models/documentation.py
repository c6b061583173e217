"""Documentation sources, their syncs and the per-URL crawl state (frontier and page cache)."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import (
    JSON,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class SyncStatus(StrEnum):
    PENDING = "pending"
    RUNNING = "running"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"


class PageState(StrEnum):
    QUEUED = "queued"  # in this sync's frontier, not processed yet
    DONE = "done"  # fetched (or known unchanged) in this sync
    SKIPPED = "skipped"  # robots, not HTML, too large, canonical elsewhere
    FAILED = "failed"  # could not be fetched after retries
    GONE = "gone"  # 404/410


SYNC_STATUS_VALUES = tuple(s.value for s in SyncStatus)
PAGE_STATE_VALUES = tuple(s.value for s in PageState)
ACTIVE_SYNC = (SyncStatus.PENDING.value, SyncStatus.RUNNING.value)
# The rows one source may have only one of (migration 0012): a second active sync would crawl
# into the same page rows as the first.
ONE_ACTIVE_SYNC_INDEX = "uq_sync_jobs_one_active"
ACTIVE_SYNC_WHERE = f"status IN {ACTIVE_SYNC!r}"


class DocumentationSource(TenantMixin, Base):
    __tablename__ = "documentation_sources"

    name: Mapped[str] = mapped_column(String(200))
    url: Mapped[str] = mapped_column(String(2048))
    include_patterns: Mapped[list[str]] = mapped_column(JSON, default=list)
    exclude_patterns: Mapped[list[str]] = mapped_column(JSON, default=list)
    max_pages: Mapped[int] = mapped_column(default=500)
    max_depth: Mapped[int] = mapped_column(default=5)
    max_page_bytes: Mapped[int] = mapped_column(default=2 * 1024 * 1024)
    delay_seconds: Mapped[float] = mapped_column(default=0.0)
    concurrency: Mapped[int] = mapped_column(default=4)
    # None: manual syncs only. No column default: the ORM would put it in place of an explicit
    # None (the API's default, 24 hours, is in knowledge/source_schemas.py).
    resync_interval_hours: Mapped[int | None] = mapped_column(default=None)
    # The source's CSS selector for its pages' main content (None: by generator, else
    # trafilatura; see knowledge/documentation_scraper/generators).
    content_selector: Mapped[str | None] = mapped_column(String(500), default=None)
    last_synced_at: Mapped[datetime | None] = mapped_column(default=None)


class SyncJob(TenantMixin, Base):
    __tablename__ = "sync_jobs"
    __table_args__ = (
        CheckConstraint(f"status IN {SYNC_STATUS_VALUES!r}", name="status_valid"),
        Index("ix_sync_jobs_source_created", "source_id", "created_at"),
        Index(
            ONE_ACTIVE_SYNC_INDEX,
            "source_id",
            unique=True,
            sqlite_where=text(ACTIVE_SYNC_WHERE),
            postgresql_where=text(ACTIVE_SYNC_WHERE),
        ),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documentation_sources.id", ondelete="CASCADE")
    )
    status: Mapped[str] = mapped_column(String(16), default=SyncStatus.PENDING.value)
    force: Mapped[bool] = mapped_column(default=False)
    discovered: Mapped[int] = mapped_column(default=0)
    fetched: Mapped[int] = mapped_column(default=0)
    unchanged: Mapped[int] = mapped_column(default=0)
    skipped: Mapped[int] = mapped_column(default=0)
    failed: Mapped[int] = mapped_column(default=0)
    indexed: Mapped[int] = mapped_column(default=0)
    removed: Mapped[int] = mapped_column(default=0)
    requests: Mapped[int] = mapped_column(default=0)  # HTTP requests made, robots included
    capped: Mapped[bool] = mapped_column(default=False)  # stopped at max_pages: no pruning
    current_url: Mapped[str | None] = mapped_column(String(2048), default=None)
    started_at: Mapped[datetime | None] = mapped_column(default=None)
    finished_at: Mapped[datetime | None] = mapped_column(default=None)
    heartbeat_at: Mapped[datetime | None] = mapped_column(default=None)
    error: Mapped[str | None] = mapped_column(Text, default=None)


class SyncPage(TenantMixin, Base):
    """One URL of a source: its place in the current sync's frontier and its cached state."""

    __tablename__ = "sync_pages"
    __table_args__ = (
        CheckConstraint(f"state IN {PAGE_STATE_VALUES!r}", name="state_valid"),
        UniqueConstraint("source_id", "url"),
        Index("ix_sync_pages_sync_state", "sync_id", "state", "depth"),
    )

    source_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("documentation_sources.id", ondelete="CASCADE")
    )
    url: Mapped[str] = mapped_column(String(2048))
    depth: Mapped[int] = mapped_column(default=0)
    # The sync that last queued this URL: pages no completed sync reached again have vanished.
    sync_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("sync_jobs.id", ondelete="SET NULL"), default=None
    )
    state: Mapped[str] = mapped_column(String(16), default=PageState.QUEUED.value)
    etag: Mapped[str | None] = mapped_column(String(512), default=None)
    last_modified: Mapped[str | None] = mapped_column(String(64), default=None)
    content_hash: Mapped[str | None] = mapped_column(String(64), default=None)
    fetched_at: Mapped[datetime | None] = mapped_column(default=None)
    http_status: Mapped[int | None] = mapped_column(default=None)
    links: Mapped[list[str]] = mapped_column(JSON, default=list)
    error_code: Mapped[str | None] = mapped_column(String(64), default=None)
    error_message: Mapped[str | None] = mapped_column(Text, default=None)
    document_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("documents.id", ondelete="SET NULL"), default=None
    )
