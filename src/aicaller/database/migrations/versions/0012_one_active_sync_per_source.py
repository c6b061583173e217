"""sync jobs: at most one pending or running sync per documentation source

Revision ID: 0012
Revises: 0011
Create Date: 2026-12-06 22:00:00

Two active syncs of one source crawl into the same page rows and corrupt each other; starting
one checked for an active sync and inserted in separate steps, so a request and the re-sync
schedule could both start one. A partial unique index makes the database refuse the second.
Where older data already has several, the oldest stays and the others are cancelled (a
cancelled sync stops at its next checkpoint and writes nothing more).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

revision: str = "0012"
down_revision: str | None = "0011"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

INDEX = "uq_sync_jobs_one_active"
ACTIVE = ("pending", "running")
WHERE = "status IN ('pending', 'running')"  # as in the model, so autogenerate sees no drift
SUPERSEDED = "cancelled by migration 0012: another sync of this source was already active"


def _cancel_all_but_the_oldest_active_sync() -> None:
    jobs = sa.table(
        "sync_jobs",
        sa.column("id", sa.Uuid()),
        sa.column("source_id", sa.Uuid()),
        sa.column("status", sa.String()),
        sa.column("created_at", sa.DateTime(timezone=True)),
        sa.column("finished_at", sa.DateTime(timezone=True)),
        sa.column("error", sa.Text()),
    )
    older = jobs.alias("older")
    has_an_older_active_sync = (
        sa.exists()
        .where(
            older.c.source_id == jobs.c.source_id,
            older.c.status.in_(ACTIVE),
            sa.or_(
                older.c.created_at < jobs.c.created_at,
                sa.and_(older.c.created_at == jobs.c.created_at, older.c.id < jobs.c.id),
            ),
        )
        .correlate(jobs)
    )
    now = datetime.now(UTC)
    if op.get_bind().dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC there (see UTCDateTime)
    op.execute(
        jobs.update()
        .where(jobs.c.status.in_(ACTIVE), has_an_older_active_sync)
        .values(status="cancelled", finished_at=now, error=SUPERSEDED)
    )


def upgrade() -> None:
    _cancel_all_but_the_oldest_active_sync()
    op.create_index(
        INDEX,
        "sync_jobs",
        ["source_id"],
        unique=True,
        sqlite_where=sa.text(WHERE),
        postgresql_where=sa.text(WHERE),
    )


def downgrade() -> None:
    op.drop_index(INDEX, table_name="sync_jobs")
