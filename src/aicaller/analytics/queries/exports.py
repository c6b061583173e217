"""What an export adds to a batch of calls: transcripts, notes and evaluations, each one
statement per batch (``call_id IN (...)``), scoped to the business."""

from __future__ import annotations

import uuid
from collections.abc import Collection, Sequence
from typing import Any

from sqlalchemy import select
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.analytics.export_format import Include
from aicaller.database.models import CallNote, Evaluation, TranscriptTurn

Extras = dict[uuid.UUID, dict[str, list[dict[str, Any]]]]


class ExportQueries:
    def __init__(self, session: AsyncSession, business_id: uuid.UUID) -> None:
        self.session = session
        self.business_id = business_id

    async def extras(self, call_ids: Sequence[uuid.UUID], include: Collection[Include]) -> Extras:
        found: Extras = {call_id: {} for call_id in call_ids}
        if not call_ids:
            return found
        statements: list[tuple[Include, Any]] = []
        if Include.TRANSCRIPTS in include:
            statements.append(
                (
                    Include.TRANSCRIPTS,
                    select(
                        TranscriptTurn.call_id,
                        TranscriptTurn.sequence,
                        TranscriptTurn.speaker,
                        TranscriptTurn.text,
                        TranscriptTurn.offset_ms,
                    )
                    .where(
                        TranscriptTurn.business_id == self.business_id,
                        TranscriptTurn.call_id.in_(call_ids),
                    )
                    .order_by(TranscriptTurn.call_id, TranscriptTurn.sequence),
                )
            )
        if Include.NOTES in include:
            statements.append(
                (
                    Include.NOTES,
                    select(
                        CallNote.call_id,
                        CallNote.id,
                        CallNote.author_id,
                        CallNote.body,
                        CallNote.created_at,
                    )
                    .where(CallNote.business_id == self.business_id, CallNote.call_id.in_(call_ids))
                    .order_by(CallNote.call_id, CallNote.created_at, CallNote.id),
                )
            )
        if Include.EVALUATIONS in include:
            statements.append(
                (
                    Include.EVALUATIONS,
                    select(
                        Evaluation.call_id,
                        Evaluation.id,
                        Evaluation.evaluator,
                        Evaluation.score,
                        Evaluation.auto_failed,
                        Evaluation.scorecard_name,
                        Evaluation.created_at,
                    )
                    .where(
                        Evaluation.business_id == self.business_id,
                        Evaluation.call_id.in_(call_ids),
                    )
                    .order_by(Evaluation.call_id, Evaluation.created_at.desc(), Evaluation.id),
                )
            )
        for item, stmt in statements:
            for row in (await self.session.execute(stmt)).mappings():
                values = dict(row)
                found[values.pop("call_id")].setdefault(item.value, []).append(values)
        return found
