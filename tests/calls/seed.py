"""Hand-built call data written straight through the session (faster than the API, and free to
set timestamps and states the API decides itself)."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta
from typing import Any

from aicaller.database.models import Call, CallNote, Escalation, TranscriptTurn
from aicaller.database.session import Database

BASE_TIME = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def call_row(business_id: uuid.UUID, **values: Any) -> Call:
    defaults: dict[str, Any] = {
        "direction": "inbound",
        "from_number": "+14155550100",
        "to_number": "+14155550200",
        "status": "completed",
        "started_at": BASE_TIME,
    }
    defaults.update(values)
    return Call(id=uuid.uuid4(), business_id=business_id, **defaults)


async def insert_calls(database: Database, calls: list[Call]) -> list[uuid.UUID]:
    async with database.transaction() as session:
        session.add_all(calls)
    return [call.id for call in calls]


async def add_turns(
    database: Database, business_id: uuid.UUID, call_id: uuid.UUID, texts: list[str]
) -> None:
    async with database.transaction() as session:
        session.add_all(
            TranscriptTurn(
                business_id=business_id,
                call_id=call_id,
                sequence=i,
                speaker="caller" if i % 2 == 0 else "agent",
                text=text,
                offset_ms=i * 1000,
            )
            for i, text in enumerate(texts)
        )


async def add_notes(
    database: Database, business_id: uuid.UUID, call_id: uuid.UUID, count: int
) -> None:
    async with database.transaction() as session:
        session.add_all(
            CallNote(business_id=business_id, call_id=call_id, body=f"note {i}")
            for i in range(count)
        )


async def add_escalations(
    database: Database, business_id: uuid.UUID, call_id: uuid.UUID, statuses: list[str]
) -> None:
    """Escalations created one minute apart, in the order given (the last is the current)."""
    async with database.transaction() as session:
        session.add_all(
            Escalation(
                business_id=business_id,
                call_id=call_id,
                reason="caller asked for a person",
                status=status,
                created_at=BASE_TIME + timedelta(minutes=i),
            )
            for i, status in enumerate(statuses)
        )
