"""businesses: voice settings (transport, caller silence, the key that asks for a person)

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-07 02:00:00

Existing businesses get the streamed transport (the default once real-time voice landed);
"gather" stays available per business.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0014"
down_revision: str | None = "0013"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite drops the table every tenant table refers to.
def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("voice_transport", sa.String(16), nullable=False, server_default="stream"),
        sa.Column("voice_silence_seconds", sa.Integer(), nullable=False, server_default="8"),
        sa.Column("voice_dtmf_digit", sa.String(1), nullable=False, server_default="0"),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("businesses", column)


def downgrade() -> None:
    for column in reversed(_columns()):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
