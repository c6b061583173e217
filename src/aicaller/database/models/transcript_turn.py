"""One utterance of a call's transcript, in order."""

from __future__ import annotations

import uuid
from enum import StrEnum

from sqlalchemy import JSON, CheckConstraint, ForeignKey, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from aicaller.database.base import Base, TenantMixin


class Speaker(StrEnum):
    CALLER = "caller"
    AGENT = "agent"
    HUMAN = "human"
    SYSTEM = "system"


SPEAKER_VALUES = tuple(s.value for s in Speaker)


class TranscriptTurn(TenantMixin, Base):
    __tablename__ = "transcript_turns"
    __table_args__ = (
        CheckConstraint(f"speaker IN {SPEAKER_VALUES!r}", name="speaker_valid"),
        UniqueConstraint("call_id", "sequence"),
    )

    call_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("calls.id", ondelete="CASCADE"))
    sequence: Mapped[int]
    speaker: Mapped[str] = mapped_column(String(16))
    text: Mapped[str] = mapped_column(Text)
    offset_ms: Mapped[int] = mapped_column(default=0)
    confidence: Mapped[float | None] = mapped_column(default=None)
    # Knowledge sources the agent used for this turn (document or page references).
    sources: Mapped[list[str]] = mapped_column(JSON, default=list)
