"""knowledge: a business's own synonym groups for search

Revision ID: 0016
Revises: 0014
Create Date: 2026-12-07 02:40:00

A new table only (issue 20): each row is a group of words a question naming one of them also
searches for.
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0016"
down_revision: str | None = "0014"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "search_synonyms",
        sa.Column("words", sa.JSON(), nullable=False),
        sa.Column("business_id", sa.Uuid(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["business_id"],
            ["businesses.id"],
            name=op.f("fk_search_synonyms_business_id_businesses"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_search_synonyms")),
    )
    op.create_index(op.f("ix_search_synonyms_business_id"), "search_synonyms", ["business_id"])
    op.create_index(op.f("ix_search_synonyms_created_at"), "search_synonyms", ["created_at"])


def downgrade() -> None:
    op.drop_index(op.f("ix_search_synonyms_created_at"), table_name="search_synonyms")
    op.drop_index(op.f("ix_search_synonyms_business_id"), table_name="search_synonyms")
    op.drop_table("search_synonyms")
