"""Call records: listing, detail, import, status changes and deletion, within one business."""

from __future__ import annotations

import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.businesses.service import BusinessService
from aicaller.calls.repository import CallFilters, CallRepository, CallRow, TranscriptTurnRepository
from aicaller.calls.schemas import CallCreate, CallSort, CallUpdate
from aicaller.core.cache import AppCache, run_after_commit
from aicaller.core.errors import Conflict
from aicaller.core.recordings import RecordingStore
from aicaller.database.models import Call, TranscriptTurn
from aicaller.database.models.call import CallStatus
from aicaller.database.repository import Page
from aicaller.database.service import BaseService
from aicaller.worker import enqueue

# Registered by aicaller.agent.tasks; named here so the calls domain needs no agent import.
POST_CALL_JOB = "agent.post_call"
S = CallStatus
# The one place call status changes are decided. Terminal states have no way out.
ALLOWED_TRANSITIONS: dict[CallStatus, frozenset[CallStatus]] = {
    S.QUEUED: frozenset({S.RINGING, S.IN_PROGRESS, S.CANCELED, S.FAILED}),
    S.RINGING: frozenset({S.IN_PROGRESS, S.BUSY, S.NO_ANSWER, S.CANCELED, S.FAILED}),
    S.IN_PROGRESS: frozenset({S.COMPLETED, S.FAILED}),
    S.COMPLETED: frozenset(),
    S.BUSY: frozenset(),
    S.FAILED: frozenset(),
    S.NO_ANSWER: frozenset(),
    S.CANCELED: frozenset(),
}
TERMINAL = frozenset(status for status, nexts in ALLOWED_TRANSITIONS.items() if not nexts)


def check_transition(current: CallStatus, new: CallStatus) -> None:
    """Raise 409 ``invalid_transition`` unless ``current -> new`` is allowed."""
    if new not in ALLOWED_TRANSITIONS[current]:
        raise Conflict(
            f"A call cannot go from {current.value} to {new.value}", code="invalid_transition"
        )


def analytics_tag(business_id: uuid.UUID) -> str:
    """The cache tag analytics of one business are stored under; call writes clear it."""
    return f"analytics:{business_id}"


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


def local_day_start(day: date, timezone: str) -> datetime:
    """Midnight at the start of ``day`` in ``timezone``, as a UTC instant."""
    return datetime.combine(day, time.min, tzinfo=zoneinfo.ZoneInfo(timezone)).astimezone(UTC)


class CallService(BaseService):
    def __init__(
        self,
        session: AsyncSession,
        business_id: uuid.UUID,
        cache: AppCache | None = None,
        *,
        recordings: RecordingStore | None = None,
    ) -> None:
        super().__init__(session, business_id)
        self.calls = CallRepository(session, business_id)
        self.turns = TranscriptTurnRepository(session, business_id)
        self.cache = cache
        self.recordings = recordings

    # -- reads ------------------------------------------------------------------------------------
    async def list(
        self, query: CallListQuery, *, limit: int, cursor: str | None
    ) -> tuple[list[CallRow], str | None]:
        filters = CallFilters(
            statuses=query.statuses,
            direction=query.direction,
            phone=query.phone,
            escalated=query.escalated,
            open_escalation=query.open_escalation,
            has_notes=query.has_notes,
            min_duration=query.min_duration,
            max_duration=query.max_duration,
            q=query.q,
            **await self._date_range(query.date_from, query.date_to),
        )
        return await self.calls.list_page(
            filters, sort=query.sort.value, descending=query.descending, limit=limit, cursor=cursor
        )

    async def _date_range(self, first: date | None, last: date | None) -> dict[str, datetime]:
        """Local calendar days of the business turned into a half-open UTC interval."""
        if first is None and last is None:
            return {}
        timezone = (
            await BusinessService(self.session, self.business_id, self.cache).get_config()
        ).timezone
        bounds: dict[str, datetime] = {}
        if first is not None:
            bounds["started_from"] = local_day_start(first, timezone)
        if last is not None:
            bounds["started_before"] = local_day_start(last + timedelta(days=1), timezone)
        return bounds

    async def require(self, call_id: uuid.UUID) -> Call:
        """The call row alone (one statement); 404 unless it belongs to the business."""
        return await self.calls.get_or_raise(call_id)

    async def get(self, call_id: uuid.UUID) -> Call:
        """The call with its transcript, notes and escalations loaded."""
        return await self.calls.get_detail(call_id)

    async def transcript(
        self, call_id: uuid.UUID, *, limit: int, cursor: str | None
    ) -> Page[TranscriptTurn]:
        await self.calls.get_or_raise(call_id)
        return await self.turns.paginate(
            limit=limit,
            cursor=cursor,
            sort="sequence",
            descending=False,
            filters={"call_id": call_id},
        )

    # -- writes -----------------------------------------------------------------------------------
    async def create(self, data: CallCreate) -> Call:
        values: dict[str, Any] = data.model_dump(
            exclude={"transcript", "metadata", "started_at"}, exclude_none=True
        )
        values["started_at"] = data.started_at or datetime.now(UTC)
        if data.duration_seconds is None and data.ended_at is not None:
            start = data.answered_at or values["started_at"]
            values["duration_seconds"] = max(0, int((data.ended_at - start).total_seconds()))
        call = await self.calls.create(**values, call_metadata=data.metadata)
        if data.transcript:
            await self.turns.add_many(call.id, [turn.model_dump() for turn in data.transcript])
        self.invalidate()
        return await self.calls.get_detail(call.id)

    async def update(self, call_id: uuid.UUID, data: CallUpdate) -> Call:
        call = await self.calls.get_or_raise(call_id)
        changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"metadata"})
        if data.metadata is not None:
            changes["call_metadata"] = data.metadata
        new_status = changes.pop("status", None)
        if new_status is not None and new_status != call.status:
            await self.change_status(call, new_status, **changes)
        elif changes:
            await self.calls.update(call, **changes)
            self.invalidate()
        return await self.calls.get_detail(call.id)

    async def change_status(self, call: Call, status: CallStatus, **changes: Any) -> None:
        """Move ``call`` to ``status`` (409 unless allowed), stamping answer/end times. A call
        that completed gets its post-call analysis once this transaction commits."""
        check_transition(CallStatus(call.status), status)
        await self.calls.update(
            call, status=status.value, **self._status_timestamps(call, status), **changes
        )
        if status is CallStatus.COMPLETED:
            await enqueue(
                self.session,
                POST_CALL_JOB,
                {"call_id": str(call.id)},
                business_id=self.business_id,
                dedupe_key=f"{POST_CALL_JOB}:{call.id}",
            )
        self.invalidate()

    async def record_analysis(
        self, call_id: uuid.UUID, *, summary: str, sentiment: str, resolved_by_ai: bool
    ) -> None:
        """Post-call analysis fills what nobody has set by hand (a person's summary stays)."""
        call = await self.calls.get_or_raise(call_id)
        changes = {
            name: value
            for name, value in (
                ("summary", summary),
                ("sentiment", sentiment),
                ("resolved_by_ai", resolved_by_ai),
            )
            if getattr(call, name) is None
        }
        if changes:
            await self.calls.update(call, **changes)
            self.invalidate()

    @staticmethod
    def _status_timestamps(call: Call, status: CallStatus) -> dict[str, Any]:
        now = datetime.now(UTC)
        changes: dict[str, Any] = {}
        if status is CallStatus.IN_PROGRESS and call.answered_at is None:
            changes["answered_at"] = now
        if status in TERMINAL and call.ended_at is None:
            changes["ended_at"] = now
            if call.duration_seconds is None:
                start = call.answered_at or call.started_at
                changes["duration_seconds"] = max(0, int((now - start).total_seconds()))
        return changes

    async def delete(self, call_id: uuid.UUID) -> None:
        """Delete the call; the database removes its turns, notes and escalations (CASCADE),
        and its recording goes once that has committed."""
        call = await self.calls.get_or_raise(call_id)
        await self.calls.delete(call)
        self.invalidate()
        store, business_id = self.recordings, self.business_id
        if store is not None:

            async def delete_recording() -> None:
                store.delete(business_id, call_id)

            run_after_commit(self.session, delete_recording)

    def invalidate(self) -> None:
        """Clear the business's analytics once this transaction commits."""
        invalidate_analytics(self.session, self.business_id, self.cache)


def invalidate_analytics(
    session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None
) -> None:
    """Clear the business's analytics tag once the transaction commits (call, note and
    escalation writes all go through here)."""
    if cache is None:
        return
    tag = analytics_tag(business_id)

    async def invalidate() -> None:
        await cache.delete_tags(tag)

    run_after_commit(session, invalidate)
