"""Queries for calls and their transcripts. Every statement is scoped to one business.

The list returns each call with its notes count and current escalation state as correlated
scalar subqueries of the same statement, so a page costs one statement whatever its size.
Sorting by duration orders ``COALESCE(duration_seconds, 0)``: calls that have no duration yet
(not ended) sort as zero-length calls, and the cursor carries the same coalesced value.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, exists, func, or_, select, update
from sqlalchemy.ext.asyncio import AsyncSession
from sqlalchemy.orm import selectinload

from aicaller.calls.text_search import not_indexed, searched_ids, text_branches
from aicaller.core.errors import NotFound, ValidationError
from aicaller.database.models import Call, CallNote, Escalation, TranscriptTurn
from aicaller.database.models.escalation import EscalationStatus
from aicaller.database.repository import BaseRepository, after_cursor, decode_cursor, encode_cursor

MAX_SQL_INT = 2**31 - 1
UNRESOLVED = (EscalationStatus.OPEN.value, EscalationStatus.ACKNOWLEDGED.value)


@dataclass(frozen=True, slots=True)
class CallFilters:
    """What the list may be narrowed by; ``None`` means "do not filter on this"."""

    statuses: tuple[str, ...] = ()
    direction: str | None = None
    started_from: datetime | None = None  # inclusive, UTC
    started_before: datetime | None = None  # exclusive, UTC
    phone: str | None = None
    escalated: bool | None = None
    open_escalation: bool | None = None  # an escalation that is open or acknowledged
    has_notes: bool | None = None
    min_duration: int | None = None
    max_duration: int | None = None
    q: str | None = None


# A listed call: every ``calls`` column by its column name (``metadata``, not the attribute
# name), plus ``notes_count`` and ``escalation_state``. Plain rows rather than ORM objects: a
# list page never changes its calls, and building an ORM object per row and tracking it in the
# identity map was a large part of a page's cost (docs/benchmarks.md, "The calls API").
CallRow = Mapping[str, Any]


def _flag(condition: ColumnElement[bool], wanted: bool | None) -> list[ColumnElement[bool]]:
    if wanted is None:
        return []
    return [condition if wanted else ~condition]


class CallRepository(BaseRepository[Call]):
    model = Call
    not_found_code = "call_not_found"

    # -- per-call aggregates, correlated to the outer ``calls`` row -----------------------------
    def _notes_count(self) -> Any:
        return (
            select(func.count(CallNote.id))
            .where(CallNote.call_id == Call.id, CallNote.business_id == self.business_id)
            .correlate(Call)
            .scalar_subquery()
        )

    def _escalation_state(self) -> Any:
        return (
            select(Escalation.status)
            .where(Escalation.call_id == Call.id, Escalation.business_id == self.business_id)
            .order_by(Escalation.created_at.desc(), Escalation.id.desc())
            .limit(1)
            .correlate(Call)
            .scalar_subquery()
        )

    def _has_escalation(self, *statuses: str) -> ColumnElement[bool]:
        query = select(Escalation.id).where(
            Escalation.call_id == Call.id, Escalation.business_id == self.business_id
        )
        if statuses:
            query = query.where(Escalation.status.in_(statuses))
        return exists(query.correlate(Call))

    def _has_notes(self) -> ColumnElement[bool]:
        query = select(CallNote.id).where(
            CallNote.call_id == Call.id, CallNote.business_id == self.business_id
        )
        return exists(query.correlate(Call))

    def _filter_conditions(self, filters: CallFilters) -> list[ColumnElement[bool]]:
        conditions: list[ColumnElement[bool]] = []
        if filters.statuses:
            conditions.append(Call.status.in_(filters.statuses))
        if filters.direction is not None:
            conditions.append(Call.direction == filters.direction)
        if filters.started_from is not None:
            conditions.append(Call.started_at >= filters.started_from)
        if filters.started_before is not None:
            conditions.append(Call.started_at < filters.started_before)
        if filters.phone is not None:
            conditions.append(
                or_(Call.from_number == filters.phone, Call.to_number == filters.phone)
            )
        if filters.min_duration is not None:
            conditions.append(Call.duration_seconds >= filters.min_duration)
        if filters.max_duration is not None:
            conditions.append(Call.duration_seconds <= filters.max_duration)
        # Subqueries are built only for the flags asked for: building them costs time too.
        if filters.escalated is not None:
            conditions += _flag(self._has_escalation(), filters.escalated)
        if filters.open_escalation is not None:
            conditions += _flag(self._has_escalation(*UNRESOLVED), filters.open_escalation)
        if filters.has_notes is not None:
            conditions += _flag(self._has_notes(), filters.has_notes)
        return conditions

    # -- reads ------------------------------------------------------------------------------------
    async def list_page(
        self,
        filters: CallFilters,
        *,
        sort: str,
        descending: bool,
        limit: int,
        cursor: str | None,
    ) -> tuple[list[CallRow], str | None]:
        """One page of calls with their aggregates, in one statement."""
        by_duration = sort == "duration"
        sort_expr: Any = func.coalesce(Call.duration_seconds, 0) if by_duration else Call.started_at
        conditions = self._filter_conditions(filters)
        if cursor:
            value, last_id = decode_cursor(cursor, int if by_duration else datetime)
            if value is None or (by_duration and not -MAX_SQL_INT <= value <= MAX_SQL_INT):
                raise ValidationError("The cursor is not valid", code="invalid_cursor")
            conditions.append(
                after_cursor(sort_expr, Call.id, value, last_id, descending=descending)
            )
        if descending:
            order = [sort_expr.desc(), Call.id.desc()]
        else:
            order = [sort_expr.asc(), Call.id.asc()]
        tenant = self._tenant_condition()
        if filters.q:
            branches = await text_branches(self.session, self.business_id, filters.q)
            found = searched_ids(branches, conditions, order, limit + 1)
            conditions = [Call.id.in_(found)]
            if self.session.get_bind().dialect.name == "sqlite":
                # From the few ids found, not by walking the business's calls again.
                tenant = not_indexed(Call.business_id) == self.business_id
        notes_count = func.coalesce(self._notes_count(), 0).label("notes_count")
        stmt = (
            select(
                *Call.__table__.c, notes_count, self._escalation_state().label("escalation_state")
            )
            .where(tenant, *conditions)
            .order_by(*order)
        )
        result = await self.session.execute(stmt.limit(limit + 1))
        rows = cast("list[CallRow]", result.mappings().all())
        next_cursor = None
        if len(rows) > limit:
            rows = rows[:limit]
            last = rows[-1]
            last_value = (last["duration_seconds"] or 0) if by_duration else last["started_at"]
            next_cursor = encode_cursor(last_value, last["id"])
        return rows, next_cursor

    async def get_detail(self, call_id: uuid.UUID) -> Call:
        """The call with transcript, notes and escalations loaded: four statements."""
        stmt = (
            self._select()
            .where(Call.id == call_id)
            .options(
                selectinload(Call.turns), selectinload(Call.notes), selectinload(Call.escalations)
            )
            .execution_options(populate_existing=True)
        )
        call = (await self.session.execute(stmt)).scalar_one_or_none()
        if call is None:
            raise NotFound("Call not found", code=self.not_found_code)
        return call

    async def get_for_update(self, call_id: uuid.UUID) -> Call:
        """The call, locked until the transaction ends.

        A no-op UPDATE rather than SELECT ... FOR UPDATE, because it locks on both engines: the
        row on PostgreSQL, the database's write lock on SQLite (where the Python driver starts
        the transaction at the first write, so what is read after it is the latest).
        """
        touch = (
            update(Call)
            .where(self._tenant_condition(), Call.id == call_id)
            .values(updated_at=Call.updated_at)
        )
        if self.session.get_bind().dialect.update_returning:  # one statement (SQLite >= 3.35)
            returning = touch.returning(Call).execution_options(
                populate_existing=True, synchronize_session=False
            )
            call = (await self.session.execute(returning)).scalar_one_or_none()
        else:
            await self.session.execute(touch)
            stmt = self._select().where(Call.id == call_id)
            stmt = stmt.execution_options(populate_existing=True)
            call = (await self.session.execute(stmt)).scalar_one_or_none()
        if call is None:
            raise NotFound("Call not found", code=self.not_found_code)
        return call


class TranscriptTurnRepository(BaseRepository[TranscriptTurn]):
    model = TranscriptTurn
    sortable = frozenset({"sequence"})

    async def for_call(self, call_id: uuid.UUID) -> list[TranscriptTurn]:
        stmt = (
            self._select()
            .where(TranscriptTurn.call_id == call_id)
            .order_by(TranscriptTurn.sequence)
        )
        return list((await self.session.execute(stmt)).scalars())

    async def add_many(self, call_id: uuid.UUID, turns: list[dict[str, Any]]) -> None:
        """Insert a call's turns in one batch; ``sequence`` follows the list order from 0."""
        self.session.add_all(
            TranscriptTurn(**turn, call_id=call_id, sequence=index, business_id=self.business_id)
            for index, turn in enumerate(turns)
        )
        await self.session.flush()

    async def insert_numbered(
        self, call_id: uuid.UUID, turns: list[dict[str, Any]]
    ) -> list[TranscriptTurn]:
        """Insert turns that carry their ``sequence``, in one statement; the unique constraint
        on (call, sequence) refuses a number already taken."""
        rows = [
            TranscriptTurn(**turn, call_id=call_id, business_id=self.business_id) for turn in turns
        ]
        self.session.add_all(rows)
        await self.session.flush()
        return rows

    async def last_sequence(self, call_id: uuid.UUID) -> int | None:
        last = await self.session.execute(
            select(func.max(TranscriptTurn.sequence)).where(
                self._tenant_condition(), TranscriptTurn.call_id == call_id
            )
        )
        return last.scalar_one_or_none()

    async def append(
        self, call_id: uuid.UUID, *, sequence: int | None = None, **values: Any
    ) -> TranscriptTurn:
        """Add a turn after the call's last one (or at ``sequence``; the unique constraint
        on (call, sequence) refuses a number already taken)."""
        if sequence is None:
            current = await self.last_sequence(call_id)
            sequence = 0 if current is None else current + 1
        return await self.create(call_id=call_id, sequence=sequence, **values)


async def call_by_provider_id(
    session: AsyncSession, provider: str, provider_call_id: str
) -> tuple[uuid.UUID, uuid.UUID] | None:
    """Unscoped on purpose: a carrier webhook names a call before any tenant is known."""
    stmt = select(Call.business_id, Call.id).where(
        Call.provider == provider, Call.provider_call_id == provider_call_id
    )
    row = (await session.execute(stmt)).one_or_none()
    return None if row is None else (row[0], row[1])


async def business_of_call(session: AsyncSession, call_id: uuid.UUID) -> uuid.UUID | None:
    """Unscoped on purpose: see ``call_by_provider_id``."""
    stmt = select(Call.business_id).where(Call.id == call_id)
    return (await session.execute(stmt)).scalar_one_or_none()
