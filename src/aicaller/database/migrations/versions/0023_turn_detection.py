"""businesses: what ends a caller's turn on a streamed call (issue 18, ADR 0014)

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-07 11:00:00

Existing businesses keep the VAD's pause ("vad"); "smart_turn" is chosen per business.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0023"
down_revision: str | None = "0022"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite drops the table every tenant table refers to.
def upgrade() -> None:
    op.add_column(
        "businesses",
        sa.Column("turn_detection", sa.String(16), nullable=False, server_default="vad"),
    )


def downgrade() -> None:
    op.execute("ALTER TABLE businesses DROP COLUMN turn_detection")
