"""Dependencies of the call routes and their sub-domains' routes: the services, who may do
what, and the query parameters of the calls list and the escalation queue (parsed here, so
services take plain values)."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date
from typing import Annotated

from fastapi import Depends, Query, Request
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.calls.actions.carrier import TelephonyProvider
from aicaller.calls.actions.service import ActionService
from aicaller.calls.escalations.service import EscalationQueueQuery, EscalationService
from aicaller.calls.notes.service import NoteService
from aicaller.calls.schemas import MAX_DURATION, MAX_YEAR, MIN_YEAR, CallSort, SortOrder
from aicaller.calls.service import CallListQuery, CallService
from aicaller.core.cache import AppCache
from aicaller.core.errors import ValidationError
from aicaller.core.recordings import RecordingStore
from aicaller.core.schemas import IsoDate, PhoneNumber
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.escalation import EscalationPriority, EscalationStatus
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, STAFF_ROLES, Role, Scope


@dataclass(frozen=True, slots=True)
class _CallServices:
    session: AsyncSession
    cache: AppCache
    provider: TelephonyProvider
    recordings: RecordingStore | None = None

    def of(self, principal: Principal) -> CallService:
        return CallService(
            self.session, principal.business_id, self.cache, recordings=self.recordings
        )

    def notes(self, principal: Principal) -> NoteService:
        return NoteService(self.session, principal, self.cache)

    def escalations(self, principal: Principal) -> EscalationService:
        return EscalationService(self.session, principal, self.cache)

    def actions(self, principal: Principal) -> ActionService:
        return ActionService(self.session, principal.business_id, self.cache, self.provider)


async def _call_services(request: Request, session: SessionDep, cache: CacheDep) -> _CallServices:
    state = request.app.state
    return _CallServices(session, cache, state.telephony, state.recordings)


Calls = Annotated[_CallServices, Depends(_call_services)]
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.CALLS_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.CALLS_WRITE)]
# Notes and escalations: agents write too (the services apply the per-row rules).
StaffWriter = Annotated[Principal, require_role(*STAFF_ROLES, scope=Scope.CALLS_WRITE)]
Deleter = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.CALLS_WRITE)]
Duration = Annotated[int | None, Query(ge=0, le=MAX_DURATION)]


def _check_date(value: date | None, name: str) -> date | None:
    if value is not None and not MIN_YEAR <= value.year <= MAX_YEAR:
        raise ValidationError(f"{name} must be between {MIN_YEAR} and {MAX_YEAR}")
    return value


async def _call_list_query(
    status: Annotated[list[CallStatus] | None, Query(description="One or more statuses")] = None,
    direction: Annotated[CallDirection | None, Query()] = None,
    date_from: Annotated[
        IsoDate | None, Query(alias="from", description="First day, in the business's timezone")
    ] = None,
    date_to: Annotated[
        IsoDate | None, Query(alias="to", description="Last day (inclusive), business timezone")
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


# The calls list's filters; the calls export takes the same ones.
CallListQueryDep = Annotated[CallListQuery, Depends(_call_list_query)]


async def _queue_query(
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


EscalationQueueQueryDep = Annotated[EscalationQueueQuery, Depends(_queue_query)]
