"""A call handed to people: the escalation queue's rows."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum

from sqlalchemy import CheckConstraint, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class EscalationPriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class EscalationStatus(StrEnum):
    OPEN = "open"
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


PRIORITY_VALUES = tuple(p.value for p in EscalationPriority)
ESCALATION_STATUS_VALUES = tuple(s.value for s in EscalationStatus)


class Escalation(TenantMixin, Base):
    __tablename__ = "escalations"
    __table_args__ = (
        CheckConstraint(f"priority IN {PRIORITY_VALUES!r}", name="priority_valid"),
        CheckConstraint(f"status IN {ESCALATION_STATUS_VALUES!r}", name="status_valid"),
        # "The latest escalation of this call" (list items) and "has this call any".
        Index("ix_escalations_call_created", "call_id", "created_at"),
        # The queue: one business's open (or acknowledged) escalations, oldest first.
        Index("ix_escalations_business_status_created", "business_id", "status", "created_at"),
    )

    call_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    reason: Mapped[str] = mapped_column(Text)
    priority: Mapped[str] = mapped_column(String(16), default=EscalationPriority.NORMAL.value)
    status: Mapped[str] = mapped_column(String(16), default=EscalationStatus.OPEN.value)
    assignee_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    created_by_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), default=None
    )
    acknowledged_at: Mapped[datetime | None] = mapped_column(default=None)
    resolved_at: Mapped[datetime | None] = mapped_column(default=None)
    resolution: Mapped[str | None] = mapped_column(Text, default=None)
