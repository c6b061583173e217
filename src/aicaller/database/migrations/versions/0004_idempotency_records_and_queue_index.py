"""idempotency records, the escalation queue index, duration index on the sorted expression

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26 07:06:07.724020
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "idempotency_records",
        sa.Column("key", sa.String(length=255), nullable=False),
        sa.Column("request_hash", sa.String(length=64), nullable=False),
        sa.Column("response_status", sa.Integer(), nullable=True),
        sa.Column("response_body", sa.JSON(), nullable=True),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_idempotency_records_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_idempotency_records")),
        sa.UniqueConstraint(
            "business_id", "key", name=op.f("uq_idempotency_records_business_id_key")
        ),
    )
    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_idempotency_records_business_id"), ["business_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_idempotency_records_created_at"), ["created_at"], unique=False
        )
        batch_op.create_index("ix_idempotency_records_expires_at", ["expires_at"], unique=False)

    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.create_index(
            "ix_escalations_business_status_created",
            ["business_id", "status", "created_at"],
            unique=False,
        )

    # The list sorts by COALESCE(duration_seconds, 0); index that expression instead.
    op.drop_index("ix_calls_business_duration", table_name="calls")
    op.create_index(
        "ix_calls_business_duration",
        "calls",
        ["business_id", sa.text("coalesce(duration_seconds, 0)"), "id"],
    )


def downgrade() -> None:
    op.drop_index("ix_calls_business_duration", table_name="calls")
    op.create_index("ix_calls_business_duration", "calls", ["business_id", "duration_seconds"])
    with op.batch_alter_table("escalations", schema=None) as batch_op:
        batch_op.drop_index("ix_escalations_business_status_created")

    with op.batch_alter_table("idempotency_records", schema=None) as batch_op:
        batch_op.drop_index("ix_idempotency_records_expires_at")
        batch_op.drop_index(batch_op.f("ix_idempotency_records_created_at"))
        batch_op.drop_index(batch_op.f("ix_idempotency_records_business_id"))

    op.drop_table("idempotency_records")
