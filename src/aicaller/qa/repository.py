"""Queries for scorecards and evaluations, within one business."""

from __future__ import annotations

import uuid

from sqlalchemy import delete, update

from aicaller.database.models import Evaluation, Scorecard
from aicaller.database.models.qa import EvaluatorKind
from aicaller.database.repository import BaseRepository


class ScorecardRepository(BaseRepository[Scorecard]):
    model = Scorecard
    not_found_code = "scorecard_not_found"

    async def all(self) -> list[Scorecard]:
        stmt = self._select().order_by(Scorecard.is_default.desc(), Scorecard.created_at)
        return list((await self.session.execute(stmt)).scalars())

    async def default(self) -> Scorecard | None:
        stmt = self._select().where(Scorecard.is_default.is_(True))
        return (await self.session.execute(stmt)).scalar_one_or_none()

    async def clear_default(self) -> None:
        await self.session.execute(
            update(Scorecard)
            .where(self._tenant_condition(), Scorecard.is_default.is_(True))
            .values(is_default=False)
        )


class EvaluationRepository(BaseRepository[Evaluation]):
    model = Evaluation
    not_found_code = "evaluation_not_found"

    async def for_call(self, call_id: uuid.UUID) -> list[Evaluation]:
        stmt = (
            self._select()
            .where(Evaluation.call_id == call_id)
            .order_by(Evaluation.created_at.desc(), Evaluation.id.desc())
        )
        return list((await self.session.execute(stmt)).scalars())

    async def delete_ai(self, call_id: uuid.UUID) -> None:
        """Drop the call's AI evaluation before a new one (post-call jobs may run twice)."""
        await self.session.execute(
            delete(Evaluation).where(
                self._tenant_condition(),
                Evaluation.call_id == call_id,
                Evaluation.evaluator == EvaluatorKind.AI.value,
            )
        )
