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


def upgrade() -> None:
    with op.batch_alter_table("businesses", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("voice_transport", sa.String(16), nullable=False, server_default="stream")
        )
        batch_op.add_column(
            sa.Column("voice_silence_seconds", sa.Integer(), nullable=False, server_default="8")
        )
        batch_op.add_column(
            sa.Column("voice_dtmf_digit", sa.String(1), nullable=False, server_default="0")
        )
        batch_op.add_column(
            sa.Column("recording_enabled", sa.Boolean(), nullable=False, server_default=sa.false())
        )
        batch_op.add_column(sa.Column("recording_consent", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("recording_retention_days", sa.Integer(), nullable=True))
        batch_op.add_column(
            sa.Column("speech_provider", sa.String(16), nullable=False, server_default="offline")
        )
        batch_op.add_column(sa.Column("speech_base_url", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("speech_api_key_encrypted", sa.Text(), nullable=True))
        batch_op.add_column(sa.Column("stt_model", sa.String(100), nullable=True))
        batch_op.add_column(sa.Column("tts_model", sa.String(100), nullable=True))
        batch_op.add_column(sa.Column("tts_voice", sa.String(100), nullable=True))
        batch_op.add_column(
            sa.Column("tts_speed", sa.Float(), nullable=False, server_default=sa.text("1.0"))
        )


def downgrade() -> None:
    with op.batch_alter_table("businesses", schema=None) as batch_op:
        for column in ("tts_speed", "tts_voice", "tts_model", "stt_model"):
            batch_op.drop_column(column)
        batch_op.drop_column("speech_api_key_encrypted")
        batch_op.drop_column("speech_base_url")
        batch_op.drop_column("speech_provider")
        batch_op.drop_column("recording_retention_days")
        batch_op.drop_column("recording_consent")
        batch_op.drop_column("recording_enabled")
        batch_op.drop_column("voice_dtmf_digit")
        batch_op.drop_column("voice_silence_seconds")
        batch_op.drop_column("voice_transport")
