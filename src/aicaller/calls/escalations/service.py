"""Escalations: create on a call, the queue across calls, and working one through its states.

Transitions are decided here only: open -> acknowledged | resolved, acknowledged -> resolved;
resolved is final. Agents work only escalations assigned to them or created by them and do not
assign; supervisors, admins and API keys with ``calls:write`` may do everything.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.calls.escalations.repository import EscalationRepository, QueueFilters, QueueRow
from aicaller.calls.escalations.schemas import EscalationAction, EscalationCreate, EscalationUpdate
from aicaller.calls.repository import CallRepository
from aicaller.calls.service import invalidate_analytics
from aicaller.core.cache import AppCache
from aicaller.core.errors import Conflict, PermissionDenied, ValidationError
from aicaller.database.models import Escalation
from aicaller.database.models.escalation import EscalationStatus
from aicaller.database.service import BaseService
from aicaller.users.principal import Principal
from aicaller.users.roles import Role
from aicaller.users.service import is_active_user

E = EscalationStatus
ALLOWED_TRANSITIONS: dict[EscalationStatus, frozenset[EscalationStatus]] = {
    E.OPEN: frozenset({E.ACKNOWLEDGED, E.RESOLVED}),
    E.ACKNOWLEDGED: frozenset({E.RESOLVED}),
    E.RESOLVED: frozenset(),
}


def check_transition(current: EscalationStatus, new: EscalationStatus) -> None:
    """Raise 409 ``invalid_transition`` unless ``current -> new`` is allowed."""
    if new not in ALLOWED_TRANSITIONS[current]:
        raise Conflict(
            f"An escalation cannot go from {current.value} to {new.value}",
            code="invalid_transition",
        )


@dataclass(frozen=True, slots=True)
class EscalationQueueQuery:
    """The queue's filters as the API states them."""

    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignee_id: uuid.UUID | None = None
    assigned_to_me: bool = False
    descending: bool = False


class EscalationService(BaseService):
    def __init__(
        self, session: AsyncSession, principal: Principal, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, principal.business_id)
        self.principal = principal
        self.calls = CallRepository(session, principal.business_id)
        self.escalations = EscalationRepository(session, principal.business_id)
        self.cache = cache

    async def queue(
        self, query: EscalationQueueQuery, *, limit: int, cursor: str | None
    ) -> tuple[list[QueueRow], str | None]:
        assignee_id = query.assignee_id
        if query.assigned_to_me:
            if self.principal.user_id is None:
                raise ValidationError("assigned_to_me needs a signed-in user")
            if assignee_id not in (None, self.principal.user_id):
                return [], None  # two different assignees: nothing can match
            assignee_id = self.principal.user_id
        filters = QueueFilters(
            statuses=query.statuses, priorities=query.priorities, assignee_id=assignee_id
        )
        return await self.escalations.queue_page(
            filters, descending=query.descending, limit=limit, cursor=cursor
        )

    async def create(self, call_id: uuid.UUID, data: EscalationCreate) -> Escalation:
        await self.calls.get_or_raise(call_id)
        escalation = await self.escalations.create(
            call_id=call_id,
            reason=data.reason,
            priority=data.priority.value,
            status=EscalationStatus.OPEN.value,
            created_by_id=self.principal.user_id,
        )
        invalidate_analytics(self.session, self.business_id, self.cache)
        return escalation

    async def update(self, escalation_id: uuid.UUID, data: EscalationUpdate) -> Escalation:
        escalation = await self.escalations.get_or_raise(escalation_id)
        changes: dict[str, Any] = {}
        if "assignee_id" in data.model_fields_set:
            changes["assignee_id"] = await self._assignee(data.assignee_id)
        if data.status is not None:
            self._check_may_work(escalation)
            changes.update(self._status_changes(escalation, data.status, data.resolution))
        if changes:
            await self.escalations.update(escalation, **changes)
            invalidate_analytics(self.session, self.business_id, self.cache)
        return escalation

    async def _assignee(self, assignee_id: uuid.UUID | None) -> uuid.UUID | None:
        if self.principal.role is Role.AGENT:
            raise PermissionDenied(
                "Only supervisors and admins assign escalations", code="forbidden_role"
            )
        if assignee_id is not None and not await is_active_user(
            self.session, self.business_id, assignee_id
        ):
            raise ValidationError(
                "The assignee must be an active user of this business", code="invalid_assignee"
            )
        return assignee_id

    def _check_may_work(self, escalation: Escalation) -> None:
        user_id = self.principal.user_id
        if self.principal.role is not Role.AGENT:
            return
        if user_id is not None and user_id in (escalation.assignee_id, escalation.created_by_id):
            return
        raise PermissionDenied(
            "Agents work only escalations assigned to them or created by them",
            code="not_escalation_owner",
        )

    @staticmethod
    def _status_changes(
        escalation: Escalation, action: EscalationAction, resolution: str | None
    ) -> dict[str, Any]:
        new = EscalationStatus(action.value)
        check_transition(EscalationStatus(escalation.status), new)
        now = datetime.now(UTC)
        if new is EscalationStatus.ACKNOWLEDGED:
            return {"status": new.value, "acknowledged_at": now}
        return {"status": new.value, "resolved_at": now, "resolution": resolution}
