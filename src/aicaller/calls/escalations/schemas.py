"""Escalations and the queue as the API takes and returns them."""

from __future__ import annotations

import uuid
from datetime import datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Annotated

from pydantic import BaseModel, ConfigDict, Field, model_validator

from aicaller.core.schemas import PatchModel, RequestModel
from aicaller.database.models.escalation import EscalationPriority, EscalationStatus

if TYPE_CHECKING:
    from aicaller.calls.escalations.repository import QueueRow

MAX_REASON = 2_000
MAX_RESOLUTION = 10_000


class EscalationOut(BaseModel):
    model_config = ConfigDict(from_attributes=True)

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
    model_config = ConfigDict(from_attributes=True)

    id: uuid.UUID
    from_number: str
    started_at: datetime


class EscalationQueueItem(EscalationOut):
    call: EscalationCall

    @classmethod
    def from_row(cls, row: QueueRow) -> EscalationQueueItem:
        """A queue row: the escalation, with its call's id, caller number and start time."""
        escalation = EscalationOut.model_validate(row.escalation)
        return cls.model_validate({**dict(escalation), "call": row.call})
