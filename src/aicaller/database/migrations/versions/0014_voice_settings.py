"""businesses: voice settings (transport, silence, keypad, recording, speech)

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
# businesses on SQLite would cascade-delete every row of every tenant table (see 0008).
def _business_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("voice_transport", sa.String(16), nullable=False, server_default="stream"),
        sa.Column("voice_silence_seconds", sa.Integer(), nullable=False, server_default="8"),
        sa.Column("voice_dtmf_digit", sa.String(1), nullable=False, server_default="0"),
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
    for column in _business_columns():
        op.add_column("businesses", column)


def downgrade() -> None:
    for column in reversed(_business_columns()):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
