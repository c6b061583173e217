"""Offline post-call analysis: a summary, the caller's sentiment, and whether the AI resolved
the call, all derived deterministically from the transcript and its intents.

Sentiment is scored here rather than with a lexicon library: the ones without model downloads
(VADER and kin) are tuned for social-media text and unmaintained, while the strongest signals
on a call are the ones the agent already read (frustration, asking for a person, thanks).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from aicaller.agent.protocol import Intent, PastTurn, intent_of

QUESTION_INTENTS = frozenset({Intent.CALLER_QUESTION, Intent.CALLER_HOURS, Intent.CALLER_CONTACT})
ANSWER_INTENTS = frozenset({Intent.ANSWER, Intent.HOURS, Intent.CONTACT})
HANDOVER_INTENTS = frozenset({Intent.ESCALATE, Intent.TRANSFER})
UNANSWERED = frozenset({Intent.REPHRASE, Intent.DECLINE})  # the agent had no answer
MAX_TOPICS = 3
MAX_TOPIC_CHARS = 90

_POSITIVE = re.compile(
    r"\b(?:thanks|thank you|great|perfect|awesome|excellent|wonderful|brilliant|helpful|"
    r"appreciate|lovely|fantastic|amazing|good to know|that helps)\b"
)
_NEGATIVE = re.compile(
    r"\b(?:angry|upset|annoyed|disappointed|unhappy|not happy|complain\w*|terrible|awful|"
    r"horrible|worst|bad|ridiculous|useless|unacceptable|rude|problem|wrong|broken|never again)\b"
)


@dataclass(frozen=True, slots=True)
class CallAnalysis:
    summary: str
    sentiment: str  # positive, neutral, negative
    resolved_by_ai: bool


def _intent(turn: PastTurn) -> Intent | None:
    return intent_of(turn.intent)


def _topic(text: str) -> str:
    text = " ".join(text.split()).rstrip("?.! ")
    return text if len(text) <= MAX_TOPIC_CHARS else text[: MAX_TOPIC_CHARS - 3].rstrip() + "..."


def sentiment(turns: Sequence[PastTurn]) -> str:
    score = 0
    for turn in turns:
        if turn.speaker != "caller":
            continue
        text = turn.text.lower()
        score += len(_POSITIVE.findall(text)) - len(_NEGATIVE.findall(text))
        if _intent(turn) is Intent.CALLER_FRUSTRATED:
            score -= 2
    if score > 0:
        return "positive"
    return "negative" if score < 0 else "neutral"


def resolved_by_ai(turns: Sequence[PastTurn], end_reason: str | None) -> bool:
    """The agent handled it alone: no hand-over or request for one, the last question got an
    answer (or the caller only greeted and left), and the caller did not leave unhappy."""
    intents = [_intent(turn) for turn in turns]
    if end_reason in {"transferred", "escalated"} or any(i in HANDOVER_INTENTS for i in intents):
        return False
    if Intent.CALLER_HUMAN in intents or Intent.CALLER_EMERGENCY in intents:
        return False
    agent_intents = [_intent(t) for t in turns if t.speaker == "agent"]
    asked = any(_intent(t) in QUESTION_INTENTS for t in turns if t.speaker == "caller")
    if asked:
        last_answer = next(
            (i for i in reversed(agent_intents) if i in ANSWER_INTENTS | UNANSWERED), None
        )
        if last_answer is None or last_answer in UNANSWERED:
            return False
    return sentiment(turns) != "negative"


def summarize(turns: Sequence[PastTurn], end_reason: str | None) -> str:
    """A few plain sentences a person can read in five seconds."""
    questions = [
        turn for turn in turns if turn.speaker == "caller" and _intent(turn) in QUESTION_INTENTS
    ]
    answered = sum(
        1 for turn in turns if turn.speaker == "agent" and _intent(turn) in ANSWER_INTENTS
    )
    unsure = sum(1 for turn in turns if turn.speaker == "agent" and _intent(turn) in UNANSWERED)
    parts: list[str] = []
    if questions:
        topics = "; ".join(f'"{_topic(turn.text)}"' for turn in questions[:MAX_TOPICS])
        more = f" and {len(questions) - MAX_TOPICS} more" if len(questions) > MAX_TOPICS else ""
        parts.append(f"The caller asked {topics}{more}.")
    else:
        parts.append("The caller asked no questions.")
    if answered:
        parts.append(f"The agent gave {answered} answer{'s' if answered != 1 else ''}.")
    if unsure:
        parts.append(f"It could not answer {unsure} time{'s' if unsure != 1 else ''}.")
    intents = {_intent(turn) for turn in turns}
    if Intent.CALLER_EMERGENCY in intents:
        parts.append("The caller reported an emergency.")
    elif Intent.CALLER_HUMAN in intents:
        parts.append("The caller asked for a person.")
    elif Intent.CALLER_FRUSTRATED in intents:
        parts.append("The caller was frustrated.")
    outcome = {
        "transferred": "The call was transferred to a person.",
        "agent_hangup": "The agent ended the call after the caller said goodbye.",
        "caller_hangup": "The caller hung up.",
        "caller_silent": "The call ended after the caller stopped responding.",
        "max_duration": "The call reached its maximum duration.",
    }.get(end_reason or "", "")
    if intents & {Intent.ESCALATE, Intent.DECLINE}:
        outcome = (outcome + " A callback was promised.").strip()
    if outcome:
        parts.append(outcome)
    return " ".join(parts)


def analyse(turns: Sequence[PastTurn], end_reason: str | None) -> CallAnalysis:
    return CallAnalysis(
        summary=summarize(turns, end_reason),
        sentiment=sentiment(turns),
        resolved_by_ai=resolved_by_ai(turns, end_reason),
    )
