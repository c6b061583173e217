"""QA scorecards (weighted criteria) and the evaluations of calls against them."""

from __future__ import annotations

import uuid
from enum import StrEnum
from typing import Any

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, Text, text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class EvaluatorKind(StrEnum):
    AI = "ai"
    HUMAN = "human"


EVALUATOR_VALUES = tuple(kind.value for kind in EvaluatorKind)
EVALUATION_ANALYTICS_COLUMNS = (
    "business_id", "created_at", "call_id", "evaluator", "score", "auto_failed", "id",
)  # fmt: skip


class Scorecard(TenantMixin, Base):
    __tablename__ = "qa_scorecards"
    __table_args__ = (
        # One default scorecard per business: the one post-call evaluation uses.
        Index(
            "uq_qa_scorecards_default",
            "business_id",
            unique=True,
            sqlite_where=text("is_default"),
            postgresql_where=text("is_default"),
        ),
    )

    name: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    is_default: Mapped[bool] = mapped_column(default=False)
    # [{"key", "label", "description", "weight", "auto_fail"}]: evaluations keep a copy, so a
    # scorecard edited later never rewrites old scores.
    criteria: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)


class Evaluation(TenantMixin, Base):
    __tablename__ = "qa_evaluations"
    __table_args__ = (
        CheckConstraint(f"evaluator IN {EVALUATOR_VALUES!r}", name="evaluator_valid"),
        Index("ix_qa_evaluations_call_created", "call_id", "created_at"),
        Index("ix_qa_evaluations_business_created", "business_id", "created_at"),
        # Analytics: the columns the score figures read, so they come from the index alone.
        Index("ix_qa_evaluations_analytics", *EVALUATION_ANALYTICS_COLUMNS),
    )

    call_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    scorecard_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("qa_scorecards.id", ondelete="SET NULL"), default=None
    )
    scorecard_name: Mapped[str] = mapped_column(String(200))
    evaluator: Mapped[str] = mapped_column(String(16))
    evaluator_user_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    # 0-100 over the criteria that applied; None when none applied. 0 after an automatic fail.
    score: Mapped[float | None] = mapped_column(default=None)
    auto_failed: Mapped[bool] = mapped_column(default=False)
    # [{"key", "label", "weight", "auto_fail", "result": "pass"|"fail"|"na", "explanation"}]
    results: Mapped[list[dict[str, Any]]] = mapped_column(JSON, default=list)
    comment: Mapped[str | None] = mapped_column(Text, default=None)
