"""Phone and web calls: one row per call, the record a call centre works from."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from sqlalchemy import JSON, CheckConstraint, Index, String, Text, false, text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from aicaller.database.base import Base, TenantMixin
from aicaller.database.types import utcnow

if TYPE_CHECKING:
    from aicaller.database.models.call_note import CallNote
    from aicaller.database.models.escalation import Escalation
    from aicaller.database.models.transcript_turn import TranscriptTurn


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"
    WEB = "web"


class CallStatus(StrEnum):
    """Twilio's call statuses."""

    QUEUED = "queued"
    RINGING = "ringing"
    IN_PROGRESS = "in_progress"
    COMPLETED = "completed"
    BUSY = "busy"
    FAILED = "failed"
    NO_ANSWER = "no_answer"
    CANCELED = "canceled"


class Sentiment(StrEnum):
    POSITIVE = "positive"
    NEUTRAL = "neutral"
    NEGATIVE = "negative"


DIRECTION_VALUES = tuple(d.value for d in CallDirection)
CALL_STATUS_VALUES = tuple(s.value for s in CallStatus)
SENTIMENT_VALUES = tuple(s.value for s in Sentiment)
ANALYTICS_COLUMNS = (
    "business_id", "started_at", "direction", "status", "duration_seconds", "sentiment",
    "end_reason", "escalated", "qa_evaluator", "qa_score", "qa_auto_failed", "from_number", "id",
)  # fmt: skip


class Call(TenantMixin, Base):
    __tablename__ = "calls"
    __table_args__ = (
        CheckConstraint(f"direction IN {DIRECTION_VALUES!r}", name="direction_valid"),
        CheckConstraint(f"status IN {CALL_STATUS_VALUES!r}", name="status_valid"),
        CheckConstraint(
            f"sentiment IS NULL OR sentiment IN {SENTIMENT_VALUES!r}", name="sentiment_valid"
        ),
        # The list: newest first (and its keyset cursor), by status, by duration, by number.
        Index("ix_calls_business_started", "business_id", "started_at", "id"),
        Index("ix_calls_business_status_started", "business_id", "status", "started_at"),
        # The list sorts by COALESCE(duration_seconds, 0) (calls not ended count as 0), so only
        # an index on that expression lets "longest first" stop after one page.
        Index(
            "ix_calls_business_duration",
            "business_id",
            text("coalesce(duration_seconds, 0)"),
            "id",
        ),
        Index("ix_calls_business_from", "business_id", "from_number"),
        # Analytics: every column a report aggregates, so a period's calls are read from the
        # index alone (an index-only scan on PostgreSQL, a covering index on SQLite).
        Index("ix_calls_analytics", *ANALYTICS_COLUMNS),
        # Carrier webhooks find their call by the carrier's id; one record per carrier call.
        Index("uq_calls_provider_call", "provider", "provider_call_id", unique=True),
        Index("ix_calls_business_to", "business_id", "to_number"),
        # The p90 of a few long buckets, read from the longest call down (migration 0026).
        Index(
            "ix_calls_business_duration_started",
            "business_id",
            "duration_seconds",
            "started_at",
            "status",
        ),
        # Repeat callers: the calls followed by their number's next call (migration 0026).
        Index(
            "ix_calls_repeat_followed",
            "business_id",
            "started_at",
            "from_number",
            sqlite_where=text("repeat_followed = 1"),
            postgresql_where=text("repeat_followed"),
        ),
    )

    direction: Mapped[str] = mapped_column(String(16))
    from_number: Mapped[str] = mapped_column(String(20))
    to_number: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(16), default=CallStatus.QUEUED.value)
    provider: Mapped[str] = mapped_column(String(32), default="simulated")
    provider_call_id: Mapped[str | None] = mapped_column(String(128), default=None)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    answered_at: Mapped[datetime | None] = mapped_column(default=None)
    ended_at: Mapped[datetime | None] = mapped_column(default=None)
    duration_seconds: Mapped[int | None] = mapped_column(default=None)
    end_reason: Mapped[str | None] = mapped_column(String(32), default=None)
    summary: Mapped[str | None] = mapped_column(Text, default=None)
    sentiment: Mapped[str | None] = mapped_column(String(16), default=None)
    resolved_by_ai: Mapped[bool | None] = mapped_column(default=None)
    call_metadata: Mapped[dict[str, Any]] = mapped_column("metadata", JSON, default=dict)
    # Facts the database keeps from other tables, for analytics to read in one pass over the
    # calls (migration 0011's triggers; never written by the application): whether the call
    # has any escalation, and its effective QA evaluation (the latest by a person, else the
    # latest by the AI: ``aicaller.qa.service.effective_evaluation``), NULL when none.
    escalated: Mapped[bool] = mapped_column(default=False, server_default=false())
    qa_evaluator: Mapped[str | None] = mapped_column(String(16), default=None)
    qa_score: Mapped[float | None] = mapped_column(default=None)
    qa_auto_failed: Mapped[bool | None] = mapped_column(default=None)
    # Whether the number's next inbound call (by start, then id) started within 7 days: the
    # repeat callers' fact, kept by migration 0026's triggers, false for other directions.
    repeat_followed: Mapped[bool] = mapped_column(default=False, server_default=false())

    # Read-only views for eager loading; children are written through their repositories and
    # removed by the database (ON DELETE CASCADE).
    turns: Mapped[list[TranscriptTurn]] = relationship(
        lazy="raise", viewonly=True, order_by="TranscriptTurn.sequence"
    )
    notes: Mapped[list[CallNote]] = relationship(
        lazy="raise", viewonly=True, order_by="(CallNote.created_at, CallNote.id)"
    )
    escalations: Mapped[list[Escalation]] = relationship(
        lazy="raise", viewonly=True, order_by="(Escalation.created_at, Escalation.id)"
    )

    # The list reads these two as columns of its statement; a detail read has the rows loaded
    # and derives them here, so the API's call schema is built from either the same way.
    @property
    def notes_count(self) -> int:
        return len(self.notes)

    @property
    def escalation_state(self) -> str | None:
        """The status of the latest escalation (``escalations`` are oldest first)."""
        return self.escalations[-1].status if self.escalations else None
