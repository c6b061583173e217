"""After a call: its summary, the caller's sentiment, whether the AI resolved it, and the AI's
QA evaluation against the business's default scorecard.

Reads in one transaction and writes in another, so an LLM review (which may take seconds)
never holds a database transaction open. Safe to run twice: the summary and sentiment fill
only what nobody set by hand, and the AI evaluation replaces the earlier AI one.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from aicaller.agent.analysis import analyse
from aicaller.agent.llm_review import LlmReviewer
from aicaller.agent.protocol import PastTurn
from aicaller.businesses.schemas import AgentMode, BusinessConfig
from aicaller.businesses.service import BusinessService
from aicaller.calls.service import CallService
from aicaller.core.errors import NotFound
from aicaller.database.session import Database
from aicaller.knowledge.gaps.service import KnowledgeGapService
from aicaller.qa.evaluators import CallFacts, TurnFact, evaluate_offline
from aicaller.qa.scoring import Criterion
from aicaller.qa.service import QaService, criteria_of


@dataclass(frozen=True, slots=True)
class _Snapshot:
    config: BusinessConfig
    facts: CallFacts
    scorecard_id: uuid.UUID
    criteria: list[Criterion]


class PostCallAnalysis:
    def __init__(
        self, database: Database, business_id: uuid.UUID, reviewer: LlmReviewer | None
    ) -> None:
        self.database = database
        self.business_id = business_id
        self.reviewer = reviewer

    async def run(self, call_id: uuid.UUID) -> dict[str, Any]:
        try:
            snapshot = await self._read(call_id)
        except NotFound:
            return {"status": "deleted"}  # the call went away before its analysis ran
        if not any(turn.speaker == "caller" for turn in snapshot.facts.turns):
            return {"status": "skipped", "reason": "the caller never spoke"}
        turns = [PastTurn(t.speaker, t.text, t.intent) for t in snapshot.facts.turns]
        analysis = analyse(turns, snapshot.facts.end_reason)
        judgements = evaluate_offline(snapshot.criteria, snapshot.facts)
        evaluator = "offline"
        if self.reviewer is not None and snapshot.config.agent_mode is AgentMode.LLM:
            reviewed = await self.reviewer.review(
                snapshot.facts.turns, snapshot.criteria, snapshot.config.llm_model
            )
            if reviewed is not None:
                analysis, judgements = reviewed
                evaluator = "llm"
        async with self.database.transaction() as session:
            await CallService(session, self.business_id).record_analysis(
                call_id,
                summary=analysis.summary,
                sentiment=analysis.sentiment,
                resolved_by_ai=analysis.resolved_by_ai,
            )
            qa = QaService(session, self.business_id)
            scorecard = await qa.get_scorecard(snapshot.scorecard_id)
            evaluation = await qa.record_ai_evaluation(call_id, scorecard, judgements)
        return {"status": "analysed", "evaluator": evaluator, "score": evaluation.score}

    async def _read(self, call_id: uuid.UUID) -> _Snapshot:
        async with self.database.transaction() as session:
            call = await CallService(session, self.business_id).get(call_id)
            config = await BusinessService(session, self.business_id).get_config()
            gaps = await KnowledgeGapService(session, self.business_id).for_call(call_id)
            scorecard = await QaService(session, self.business_id).default_scorecard()
            facts = CallFacts(
                turns=[TurnFact(t.speaker, t.text, t.intent, tuple(t.sources)) for t in call.turns],
                greeting=config.greeting,
                end_reason=call.end_reason,
                unanswered=gaps,
            )
            return _Snapshot(config, facts, scorecard.id, criteria_of(scorecard))
