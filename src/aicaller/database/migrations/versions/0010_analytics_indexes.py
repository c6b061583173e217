"""analytics: covering indexes on calls and QA evaluations

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-01 12:00:00
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0010"
down_revision: str | None = "0009"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Every column the reports aggregate, so a period is read from the index alone (kept here
# rather than imported from the models: a migration must not change when the models do).
CALLS = (
    "business_id", "started_at", "direction", "status", "duration_seconds", "sentiment",
    "end_reason", "from_number", "id",
)  # fmt: skip
EVALUATIONS = ("business_id", "created_at", "call_id", "evaluator", "score", "auto_failed", "id")


def upgrade() -> None:
    op.create_index("ix_calls_analytics", "calls", list(CALLS))
    op.create_index("ix_qa_evaluations_analytics", "qa_evaluations", list(EVALUATIONS))


def downgrade() -> None:
    op.drop_index("ix_qa_evaluations_analytics", table_name="qa_evaluations")
    op.drop_index("ix_calls_analytics", table_name="calls")
