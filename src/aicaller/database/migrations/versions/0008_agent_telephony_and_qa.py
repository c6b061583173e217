"""the agent, telephony and QA: business agent settings and phone numbers, turn intents,
knowledge gaps, QA scorecards and evaluations

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-01 08:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0007"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


# Plain ALTER TABLE ADD/DROP COLUMN (SQLite >= 3.35), never a batch rebuild: rebuilding
# businesses on SQLite would cascade-delete every row of every tenant table.
def _business_columns() -> list[sa.Column[object]]:
    return [
        sa.Column("agent_mode", sa.String(length=16), nullable=False, server_default="offline"),
        sa.Column("llm_model", sa.String(length=200), nullable=True),
        sa.Column("emergency_phrases", sa.JSON(), nullable=False, server_default="[]"),
        sa.Column("contact_email", sa.String(length=254), nullable=True),
        sa.Column("address", sa.Text(), nullable=True),
        sa.Column("website", sa.String(length=500), nullable=True),
        sa.Column("twilio_account_sid", sa.String(length=64), nullable=True),
        sa.Column("twilio_auth_token_encrypted", sa.Text(), nullable=True),
    ]


def _stamps() -> list[sa.Column[object]]:
    return [
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
    ]


def _business_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["business_id"],
        ["businesses.id"],
        name=op.f(f"fk_{table}_business_id_businesses"),
        ondelete="CASCADE",
    )


def _indexes(table: str, *extra: tuple[str, list[str]]) -> None:
    op.create_index(op.f(f"ix_{table}_business_id"), table, ["business_id"])
    op.create_index(op.f(f"ix_{table}_created_at"), table, ["created_at"])
    for name, columns in extra:
        op.create_index(name, table, columns)


def upgrade() -> None:
    for column in _business_columns():
        op.add_column("businesses", column)
    op.add_column("transcript_turns", sa.Column("intent", sa.String(length=32), nullable=True))
    op.create_index(
        "uq_calls_provider_call", "calls", ["provider", "provider_call_id"], unique=True
    )

    op.create_table(
        "business_phone_numbers",
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("number", sa.String(length=20), nullable=False),
        *_stamps(),
        _business_fk("business_phone_numbers"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_business_phone_numbers")),
        sa.UniqueConstraint("number", name=op.f("uq_business_phone_numbers_number")),
    )
    _indexes("business_phone_numbers")

    op.create_table(
        "knowledge_gaps",
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("question", sa.Text(), nullable=False),
        sa.Column("normalized_question", sa.String(length=500), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        *_stamps(),
        _business_fk("knowledge_gaps"),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_knowledge_gaps_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_knowledge_gaps")),
    )
    _indexes(
        "knowledge_gaps",
        ("ix_knowledge_gaps_call_id", ["call_id"]),
        ("ix_knowledge_gaps_business_question", ["business_id", "normalized_question"]),
    )

    op.create_table(
        "qa_scorecards",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("criteria", sa.JSON(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        *_stamps(),
        _business_fk("qa_scorecards"),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_scorecards")),
    )
    _indexes("qa_scorecards")
    op.create_index(
        "uq_qa_scorecards_default",
        "qa_scorecards",
        ["business_id"],
        unique=True,
        sqlite_where=sa.text("is_default"),
        postgresql_where=sa.text("is_default"),
    )

    op.create_table(
        "qa_evaluations",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("scorecard_id", sa.Uuid(), nullable=True),
        sa.Column("scorecard_name", sa.String(length=200), nullable=False),
        sa.Column("evaluator", sa.String(length=16), nullable=False),
        sa.Column("evaluator_user_id", sa.Uuid(), nullable=True),
        sa.Column("score", sa.Double(), nullable=True),
        sa.Column("auto_failed", sa.Boolean(), nullable=False),
        sa.Column("results", sa.JSON(), nullable=False),
        sa.Column("comment", sa.Text(), nullable=True),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        *_stamps(),
        sa.CheckConstraint(
            "evaluator IN ('ai', 'human')", name=op.f("ck_qa_evaluations_evaluator_valid")
        ),
        _business_fk("qa_evaluations"),
        sa.ForeignKeyConstraint(
            ["call_id"],
            ["calls.id"],
            name=op.f("fk_qa_evaluations_call_id_calls"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["scorecard_id"],
            ["qa_scorecards.id"],
            name=op.f("fk_qa_evaluations_scorecard_id_qa_scorecards"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["evaluator_user_id"],
            ["users.id"],
            name=op.f("fk_qa_evaluations_evaluator_user_id_users"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_qa_evaluations")),
    )
    _indexes(
        "qa_evaluations",
        ("ix_qa_evaluations_call_created", ["call_id", "created_at"]),
        ("ix_qa_evaluations_business_created", ["business_id", "created_at"]),
    )


def downgrade() -> None:
    for table in ("qa_evaluations", "qa_scorecards", "knowledge_gaps", "business_phone_numbers"):
        op.drop_table(table)  # their indexes go with them
    op.drop_index("uq_calls_provider_call", table_name="calls")
    op.execute("ALTER TABLE transcript_turns DROP COLUMN intent")
    for column in reversed(_business_columns()):
        op.execute(f"ALTER TABLE businesses DROP COLUMN {column.name}")
