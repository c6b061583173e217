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


class TurnIntent(StrEnum):
    """How the agent read a caller turn (caller_*), or what an agent turn did. The agent's next
    turns, post-call analysis and QA evaluators read a conversation through these."""

    CALLER_QUESTION = "caller_question"
    CALLER_HOURS = "caller_hours"
    CALLER_CONTACT = "caller_contact"
    CALLER_HUMAN = "caller_human"
    CALLER_FRUSTRATED = "caller_frustrated"
    CALLER_EMERGENCY = "caller_emergency"
    CALLER_THANKS = "caller_thanks"
    CALLER_GOODBYE = "caller_goodbye"
    CALLER_SILENT = "caller_silent"
    GREETING = "greeting"
    ANSWER = "answer"  # from the knowledge base
    HOURS = "hours"  # from the configured opening hours
    CONTACT = "contact"  # from the configured contact details
    REPHRASE = "rephrase"  # the agent could not answer and asked the caller to rephrase
    # The knowledge has no answer: the agent said so and filed an escalation carrying the
    # question (a callback), and the question went to the knowledge-gap report.
    DECLINE = "decline"
    ESCALATE = "escalate"  # an escalation was filed and a callback promised
    TRANSFER = "transfer"
    GOODBYE = "goodbye"
    COURTESY = "courtesy"  # "you're welcome", "I'm sorry about that"
    SILENCE_PROMPT = "silence_prompt"


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
    # What the agent did with this turn (greeting, answer, rephrase, escalate, goodbye, ...):
    # its next turns and the QA evaluators read the conversation through it.
    intent: Mapped[str | None] = mapped_column(String(32), default=None)
