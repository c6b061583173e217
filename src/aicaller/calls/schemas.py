"""Request and response bodies for calls and transcripts."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import AfterValidator, AwareDatetime, BaseModel, Field, model_validator

from aicaller.core.schemas import PatchModel, PhoneNumber, RequestModel
from aicaller.database.models.call import CallDirection, CallStatus, Sentiment
from aicaller.database.models.escalation import EscalationPriority, EscalationStatus
from aicaller.database.models.transcript_turn import Speaker

MAX_SUMMARY = 20_000
MAX_TURN_TEXT = 10_000
MAX_TURNS = 2_000
MAX_METADATA_BYTES = 16_384
MAX_DURATION = 7 * 24 * 3600
MAX_OFFSET_MS = 2**31 - 1
MIN_YEAR, MAX_YEAR = 1970, 9998


def _utc_in_range(value: datetime) -> datetime:
    try:
        utc = value.astimezone(UTC)
    except OverflowError as exc:
        raise ValueError("timestamp out of range") from exc
    if not MIN_YEAR <= utc.year <= MAX_YEAR:
        raise ValueError(f"timestamps must be between {MIN_YEAR} and {MAX_YEAR}")
    return utc


def _json_object(value: dict[str, Any]) -> dict[str, Any]:
    try:
        encoded = json.dumps(value, allow_nan=False, separators=(",", ":"))
    except (ValueError, RecursionError) as exc:
        raise ValueError("metadata must be plain JSON (no NaN or Infinity)") from exc
    if len(encoded.encode()) > MAX_METADATA_BYTES:
        raise ValueError(f"metadata must encode to at most {MAX_METADATA_BYTES} bytes")
    return value


Timestamp = Annotated[AwareDatetime, AfterValidator(_utc_in_range)]
Metadata = Annotated[dict[str, Any], AfterValidator(_json_object)]
Token = Annotated[str, Field(min_length=1, max_length=32, pattern=r"^[a-z0-9_\-]+$")]
Summary = Annotated[str, Field(max_length=MAX_SUMMARY)]


class CallSort(StrEnum):
    STARTED_AT = "started_at"
    DURATION = "duration"


class SortOrder(StrEnum):
    ASC = "asc"
    DESC = "desc"


class TurnIn(RequestModel):
    speaker: Speaker
    text: Annotated[str, Field(min_length=1, max_length=MAX_TURN_TEXT)]
    offset_ms: Annotated[int, Field(ge=0, le=MAX_OFFSET_MS)] = 0
    confidence: Annotated[float, Field(ge=0, le=1, allow_inf_nan=False)] | None = None
    sources: Annotated[list[Annotated[str, Field(max_length=500)]], Field(max_length=50)] = []


class CallCreate(RequestModel):
    """A call record created directly (imports, integrations, tests)."""

    direction: CallDirection
    from_number: PhoneNumber
    to_number: PhoneNumber
    status: CallStatus = CallStatus.QUEUED
    provider: Token = "simulated"
    provider_call_id: Annotated[str, Field(min_length=1, max_length=128)] | None = None
    started_at: Timestamp | None = None
    answered_at: Timestamp | None = None
    ended_at: Timestamp | None = None
    duration_seconds: Annotated[int, Field(ge=0, le=MAX_DURATION)] | None = None
    end_reason: Token | None = None
    summary: Summary | None = None
    sentiment: Sentiment | None = None
    resolved_by_ai: bool | None = None
    metadata: Metadata = {}
    transcript: Annotated[list[TurnIn], Field(max_length=MAX_TURNS)] = []

    @model_validator(mode="after")
    def _ordered_timestamps(self) -> CallCreate:
        started = self.started_at
        for name in ("answered_at", "ended_at"):
            value = getattr(self, name)
            if started is not None and value is not None and value < started:
                raise ValueError(f"{name} must not be before started_at")
        if self.answered_at and self.ended_at and self.ended_at < self.answered_at:
            raise ValueError("ended_at must not be before answered_at")
        return self


class CallUpdate(PatchModel):
    """A partial update. ``status`` changes follow the call's allowed transitions."""

    nullable_fields = frozenset({"summary", "sentiment", "resolved_by_ai"})

    status: CallStatus | None = None
    summary: Summary | None = None
    sentiment: Sentiment | None = None
    resolved_by_ai: bool | None = None
    metadata: Metadata | None = None


class CallInitiate(RequestModel):
    """Place an outbound call through the configured telephony provider."""

    to_number: PhoneNumber
    from_number: PhoneNumber | None = Field(
        default=None, description="Caller ID; the provider's default number when omitted"
    )
    metadata: Metadata = {}


class CallEnd(RequestModel):
    end_reason: Token = "agent_hangup"


class CallTransfer(RequestModel):
    to_number: PhoneNumber | None = Field(
        default=None, description="Defaults to the business's first escalation number"
    )
    reason: Annotated[str, Field(min_length=1, max_length=500)] | None = None


class CallOut(BaseModel):
    """A call as the list returns it."""

    id: uuid.UUID
    direction: CallDirection
    from_number: str
    to_number: str
    status: CallStatus
    provider: str
    provider_call_id: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    duration_seconds: int | None
    end_reason: str | None
    summary: str | None
    sentiment: Sentiment | None
    resolved_by_ai: bool | None
    metadata: dict[str, Any]
    notes_count: int
    escalation_state: EscalationStatus | None = Field(
        description="Status of the call's most recent escalation; null when it has none."
    )
    created_at: datetime
    updated_at: datetime


class TurnOut(BaseModel):
    id: uuid.UUID
    sequence: int
    speaker: Speaker
    text: str
    offset_ms: int
    confidence: float | None
    sources: list[str]
    intent: str | None = Field(
        default=None, description="How the agent read a caller turn, or what an agent turn did"
    )


class NoteOut(BaseModel):
    id: uuid.UUID
    author_id: uuid.UUID | None
    body: str
    created_at: datetime
    updated_at: datetime


class EscalationOut(BaseModel):
    id: uuid.UUID
    reason: str
    priority: EscalationPriority
    status: EscalationStatus
    assignee_id: uuid.UUID | None
    created_by_id: uuid.UUID | None
    acknowledged_at: datetime | None
    resolved_at: datetime | None
    resolution: str | None
    created_at: datetime


class CallDetail(CallOut):
    """A call with its whole transcript, notes and escalations (oldest first)."""

    transcript: list[TurnOut]
    notes: list[NoteOut]
    escalations: list[EscalationOut]


MAX_NOTE = 10_000
MAX_REASON = 2_000
MAX_RESOLUTION = 10_000
NoteBody = Annotated[str, Field(min_length=1, max_length=MAX_NOTE)]


class NoteCreate(RequestModel):
    body: NoteBody


class NoteUpdate(RequestModel):
    body: NoteBody


class EscalationCreate(RequestModel):
    reason: Annotated[str, Field(min_length=1, max_length=MAX_REASON)]
    priority: EscalationPriority = EscalationPriority.NORMAL


class EscalationAction(StrEnum):
    ACKNOWLEDGED = "acknowledged"
    RESOLVED = "resolved"


class EscalationUpdate(PatchModel):
    """Acknowledge, (re)assign, or resolve with a resolution; at least one of them."""

    nullable_fields = frozenset({"assignee_id", "resolution"})

    status: EscalationAction | None = None
    assignee_id: uuid.UUID | None = Field(
        default=None, description="An active user of the business; null unassigns"
    )
    resolution: Annotated[str, Field(min_length=1, max_length=MAX_RESOLUTION)] | None = None

    @model_validator(mode="after")
    def _consistent(self) -> EscalationUpdate:
        if not self.model_fields_set & {"status", "assignee_id"}:
            raise ValueError("give a status or an assignee_id")
        resolving = self.status is EscalationAction.RESOLVED
        if resolving and self.resolution is None:
            raise ValueError("a resolution is required to resolve")
        if not resolving and self.resolution is not None:
            raise ValueError("resolution is only accepted with status resolved")
        return self


class EscalationCall(BaseModel):
    id: uuid.UUID
    from_number: str
    started_at: datetime


class EscalationQueueItem(EscalationOut):
    call: EscalationCall
