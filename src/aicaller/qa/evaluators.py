"""Offline QA evaluators: each default criterion judged from the transcript's intents.

Deterministic, and every judgement says why, so a supervisor can check it against the call.
Criteria a business adds itself have no offline evaluator: they are N/A until a person (or the
LLM evaluator) scores them.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from aicaller.database.models.transcript_turn import TurnIntent as I
from aicaller.qa.scoring import Criterion, Judgement, Result

QUESTIONS = frozenset({I.CALLER_QUESTION, I.CALLER_HOURS, I.CALLER_CONTACT})
ANSWERS = frozenset({I.ANSWER, I.HOURS, I.CONTACT})
HANDOVERS = frozenset({I.ESCALATE, I.TRANSFER})
TRIGGERS = frozenset({I.CALLER_HUMAN, I.CALLER_EMERGENCY})


@dataclass(frozen=True, slots=True)
class TurnFact:
    speaker: str
    text: str
    intent: str | None
    sources: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CallFacts:
    turns: Sequence[TurnFact]
    greeting: str
    end_reason: str | None
    unanswered: Sequence[str]  # the knowledge gaps recorded on the call

    def agent_turns(self) -> list[TurnFact]:
        return [turn for turn in self.turns if turn.speaker == "agent"]

    def caller_intents(self) -> list[str | None]:
        return [turn.intent for turn in self.turns if turn.speaker == "caller"]


def _greeted(facts: CallFacts) -> Judgement:
    agent = facts.agent_turns()
    if not agent:
        return Judgement(Result.NA, "The agent never spoke.")
    first = agent[0]
    if first.intent == I.GREETING and first.text.strip() == facts.greeting.strip():
        return Judgement(Result.PASS, "The agent opened with the configured greeting.")
    return Judgement(Result.FAIL, f"The agent opened with {first.text[:120]!r}, not the greeting.")


def _grounded(facts: CallFacts) -> Judgement:
    answers = [turn for turn in facts.agent_turns() if turn.intent in ANSWERS]
    if not answers:
        if any(intent in QUESTIONS for intent in facts.caller_intents()):
            return Judgement(Result.FAIL, "The caller asked questions and got no answer.")
        return Judgement(Result.NA, "The caller asked no questions.")
    unsourced = [t for t in answers if t.intent == I.ANSWER and not t.sources]
    if unsourced:
        return Judgement(
            Result.FAIL,
            f"{len(unsourced)} of {len(answers)} answers cited no knowledge source.",
        )
    sources = sorted({source for turn in answers for source in turn.sources})
    cited = f" (sources: {', '.join(sources[:3])})" if sources else " (from the configuration)"
    return Judgement(Result.PASS, f"All {len(answers)} answers were grounded{cited}.")


def _nothing_unanswered(facts: CallFacts) -> Judgement:
    if not any(intent in QUESTIONS for intent in facts.caller_intents()):
        return Judgement(Result.NA, "The caller asked no questions.")
    if facts.unanswered:
        listed = "; ".join(repr(q[:80]) for q in facts.unanswered[:3])
        return Judgement(Result.FAIL, f"The agent could not answer {listed}.")
    return Judgement(Result.PASS, "Every question got an answer.")


def _escalation(facts: CallFacts) -> Judgement:
    turns = list(facts.turns)
    frustrated = 0
    for index, turn in enumerate(turns):
        if turn.speaker != "caller":
            continue
        frustrated += turn.intent == I.CALLER_FRUSTRATED
        if turn.intent in TRIGGERS or frustrated >= 2:  # noqa: PLR2004 - "repeated"
            reply = next((t for t in turns[index + 1 :] if t.speaker == "agent"), None)
            already = any(t.intent == I.ESCALATE for t in turns[:index] if t.speaker == "agent")
            if reply is not None and (reply.intent in HANDOVERS or already):
                return Judgement(Result.PASS, "The caller's request was handed over at once.")
            what = "asked for a person" if turn.intent == I.CALLER_HUMAN else "needed a person"
            return Judgement(Result.FAIL, f"The caller {what} and was not handed over.")
    handovers = [t for t in facts.agent_turns() if t.intent in HANDOVERS]
    if not handovers:
        return Judgement(Result.NA, "Nothing called for a hand-over and none happened.")
    tried = any(t.intent in {I.REPHRASE, I.DECLINE} for t in facts.agent_turns())
    if tried:
        return Judgement(Result.PASS, "Handed over after the agent could not answer twice.")
    return Judgement(Result.FAIL, "The call was handed over without a reason.")


def _closed(facts: CallFacts) -> Judgement:
    if facts.end_reason == "transferred":
        return Judgement(Result.PASS, "The caller was handed to a person.")
    agent = facts.agent_turns()
    if agent and agent[-1].intent == I.GOODBYE:
        return Judgement(Result.PASS, "The agent said goodbye.")
    if facts.end_reason in {"caller_hangup", None}:
        return Judgement(Result.NA, "The caller hung up before a close was due.")
    return Judgement(Result.FAIL, f"The call ended ({facts.end_reason}) without a goodbye.")


EVALUATORS: dict[str, Callable[[CallFacts], Judgement]] = {
    "greeted_properly": _greeted,
    "answered_from_knowledge": _grounded,
    "no_unanswered_questions": _nothing_unanswered,
    "escalated_appropriately": _escalation,
    "polite_close": _closed,
}


def evaluate_offline(criteria: Sequence[Criterion], facts: CallFacts) -> dict[str, Judgement]:
    judgements = {}
    for criterion in criteria:
        evaluator = EVALUATORS.get(criterion.key)
        judgements[criterion.key] = (
            evaluator(facts)
            if evaluator is not None
            else Judgement(
                Result.NA, "No automatic evaluator for this criterion; score it by hand."
            )
        )
    return judgements
