"""Sample calls for the demo business: a few hundred over the last 60 days, so a newcomer sees a
populated system (list filters, escalation queue, notes, analytics) on first start.

Generated from a fixed seed relative to "now": the same shape every time, always recent.
"""

from __future__ import annotations

import random
import uuid
import zoneinfo
from dataclasses import dataclass
from datetime import UTC, datetime, time, timedelta
from typing import Any

from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.calls.demo_scenarios import REMINDER_TURNS, SCENARIOS, Scenario, Turn
from aicaller.calls.escalations.repository import EscalationRepository
from aicaller.calls.notes.repository import NoteRepository
from aicaller.calls.repository import CallRepository, TranscriptTurnRepository
from aicaller.database.models.call import CallDirection, CallStatus
from aicaller.database.models.escalation import EscalationStatus

CLINIC_NUMBER = "+12125550100"
AREA_CODES = ("202", "212", "312", "415", "617", "718")
DAYS = 60
OPEN_MINUTES = 9 * 60  # calls arrive between 08:00 and 17:00 local time
UNANSWERED = (CallStatus.NO_ANSWER, CallStatus.BUSY, CallStatus.FAILED)
SATURDAY = 5
# Shares of the day's calls: unanswered reminders, answered reminders, then web test calls.
UNANSWERED_SHARE, REMINDER_SHARE, WEB_SHARE = 0.05, 0.07, 0.03
NOTE_CHANCE = 0.8
OPEN_ESCALATIONS, ACKNOWLEDGED_ESCALATIONS = 4, 3


@dataclass(frozen=True, slots=True)
class DemoCalls:
    calls: int
    notes: int
    escalations: int


def caller_number(rng: random.Random) -> str:
    """A fictional but valid North American number (555-01xx is reserved for fiction)."""
    return f"+1{rng.choice(AREA_CODES)}55501{rng.randint(0, 99):02d}"


class _DemoSeeder:
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, author_id: uuid.UUID | None
    ) -> None:
        self.calls = CallRepository(session, business_id)
        self.turns = TranscriptTurnRepository(session, business_id)
        self.notes = NoteRepository(session, business_id)
        self.escalations = EscalationRepository(session, business_id)
        self.author_id = author_id
        self.counts = {"calls": 0, "notes": 0, "escalations": 0}
        self.raised: list[tuple[uuid.UUID, tuple[str, str], datetime]] = []

    async def conversation(
        self,
        rng: random.Random,
        now: datetime,
        started: datetime,
        scenario: Scenario,
        direction: CallDirection,
    ) -> None:
        offsets, elapsed = [], 1500
        for _ in scenario.turns:
            offsets.append(elapsed)
            elapsed += rng.randint(2500, 9000)
        answered = started + timedelta(seconds=rng.randint(1, 4))
        ended = answered + timedelta(milliseconds=elapsed)
        numbers = (caller_number(rng), CLINIC_NUMBER)
        call = await self.calls.create(
            direction=direction.value,
            from_number=numbers[0] if direction is not CallDirection.OUTBOUND else numbers[1],
            to_number=numbers[1] if direction is not CallDirection.OUTBOUND else numbers[0],
            status=CallStatus.COMPLETED.value,
            started_at=started,
            answered_at=answered,
            ended_at=ended,
            duration_seconds=int((ended - answered).total_seconds()),
            end_reason=scenario.end_reason,
            summary=scenario.summary,
            sentiment=scenario.sentiment,
            resolved_by_ai=scenario.resolved_by_ai,
            call_metadata={"demo": True, "topic": scenario.name},
        )
        await self.turns.add_many(call.id, _turn_rows(scenario.turns, offsets, rng))
        self.counts["calls"] += 1
        for line in scenario.notes:
            if rng.random() < NOTE_CHANCE:
                await self._note(call.id, line, min(ended + timedelta(hours=2), now))
        if scenario.escalation is not None:
            self.raised.append((call.id, scenario.escalation, ended))

    async def unanswered(self, rng: random.Random, started: datetime) -> None:
        status = rng.choice(UNANSWERED)
        await self.calls.create(
            direction=CallDirection.OUTBOUND.value,
            from_number=CLINIC_NUMBER,
            to_number=caller_number(rng),
            status=status.value,
            started_at=started,
            ended_at=started + timedelta(seconds=25),
            duration_seconds=0,
            end_reason=status.value,
            summary="Appointment reminder not delivered.",
            resolved_by_ai=False,
            call_metadata={"demo": True, "topic": "reminder"},
        )
        self.counts["calls"] += 1

    async def _note(self, call_id: uuid.UUID, body: str, at: datetime) -> None:
        await self.notes.create(call_id=call_id, author_id=self.author_id, body=body, created_at=at)
        self.counts["notes"] += 1

    async def escalations_last(self, now: datetime) -> None:
        """Create the raised escalations: the newest still open, the next acknowledged, the
        rest resolved, so the queue always has work in it."""
        newest_first = sorted(self.raised, key=lambda item: item[2], reverse=True)
        for rank, (call_id, (reason, priority), at) in enumerate(newest_first):
            values: dict[str, Any] = {"status": EscalationStatus.OPEN.value}
            if rank >= OPEN_ESCALATIONS:
                values = {
                    "status": EscalationStatus.ACKNOWLEDGED.value,
                    "assignee_id": self.author_id,
                    "acknowledged_at": min(at + timedelta(minutes=40), now),
                }
            if rank >= OPEN_ESCALATIONS + ACKNOWLEDGED_ESCALATIONS:
                values.update(
                    status=EscalationStatus.RESOLVED.value,
                    resolved_at=min(at + timedelta(hours=5), now),
                    resolution="Called the patient back and resolved it.",
                )
            await self.escalations.create(
                call_id=call_id,
                reason=reason,
                priority=priority,
                created_by_id=None,  # raised by the AI agent
                created_at=at,
                **values,
            )
            self.counts["escalations"] += 1


def _turn_rows(turns: list[Turn], offsets: list[int], rng: random.Random) -> list[dict[str, Any]]:
    rows = []
    for turn, offset in zip(turns, offsets, strict=True):
        speaker, text = turn[0], turn[1]
        sources = list(turn[2]) if len(turn) > 2 else []  # noqa: PLR2004 - (speaker, text, sources)
        confidence = round(rng.uniform(0.82, 0.99), 2) if speaker == "caller" else None
        rows.append(
            {
                "speaker": speaker,
                "text": text,
                "offset_ms": offset,
                "confidence": confidence,
                "sources": sources,
            }
        )
    return rows


REMINDER = Scenario(
    "reminder", 0, REMINDER_TURNS, "Appointment reminder confirmed.", "positive", True,
    end_reason="agent_hangup",
)  # fmt: skip


async def seed_demo_calls(
    session: AsyncSession,
    business_id: uuid.UUID,
    *,
    timezone: str,
    author_id: uuid.UUID | None,
    now: datetime | None = None,
    seed: int = 7,
) -> DemoCalls:
    """Add the sample calls unless the business already has calls; returns what was added."""
    seeder = _DemoSeeder(session, business_id, author_id)
    if await seeder.calls.count() > 0:
        return DemoCalls(0, 0, 0)
    rng = random.Random(seed)  # noqa: S311 - sample data, not security
    now = now or datetime.now(UTC)
    zone = zoneinfo.ZoneInfo(timezone)
    today = now.astimezone(zone).date()
    weights = [scenario.weight for scenario in SCENARIOS]
    for days_ago in range(DAYS, -1, -1):
        day = today - timedelta(days=days_ago)
        count = rng.randint(0, 2) if day.weekday() >= SATURDAY else rng.randint(4, 9)
        for _ in range(count):
            minute = rng.randint(0, OPEN_MINUTES)
            local = datetime.combine(day, time(8), tzinfo=zone) + timedelta(minutes=minute)
            started = local.astimezone(UTC)
            if started > now - timedelta(minutes=30):
                continue
            roll = rng.random()
            if roll < UNANSWERED_SHARE:
                await seeder.unanswered(rng, started)
            elif roll < UNANSWERED_SHARE + REMINDER_SHARE:
                await seeder.conversation(rng, now, started, REMINDER, CallDirection.OUTBOUND)
            else:
                direction = CallDirection.WEB if roll > 1 - WEB_SHARE else CallDirection.INBOUND
                scenario = rng.choices(SCENARIOS, weights)[0]
                await seeder.conversation(rng, now, started, scenario, direction)
    await seeder.escalations_last(now)
    return DemoCalls(**seeder.counts)
