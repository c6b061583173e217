"""A question the agent could not answer from the business's knowledge."""

from __future__ import annotations

import uuid

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class KnowledgeGap(TenantMixin, Base):
    __tablename__ = "knowledge_gaps"
    __table_args__ = (
        # "The most asked unanswered questions since ..." groups by the normalised question.
        Index("ix_knowledge_gaps_business_question", "business_id", "normalized_question"),
    )

    call_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("calls.id", ondelete="CASCADE"), index=True, default=None
    )
    question: Mapped[str] = mapped_column(Text)
    # Lower case, punctuation and filler removed, so repeats of a question count together.
    normalized_question: Mapped[str] = mapped_column(String(500))
