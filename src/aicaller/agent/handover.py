"""Handing a call to people: a transfer when someone can take it now, else a callback; and
saying so honestly when the knowledge has no answer."""

from __future__ import annotations

from datetime import datetime

from aicaller.agent import hours as clock
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext
from aicaller.businesses.schemas import BusinessConfig

TRANSFER_TEXT = "Of course. I'm connecting you with a member of our team now, please hold."
URGENT_TRANSFER_TEXT = "I'm connecting you with a member of our team right now, please hold."
EMERGENCY_ADVICE = (
    "If anyone is in danger, please hang up and call your local emergency number right away."
)
ANYTHING_ELSE = "Is there anything else I can help you with?"
NO_INFORMATION = "I'm sorry, I don't have that information."


def already_escalated(context: TurnContext) -> bool:
    return any(
        turn.speaker == "agent" and turn.intent in {Intent.ESCALATE, Intent.DECLINE}
        for turn in context.history
    )


def safety_advice(config: BusinessConfig) -> str:
    """What a caller in an urgent situation hears first: the business's own safety
    instructions, else the general advice."""
    own = config.safety_instructions.strip()
    if own and own[-1] not in ".!?":
        own += "."
    return own or EMERGENCY_ADVICE


def _callback_when(config: BusinessConfig, now: datetime) -> str:
    if clock.is_open(config.business_hours, config.timezone, now):
        return "shortly"
    opening = clock.next_opening(config.business_hours, config.timezone, now)
    if opening is not None:
        return f"when we open {clock.spoken_next_opening(opening, now, config.timezone)}"
    return "as soon as possible"


def hand_over(
    context: TurnContext,
    reason: str,
    priority: str,
    *,
    unanswered_question: str | None = None,
) -> AgentReply:
    """Transfer when an escalation number is set and the business is open now; otherwise an
    escalation record and a promise that someone will call back (once per call, except that
    an urgent situation is always escalated: an earlier callback may not be urgent)."""
    config, now = context.config, context.now
    open_now = clock.is_open(config.business_hours, config.timezone, now)
    emergency = priority == "urgent"
    advice = f"{safety_advice(config)} " if emergency else ""
    if config.escalation_numbers and open_now:
        return AgentReply(
            advice + (URGENT_TRANSFER_TEXT if emergency else TRANSFER_TEXT),
            Intent.TRANSFER,
            AgentAction.TRANSFER,
            escalation_reason=reason,
            escalation_priority=priority,
            transfer_to=config.escalation_numbers[0],
            unanswered_question=unanswered_question,
        )
    if already_escalated(context) and not emergency:
        return AgentReply(
            f"I've already asked our team to call you back. {ANYTHING_ELSE}",
            Intent.COURTESY,
            unanswered_question=unanswered_question,
        )
    when = _callback_when(config, now)
    urgently = "urgently " if emergency else ""
    return AgentReply(
        f"{advice}I've asked a member of our team to call you back {urgently}{when}. "
        f"{ANYTHING_ELSE}",
        Intent.ESCALATE,
        AgentAction.ESCALATE,
        escalation_reason=reason,
        escalation_priority=priority,
        unanswered_question=unanswered_question,
    )


def decline(context: TurnContext, question: str, *, confidence: float = 0.0) -> AgentReply:
    """The knowledge does not answer ``question``: say so, never guess, and have someone call
    back with the answer (an escalation carrying the question, once per call; the question
    goes to the knowledge-gap report either way)."""
    if already_escalated(context):
        return AgentReply(
            f"{NO_INFORMATION} I'll add your question to the callback from our team. "
            f"{ANYTHING_ELSE}",
            Intent.DECLINE,
            confidence=confidence,
            unanswered_question=question,
        )
    when = _callback_when(context.config, context.now)
    return AgentReply(
        f"{NO_INFORMATION} I've asked a member of our team to call you back about it {when}. "
        f"{ANYTHING_ELSE}",
        Intent.DECLINE,
        AgentAction.ESCALATE,
        confidence=confidence,
        escalation_reason=f"The caller asked something the agent could not answer: {question!r}",
        escalation_priority="normal",
        unanswered_question=question,
    )
