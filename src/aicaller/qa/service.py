"""Scorecards and evaluations of one business.

Every business has a default scorecard (created with the business, or on first use for older
ones) that post-call evaluation scores against. People's evaluations never replace the AI's:
both are kept, and the latest evaluation by a person is the one that counts.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping, Sequence
from typing import Any

from sqlalchemy.exc import IntegrityError
from sqlalchemy.ext.asyncio import AsyncSession

from aicaller.calls.service import CallService
from aicaller.core.cache import AppCache
from aicaller.core.errors import ValidationError
from aicaller.database.models import Evaluation, Scorecard
from aicaller.database.models.qa import EvaluatorKind
from aicaller.database.service import BaseService
from aicaller.qa.defaults import (
    DEFAULT_CRITERIA,
    DEFAULT_SCORECARD_DESCRIPTION,
    DEFAULT_SCORECARD_NAME,
)
from aicaller.qa.repository import EvaluationRepository, ScorecardRepository
from aicaller.qa.schemas import EvaluationCreate, ScorecardCreate, ScorecardUpdate
from aicaller.qa.scoring import Criterion, Judgement, Result, score


def criteria_of(scorecard: Scorecard) -> list[Criterion]:
    return [
        Criterion(
            key=item["key"],
            label=item["label"],
            weight=float(item["weight"]),
            auto_fail=bool(item.get("auto_fail", False)),
            description=str(item.get("description", "")),
        )
        for item in scorecard.criteria
    ]


def _stored(criteria: Sequence[Any]) -> list[dict[str, Any]]:
    return [
        {
            "key": c.key,
            "label": c.label,
            "description": c.description,
            "weight": c.weight,
            "auto_fail": c.auto_fail,
        }
        for c in criteria
    ]


def effective_evaluation(evaluations: Sequence[Evaluation]) -> Evaluation | None:
    """Of a call's evaluations (newest first), the one that counts."""
    human = next((e for e in evaluations if e.evaluator == EvaluatorKind.HUMAN), None)
    return human or (evaluations[0] if evaluations else None)


class QaService(BaseService):
    def __init__(
        self, session: AsyncSession, business_id: uuid.UUID, cache: AppCache | None = None
    ) -> None:
        super().__init__(session, business_id)
        self.scorecards = ScorecardRepository(session, business_id)
        self.evaluations = EvaluationRepository(session, business_id)
        self.calls = CallService(session, business_id, cache)

    # -- scorecards -------------------------------------------------------------------------------
    async def list_scorecards(self) -> list[Scorecard]:
        await self.default_scorecard()
        return await self.scorecards.all()

    async def get_scorecard(self, scorecard_id: uuid.UUID) -> Scorecard:
        return await self.scorecards.get_or_raise(scorecard_id)

    async def create_scorecard(self, data: ScorecardCreate) -> Scorecard:
        if data.is_default:
            await self.default_scorecard()  # exists before it is replaced, never after
            await self.scorecards.clear_default()
        return await self.scorecards.create(
            name=data.name,
            description=data.description,
            is_default=data.is_default,
            criteria=_stored(data.criteria),
        )

    async def update_scorecard(self, scorecard_id: uuid.UUID, data: ScorecardUpdate) -> Scorecard:
        scorecard = await self.scorecards.get_or_raise(scorecard_id)
        changes: dict[str, Any] = data.model_dump(exclude_unset=True, exclude={"criteria"})
        if data.criteria is not None:
            changes["criteria"] = _stored(data.criteria)
        if data.is_default and not scorecard.is_default:
            await self.scorecards.clear_default()
        return await self.scorecards.update(scorecard, **changes)

    async def default_scorecard(self) -> Scorecard:
        """The default scorecard, created on first use for businesses that predate QA."""
        existing = await self.scorecards.default()
        if existing is not None:
            return existing
        try:
            async with self.session.begin_nested():
                return await self.create_default()
        except IntegrityError:
            # Another request created it first (one default per business, by index).
            found = await self.scorecards.default()
            if found is None:
                raise
            return found

    async def create_default(self) -> Scorecard:
        return await self.scorecards.create(
            name=DEFAULT_SCORECARD_NAME,
            description=DEFAULT_SCORECARD_DESCRIPTION,
            is_default=True,
            criteria=_stored(DEFAULT_CRITERIA),
        )

    # -- evaluations ------------------------------------------------------------------------------
    async def list_evaluations(
        self, call_id: uuid.UUID
    ) -> tuple[list[Evaluation], Evaluation | None]:
        await self.calls.require(call_id)
        evaluations = await self.evaluations.for_call(call_id)
        return evaluations, effective_evaluation(evaluations)

    async def add_human_evaluation(
        self, call_id: uuid.UUID, data: EvaluationCreate, *, user_id: uuid.UUID | None
    ) -> Evaluation:
        await self.calls.require(call_id)
        scorecard = (
            await self.scorecards.get_or_raise(data.scorecard_id)
            if data.scorecard_id is not None
            else await self.default_scorecard()
        )
        criteria = criteria_of(scorecard)
        given = {item.key: Judgement(item.result, item.explanation) for item in data.results}
        expected = {criterion.key for criterion in criteria}
        if set(given) != expected or len(given) != len(data.results):
            missing, unknown = sorted(expected - set(given)), sorted(set(given) - expected)
            raise ValidationError(
                "Give exactly one result for every criterion of the scorecard",
                code="evaluation_incomplete",
                details=[
                    *({"loc": ["body", "results"], "msg": f"missing {key}"} for key in missing),
                    *({"loc": ["body", "results"], "msg": f"unknown {key}"} for key in unknown),
                ],
            )
        return await self._store(
            call_id, scorecard, criteria, given, EvaluatorKind.HUMAN, user_id, data.comment
        )

    async def record_ai_evaluation(
        self, call_id: uuid.UUID, scorecard: Scorecard, judgements: Mapping[str, Judgement]
    ) -> Evaluation:
        """The AI's evaluation of the call, replacing an earlier AI one (jobs may re-run)."""
        criteria = criteria_of(scorecard)
        complete = {
            c.key: judgements.get(c.key, Judgement(Result.NA, "Not evaluated.")) for c in criteria
        }
        await self.evaluations.delete_ai(call_id)
        return await self._store(
            call_id, scorecard, criteria, complete, EvaluatorKind.AI, None, None
        )

    async def _store(
        self,
        call_id: uuid.UUID,
        scorecard: Scorecard,
        criteria: list[Criterion],
        judgements: Mapping[str, Judgement],
        evaluator: EvaluatorKind,
        user_id: uuid.UUID | None,
        comment: str | None,
    ) -> Evaluation:
        scored = score(criteria, judgements)
        evaluation = await self.evaluations.create(
            call_id=call_id,
            scorecard_id=scorecard.id,
            scorecard_name=scorecard.name,
            evaluator=evaluator.value,
            evaluator_user_id=user_id,
            score=scored.score,
            auto_failed=scored.auto_failed,
            results=scored.results,
            comment=comment,
        )
        self.calls.invalidate()  # analytics read QA scores
        return evaluation
