"""knowledge: a documentation source's own CSS selector for its pages' main content

Revision ID: 0013
Revises: 0011
Create Date: 2026-12-06 23:00:00

Null (every existing source): the page's documentation generator decides, else trafilatura.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0013"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("documentation_sources", schema=None) as batch_op:
        batch_op.add_column(sa.Column("content_selector", sa.String(length=500), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("documentation_sources", schema=None) as batch_op:
        batch_op.drop_column("content_selector")
