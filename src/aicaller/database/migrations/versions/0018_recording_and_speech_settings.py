"""businesses: call recording and speech provider settings (issue 18)

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-07 03:50:00

Recording is off for every existing business; speech stays offline.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0018"
down_revision: str | None = "0017"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite drops the table every tenant table refers to.
def _columns() -> list[sa.Column[object]]:
    return [
        sa.Column("recording_enabled", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("recording_consent", sa.Text(), nullable=True),
        sa.Column("recording_retention_days", sa.Integer(), nullable=True),
        sa.Column("speech_provider", sa.String(16), nullable=False, server_default="offline"),
        sa.Column("speech_base_url", sa.String(500), nullable=True),
        sa.Column("speech_api_key_encrypted", sa.Text(), nullable=True),
        sa.Column("stt_model", sa.String(100), nullable=True),
        sa.Column("tts_model", sa.String(100), nullable=True),
        sa.Column("tts_voice", sa.String(100), nullable=True),
        sa.Column("tts_speed", sa.Double(), nullable=False, server_default=sa.text("1.0")),
    ]


def upgrade() -> None:
    for column in _columns():
        op.add_column("businesses", column)


def downgrade() -> None:
    for column in reversed(_columns()):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
