"""Queries for escalations, including the queue across calls. Scoped to one business.

The queue returns each escalation with its call's id, caller number and start time from one
joined statement, so a page costs one statement whatever its size.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import ColumnElement, and_, select

from aicaller.core.errors import ValidationError
from aicaller.database.models import Call, Escalation
from aicaller.database.repository import BaseRepository, after_cursor, decode_cursor, encode_cursor


@dataclass(frozen=True, slots=True)
class QueueFilters:
    statuses: tuple[str, ...] = ()
    priorities: tuple[str, ...] = ()
    assignee_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class QueueCall:
    id: uuid.UUID
    from_number: str
    started_at: datetime


@dataclass(frozen=True, slots=True)
class QueueRow:
    escalation: Escalation
    call: QueueCall


class EscalationRepository(BaseRepository[Escalation]):
    model = Escalation
    not_found_code = "escalation_not_found"

    def _conditions_for(self, filters: QueueFilters) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = [self._tenant_condition()]
        if filters.statuses:
            conditions.append(Escalation.status.in_(filters.statuses))
        if filters.priorities:
            conditions.append(Escalation.priority.in_(filters.priorities))
        if filters.assignee_id is not None:
            conditions.append(Escalation.assignee_id == filters.assignee_id)
        return conditions

    async def queue_page(
        self, filters: QueueFilters, *, descending: bool, limit: int, cursor: str | None
    ) -> tuple[list[QueueRow], str | None]:
        """One page of the queue ordered by creation time, with call fields, in one statement."""
        on_call = and_(Call.id == Escalation.call_id, Call.business_id == self.business_id)
        stmt = (
            select(Escalation, Call.id, Call.from_number, Call.started_at)
            .join(Call, on_call)
            .where(*self._conditions_for(filters))
        )
        if cursor:
            value, last_id = decode_cursor(cursor, datetime)
            if value is None:
                raise ValidationError("The cursor is not valid", code="invalid_cursor")
            stmt = stmt.where(
                after_cursor(
                    Escalation.created_at, Escalation.id, value, last_id, descending=descending
                )
            )
        if descending:
            stmt = stmt.order_by(Escalation.created_at.desc(), Escalation.id.desc())
        else:
            stmt = stmt.order_by(Escalation.created_at.asc(), Escalation.id.asc())
        result = await self.session.execute(stmt.limit(limit + 1))
        rows = [
            QueueRow(esc, QueueCall(call_id, number, started))
            for esc, call_id, number, started in result
        ]
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1].escalation
            next_cursor = encode_cursor(last.created_at, last.id)
        return rows, next_cursor
