"""Weights, N/A and automatic fails, and the offline evaluators' judgements."""

from __future__ import annotations

from aicaller.database.models.transcript_turn import TurnIntent as I
from aicaller.qa.defaults import DEFAULT_CRITERIA
from aicaller.qa.evaluators import CallFacts, TurnFact, evaluate_offline
from aicaller.qa.scoring import Criterion, Judgement, Result, score

CRITERIA = [
    Criterion("greeting", "Greeting", 1.0),
    Criterion("accuracy", "Accuracy", 3.0),
    Criterion("compliance", "Compliance", 2.0, auto_fail=True),
]


def _judge(**results: Result) -> dict[str, Judgement]:
    return {key: Judgement(result, f"{key} {result}") for key, result in results.items()}


def test_weights_decide_the_score() -> None:
    scored = score(
        CRITERIA, _judge(greeting=Result.PASS, accuracy=Result.FAIL, compliance=Result.PASS)
    )
    assert scored.score == 50.0  # (1 + 2) / 6
    assert scored.auto_failed is False
    assert [r["result"] for r in scored.results] == ["pass", "fail", "pass"]
    assert scored.results[1]["explanation"] == "accuracy fail"


def test_na_criteria_leave_the_score() -> None:
    scored = score(
        CRITERIA, _judge(greeting=Result.NA, accuracy=Result.PASS, compliance=Result.FAIL)
    )
    assert (scored.score, scored.auto_failed) == (0.0, True)  # compliance is an automatic fail
    scored = score(CRITERIA, _judge(greeting=Result.NA, accuracy=Result.PASS, compliance=Result.NA))
    assert (scored.score, scored.auto_failed) == (100.0, False)
    nothing = score(CRITERIA, _judge(greeting=Result.NA, accuracy=Result.NA, compliance=Result.NA))
    assert nothing.score is None


def test_rounding() -> None:
    scored = score(
        [*CRITERIA[:2], Criterion("x", "X", 2.0)],
        _judge(greeting=Result.PASS, accuracy=Result.FAIL, x=Result.FAIL),
    )
    assert scored.score == 16.7


def _facts(*turns: tuple[str, str, I | None, tuple[str, ...]], end: str | None = "agent_hangup",
           unanswered: tuple[str, ...] = ()) -> CallFacts:  # fmt: skip
    return CallFacts(
        [TurnFact(s, t, i.value if i else None, src) for s, t, i, src in turns],
        greeting="Hello, Acme.",
        end_reason=end,
        unanswered=unanswered,
    )


def test_a_good_call_passes_every_default_criterion() -> None:
    facts = _facts(
        ("agent", "Hello, Acme.", I.GREETING, ()),
        ("caller", "how much is a cleaning", I.CALLER_QUESTION, ()),
        ("agent", "A cleaning costs $120.", I.ANSWER, ("https://acme.example/prices",)),
        ("caller", "bye", I.CALLER_GOODBYE, ()),
        ("agent", "Goodbye!", I.GOODBYE, ()),
    )
    judged = evaluate_offline(DEFAULT_CRITERIA, facts)
    assert {key: j.result for key, j in judged.items()} == {
        "greeted_properly": Result.PASS,
        "answered_from_knowledge": Result.PASS,
        "no_unanswered_questions": Result.PASS,
        "escalated_appropriately": Result.NA,
        "polite_close": Result.PASS,
    }
    assert "https://acme.example/prices" in judged["answered_from_knowledge"].explanation
    assert score(DEFAULT_CRITERIA, judged).score == 100.0


def test_ignoring_a_request_for_a_person_is_an_automatic_fail() -> None:
    facts = _facts(
        ("agent", "Hi there!", I.GREETING, ()),
        ("caller", "put me through to a person", I.CALLER_HUMAN, ()),
        ("agent", "A cleaning costs $120.", I.ANSWER, ()),
        end="caller_hangup",
        unanswered=("do you repair violins",),
    )
    judged = evaluate_offline(DEFAULT_CRITERIA, facts)
    assert judged["greeted_properly"].result is Result.FAIL
    assert judged["answered_from_knowledge"].result is Result.FAIL  # an answer without a source
    assert judged["escalated_appropriately"] == Judgement(
        Result.FAIL, "The caller asked for a person and was not handed over."
    )
    assert judged["polite_close"].result is Result.NA
    scored = score(DEFAULT_CRITERIA, judged)
    assert (scored.score, scored.auto_failed) == (0.0, True)


def test_a_hand_over_after_two_failed_answers_is_appropriate() -> None:
    facts = _facts(
        ("agent", "Hello, Acme.", I.GREETING, ()),
        ("caller", "violins?", I.CALLER_QUESTION, ()),
        ("agent", "Could you say it another way?", I.REPHRASE, ()),
        ("caller", "violin repair", I.CALLER_QUESTION, ()),
        ("agent", "Connecting you.", I.TRANSFER, ()),
        end="transferred",
        unanswered=("violins?", "violin repair"),
    )
    judged = evaluate_offline([*DEFAULT_CRITERIA, Criterion("empathy", "Empathy", 1.0)], facts)
    assert judged["escalated_appropriately"].result is Result.PASS
    assert judged["no_unanswered_questions"].result is Result.FAIL
    assert "'violins?'" in judged["no_unanswered_questions"].explanation
    assert judged["polite_close"].result is Result.PASS
    assert judged["empathy"].result is Result.NA  # no automatic evaluator: scored by hand
