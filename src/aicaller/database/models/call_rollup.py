"""The calls' additive figures per business and 15-minute UTC slot, kept by triggers on calls
(migration 0025; ADR 0024).

A report over whole slots sums a few thousand of these rows instead of reading every call of
its period. Every local midnight and hour of every timezone in use today falls on a quarter
hour, so one set of UTC slots serves every business's days; a report whose boundaries do not
(some historical offsets) reads the calls instead. The database owns these rows: no
application code writes them, and the columns below are what the triggers add per call.
"""

from __future__ import annotations

from sqlalchemy import (
    BigInteger,
    Column,
    Double,
    ForeignKey,
    Integer,
    PrimaryKeyConstraint,
    Table,
    Uuid,
)

from aicaller.database.base import Base

SLOT_SECONDS = 900

# Per call: 1 when it matches, 0 otherwise (``analytics.figures`` defines each figure).
COUNT_COLUMNS = (
    "calls",  # every call
    "inbound_calls",
    "outbound_calls",
    "web_calls",
    "answered_calls",  # completed or in progress
    "missed_calls",  # no answer, busy or failed
    "abandoned_calls",  # canceled
    "completed_calls",
    "contained_calls",  # completed, not escalated, not ended by a transfer or escalation
    "escalated_calls",
    "sentiment_positive",
    "sentiment_neutral",
    "sentiment_negative",
    "sentiment_unknown",
    "timed_calls",  # answered with a duration: the handle time's denominator
    "evaluated_calls",  # with an effective QA evaluation
    "scored_calls",  # whose effective evaluation has a score: the QA average's denominator
    "auto_failed_calls",
)

call_rollups = Table(
    "call_rollups",
    Base.metadata,
    Column("business_id", Uuid(as_uuid=True), ForeignKey("businesses.id", ondelete="CASCADE")),
    # Whole 15-minute slots since 1970-01-01 UTC of the calls' ``started_at``.
    Column("slot", BigInteger),
    *(Column(name, Integer, nullable=False, server_default="0") for name in COUNT_COLUMNS),
    # Sums: answered calls' durations (seconds) and their effective QA scores.
    Column("handle_seconds", BigInteger, nullable=False, server_default="0"),
    Column("qa_score_sum", Double, nullable=False, server_default="0"),
    PrimaryKeyConstraint("business_id", "slot"),
)
