"""analytics: calls by caller number and start (repeat callers)

Revision ID: 0009
Revises: 0008
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0009"
down_revision: str | None = "0008"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # "Did this number call again within 7 days": a range probe per inbound call.
    op.create_index(
        "ix_calls_business_from_started",
        "calls",
        ["business_id", "from_number", "started_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_calls_business_from_started", table_name="calls")
