"""The scorecard every business starts with, scored automatically after every call."""

from __future__ import annotations

from aicaller.qa.scoring import Criterion

DEFAULT_SCORECARD_NAME = "AI call quality"
DEFAULT_SCORECARD_DESCRIPTION = (
    "How well the AI agent handled the call; scored automatically after every call."
)
DEFAULT_CRITERIA = (
    Criterion(
        "greeted_properly", "Greeted properly", 1.0,
        description="The agent opened with the business's greeting.",
    ),
    Criterion(
        "answered_from_knowledge", "Answered from knowledge", 3.0,
        description="Answers came from the knowledge base or the configuration, never guesses.",
    ),
    Criterion(
        "no_unanswered_questions", "No unanswered questions", 2.0,
        description="Every question the caller asked got an answer.",
    ),
    Criterion(
        "escalated_appropriately", "Escalated appropriately", 2.0, auto_fail=True,
        description=(
            "A request for a person, an emergency or repeated frustration was handed over at "
            "once; nothing else was handed over without first trying to help."
        ),
    ),
    Criterion(
        "polite_close", "Polite close", 1.0,
        description="The call ended with a goodbye or a proper hand-over.",
    ),
)  # fmt: skip
