"""calls, transcripts, notes and escalations

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-26 05:54:18
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "calls",
        sa.Column("direction", sa.String(length=16), nullable=False),
        sa.Column("from_number", sa.String(length=20), nullable=False),
        sa.Column("to_number", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("provider", sa.String(length=32), nullable=False),
        sa.Column("provider_call_id", sa.String(length=128), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("duration_seconds", sa.Integer(), nullable=True),
        sa.Column("end_reason", sa.String(length=32), nullable=True),
        sa.Column("summary", sa.Text(), nullable=True),
        sa.Column("sentiment", sa.String(length=16), nullable=True),
        sa.Column("resolved_by_ai", sa.Boolean(), nullable=True),
        sa.Column("metadata", sa.JSON(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "direction IN ('inbound', 'outbound', 'web')", name=op.f("ck_calls_direction_valid")
        ),
        sa.CheckConstraint(
            "sentiment IS NULL OR sentiment IN ('positive', 'neutral', 'negative')",
            name=op.f("ck_calls_sentiment_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('queued', 'ringing', 'in_progress', 'completed', 'busy', 'failed', "
            "'no_answer', 'canceled')",
            name=op.f("ck_calls_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_calls_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calls_business_duration", ["business_id", "duration_seconds"], unique=False
        )
        batch_op.create_index(
            "ix_calls_business_from", ["business_id", "from_number"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calls_business_id"), ["business_id"], unique=False)
        batch_op.create_index(
            "ix_calls_business_started", ["business_id", "started_at", "id"], unique=False
        )
        batch_op.create_index(
            "ix_calls_business_status_started",
            ["business_id", "status", "started_at"],
            unique=False,
        )
        batch_op.create_index("ix_calls_business_to", ["business_id", "to_number"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_created_at"), ["created_at"], unique=False)

    op.create_table(
        "call_notes",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["author_id"],
            ["users.id"],
            name=op.f("fk_call_notes_author_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_call_notes_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_call_notes_call_id_calls"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_call_notes")),
    )
    with op.batch_alter_table("call_notes", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_call_notes_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_call_notes_call_id"), ["call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_call_notes_created_at"), ["created_at"], unique=False)

    op.create_table(
        "escalations",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("priority", sa.String(length=16), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("assignee_id", sa.Uuid(), nullable=True),
        sa.Column("created_by_id", sa.Uuid(), nullable=True),
        sa.Column("acknowledged_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("resolution", sa.Text(), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "priority IN ('low', 'normal', 'high', 'urgent')",
            name=op.f("ck_escalations_priority_valid"),
        ),
        sa.CheckConstraint(
            "status IN ('open', 'acknowledged', 'resolved')",
            name=op.f("ck_escalations_status_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["assignee_id"],
            ["users.id"],
            name=op.f("fk_escalations_assignee_id_users"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_escalations_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_escalations_call_id_calls"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["created_by_id"],
            ["users.id"],
            name=op.f("fk_escalations_created_by_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_escalations")),
    )
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_escalations_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(
            "ix_escalations_call_created", ["call_id", "created_at"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_escalations_created_at"), ["created_at"], unique=False)

    op.create_table(
        "transcript_turns",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("speaker", sa.String(length=16), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("offset_ms", sa.Integer(), nullable=False),
        sa.Column("confidence", sa.Double(), nullable=True),
        sa.Column("sources", sa.JSON(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "speaker IN ('caller', 'agent', 'human', 'system')",
            name=op.f("ck_transcript_turns_speaker_valid"),
        ),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_transcript_turns_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_transcript_turns_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_transcript_turns")),
        sa.UniqueConstraint(
            "call_id", "sequence", name=op.f("uq_transcript_turns_call_id_sequence")
        ),
    )
    with op.batch_alter_table("transcript_turns", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_transcript_turns_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_transcript_turns_created_at"), ["created_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("transcript_turns", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_transcript_turns_created_at"))
        batch_op.drop_index(batch_op.f("ix_transcript_turns_business_id"))

    op.drop_table("transcript_turns")
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_escalations_created_at"))
        batch_op.drop_index("ix_escalations_call_created")
        batch_op.drop_index(batch_op.f("ix_escalations_business_id"))

    op.drop_table("escalations")
    with op.batch_alter_table("call_notes", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_call_notes_created_at"))
        batch_op.drop_index(batch_op.f("ix_call_notes_call_id"))
        batch_op.drop_index(batch_op.f("ix_call_notes_business_id"))

    op.drop_table("call_notes")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_created_at"))
        batch_op.drop_index("ix_calls_business_to")
        batch_op.drop_index("ix_calls_business_status_started")
        batch_op.drop_index("ix_calls_business_started")
        batch_op.drop_index(batch_op.f("ix_calls_business_id"))
        batch_op.drop_index("ix_calls_business_from")
        batch_op.drop_index("ix_calls_business_duration")

    op.drop_table("calls")
