"""businesses: the trade (urgent situations known by default) and safety instructions

Revision ID: 0017
Revises: 0016
Create Date: 2026-12-07 02:00:00

Every existing business gets the general trade (the urgent situations of any business) and no
safety instructions: the agent behaves as before until an admin sets them.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0017"
down_revision: str | None = "0016"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite would cascade-delete every row of every tenant table.
def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("trade", sa.String(length=32), nullable=False, server_default="general"),
        sa.Column("safety_instructions", sa.Text(), nullable=False, server_default=""),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("businesses", column)


def downgrade() -> None:
    for column in reversed(_columns()):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
