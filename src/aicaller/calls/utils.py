"""Helpers shared by the call routes: response building and list query parsing."""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Annotated, Any

from fastapi import Depends, Query
from pydantic import TypeAdapter

from aicaller.calls.schemas import (
    MAX_DURATION,
    MAX_YEAR,
    MIN_YEAR,
    CallDetail,
    CallOut,
    CallSort,
    EscalationCall,
    EscalationOut,
    EscalationQueueItem,
    NoteOut,
    SortOrder,
    TurnOut,
)
from aicaller.core.errors import ValidationError
from aicaller.core.schemas import PhoneNumber
from aicaller.database.models import Call
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.escalation import EscalationPriority, EscalationStatus

if TYPE_CHECKING:
    from aicaller.calls.escalations.repository import QueueRow

Duration = Annotated[int | None, Query(ge=0, le=MAX_DURATION)]


_CALL_LIST = TypeAdapter(list[CallOut])


def listed_calls_to_response(rows: Sequence[Mapping[str, Any]]) -> list[CallOut]:
    """List items from the repository's plain rows (column names match the API's fields)."""
    return _CALL_LIST.validate_python([dict(row) for row in rows])


def call_to_detail(call: Call) -> CallDetail:
    """The detail body; the call must have ``turns``, ``notes`` and ``escalations`` loaded."""
    state = call.escalations[-1].status if call.escalations else None
    fields = _call_fields(call, len(call.notes), state)
    fields["transcript"] = [TurnOut.model_validate(t, from_attributes=True) for t in call.turns]
    fields["notes"] = [NoteOut.model_validate(n, from_attributes=True) for n in call.notes]
    fields["escalations"] = [
        EscalationOut.model_validate(e, from_attributes=True) for e in call.escalations
    ]
    return CallDetail.model_validate(fields)


def _call_fields(call: Call, notes_count: int, escalation_state: str | None) -> dict[str, object]:
    return {
        "id": call.id,
        "direction": call.direction,
        "from_number": call.from_number,
        "to_number": call.to_number,
        "status": call.status,
        "provider": call.provider,
        "provider_call_id": call.provider_call_id,
        "started_at": call.started_at,
        "answered_at": call.answered_at,
        "ended_at": call.ended_at,
        "duration_seconds": call.duration_seconds,
        "end_reason": call.end_reason,
        "summary": call.summary,
        "sentiment": call.sentiment,
        "resolved_by_ai": call.resolved_by_ai,
        "metadata": call.call_metadata,
        "notes_count": notes_count,
        "escalation_state": escalation_state,
        "created_at": call.created_at,
        "updated_at": call.updated_at,
    }


@dataclass(frozen=True, slots=True)
class CallListQuery:
    """The list's filters as the API states them (dates are local to the business)."""

    statuses: tuple[str, ...] = ()
    direction: str | None = None
    date_from: date | None = None
    date_to: date | None = None
    phone: str | None = None
    escalated: bool | None = None
    open_escalation: bool | None = None
    has_notes: bool | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    q: str | None = None
    sort: CallSort = CallSort.STARTED_AT
    descending: bool = True


def _check_date(value: date | None, name: str) -> date | None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"{name} must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


async def _call_list_query(
    status: Annotated[list[CallStatus] | None, Query(description="One or more statuses")] = None,
    direction: Annotated[CallDirection | None, Query()] = None,
    date_from: Annotated[
        date | None, Query(alias="from", description="First day, in the business's timezone")
    ] = None,
    date_to: Annotated[
        date | None, Query(alias="to", description="Last day (inclusive), business timezone")
    ] = None,
    phone: Annotated[PhoneNumber | None, Query(description="From or to this E.164 number")] = None,
    escalated: Annotated[bool | None, Query(description="Has any escalation")] = None,
    open_escalation: Annotated[
        bool | None, Query(description="Has an open or acknowledged escalation")
    ] = None,
    has_notes: Annotated[bool | None, Query()] = None,
    min_duration: Duration = None,
    max_duration: Duration = None,
    q: Annotated[
        str | None,
        Query(min_length=1, max_length=200, description="Text in the summary or transcript"),
    ] = None,
    sort: Annotated[CallSort, Query(description="duration sorts missing durations as 0")] = (
        CallSort.STARTED_AT
    ),
    order: Annotated[SortOrder, Query()] = SortOrder.DESC,
) -> CallListQuery:
    if q is not None and "\x00" in q:
        raise ValidationError("q must not contain NUL characters")
    _check_date(date_from, "from")
    _check_date(date_to, "to")
    if date_from and date_to and date_to < date_from:
        raise ValidationError("to must not be before from")
    if min_duration is not None and max_duration is not None and max_duration < min_duration:
        raise ValidationError("max_duration must not be less than min_duration")
    return CallListQuery(
        statuses=tuple(sorted({s.value for s in status or ()})),
        direction=direction.value if direction else None,
        date_from=date_from,
        date_to=date_to,
        phone=phone,
        escalated=escalated,
        open_escalation=open_escalation,
        has_notes=has_notes,
        min_duration=min_duration,
        max_duration=max_duration,
        q=q,
        sort=sort,
        descending=order is SortOrder.DESC,
    )


CallListQueryDep = Annotated[CallListQuery, Depends(_call_list_query)]


def escalation_to_queue_item(row: QueueRow) -> EscalationQueueItem:
    fields = EscalationOut.model_validate(row.escalation, from_attributes=True).model_dump()
    fields["call"] = EscalationCall(
        id=row.call_id, from_number=row.from_number, started_at=row.started_at
    )
    return EscalationQueueItem.model_validate(fields)


@dataclass(frozen=True, slots=True)
class EscalationQueueQuery:
    """The queue's filters as the API states them."""

    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignee_id: uuid.UUID | None = None
    assigned_to_me: bool = False
    descending: bool = False


async def _escalation_queue_query(
    status: Annotated[list[EscalationStatus] | None, Query(description="One or more")] = None,
    priority: Annotated[list[EscalationPriority] | None, Query(description="One or more")] = None,
    assignee_id: Annotated[uuid.UUID | None, Query()] = None,
    assigned_to_me: Annotated[
        bool, Query(description="Only escalations assigned to the signed-in user")
    ] = False,
    order: Annotated[SortOrder, Query(description="asc: oldest first")] = SortOrder.ASC,
) -> EscalationQueueQuery:
    return EscalationQueueQuery(
        statuses=tuple(sorted({s.value for s in status or ()})),
        priorities=tuple(sorted({p.value for p in priority or ()})),
        assignee_id=assignee_id,
        assigned_to_me=assigned_to_me,
        descending=order is SortOrder.DESC,
    )


EscalationQueueQueryDep = Annotated[EscalationQueueQuery, Depends(_escalation_queue_query)]
