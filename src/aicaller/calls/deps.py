"""Dependencies shared by the call routes: the service and who may do what."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Annotated

from fastapi import Depends, Request
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.api.deps import CacheDep, SessionDep, require_role
from aicaller.calls.actions.service import CallFlows
from aicaller.calls.escalations.service import EscalationService
from aicaller.calls.notes.service import NoteService
from aicaller.calls.service import CallService
from aicaller.core.cache import AppCache
from aicaller.telephony import TelephonyProvider
from aicaller.users.principal import Principal
from aicaller.users.roles import ALL_ROLES, MANAGER_ROLES, STAFF_ROLES, Role, Scope


@dataclass(frozen=True, slots=True)
class _CallServices:
    session: AsyncSession
    cache: AppCache
    provider: TelephonyProvider

    def of(self, principal: Principal) -> CallService:
        return CallService(self.session, principal.business_id, self.cache)

    def notes(self, principal: Principal) -> NoteService:
        return NoteService(self.session, principal, self.cache)

    def escalations(self, principal: Principal) -> EscalationService:
        return EscalationService(self.session, principal, self.cache)

    def flows(self, principal: Principal) -> CallFlows:
        return CallFlows(self.session, principal.business_id, self.cache, self.provider)


async def _call_services(request: Request, session: SessionDep, cache: CacheDep) -> _CallServices:
    return _CallServices(session, cache, request.app.state.telephony)


Calls = Annotated[_CallServices, Depends(_call_services)]
Reader = Annotated[Principal, require_role(*ALL_ROLES, scope=Scope.CALLS_READ)]
Writer = Annotated[Principal, require_role(*MANAGER_ROLES, scope=Scope.CALLS_WRITE)]
# Notes and escalations: agents write too (the services apply the per-row rules).
StaffWriter = Annotated[Principal, require_role(*STAFF_ROLES, scope=Scope.CALLS_WRITE)]
Deleter = Annotated[Principal, require_role(Role.ADMIN, scope=Scope.CALLS_WRITE)]
