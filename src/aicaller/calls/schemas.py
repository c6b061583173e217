"""The call record and its transcript as the API takes and returns them."""

from __future__ import annotations

import json
import uuid
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime
from enum import StrEnum
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    AwareDatetime,
    BaseModel,
    ConfigDict,
    Field,
    TypeAdapter,
    model_validator,
)

from aicaller.calls.escalations.schemas import EscalationOut
from aicaller.calls.notes.schemas import NoteOut
from aicaller.core.schemas import PatchModel, PhoneNumber, RequestModel
from aicaller.database.models.call import CallDirection, CallStatus, Sentiment
from aicaller.database.models.escalation import EscalationStatus
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


class CallOut(BaseModel):
    """A call as the list returns it."""

    # Built from the list's rows (``listed_calls``) or from a ``Call``, whose attribute for
    # the ``metadata`` column is ``call_metadata`` (``metadata`` is SQLAlchemy's).
    model_config = ConfigDict(from_attributes=True, validate_by_name=True)

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
    metadata: dict[str, Any] = Field(validation_alias="call_metadata")
    notes_count: int
    escalation_state: EscalationStatus | None = Field(
        description="Status of the call's most recent escalation; null when it has none."
    )
    created_at: datetime
    updated_at: datetime


class TurnOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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


class CallDetail(CallOut):
    """A call with its whole transcript, notes and escalations (oldest first)."""

    # Built from a ``Call`` read with them (``CallRepository.get_detail``).

    transcript: list[TurnOut] = Field(validation_alias="turns")
    notes: list[NoteOut]
    escalations: list[EscalationOut]


_CALL_LIST = TypeAdapter(list[CallOut])


def listed_calls(rows: Sequence[Mapping[str, Any]]) -> list[CallOut]:
    """List items from the repository's plain rows (column names are the API's field names)."""
    return _CALL_LIST.validate_python([dict(row) for row in rows])
