"""Handing a call to people: a transfer when someone can take it now, else a callback."""

from __future__ import annotations

from aicaller.agent import hours as clock
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext

TRANSFER_TEXT = "Of course. I'm connecting you with a member of our team now, please hold."
EMERGENCY_ADVICE = (
    "If anyone is in danger, please hang up and call your local emergency number right away."
)
ANYTHING_ELSE = "Is there anything else I can help you with?"


def already_escalated(context: TurnContext) -> bool:
    return any(
        turn.speaker == "agent" and turn.intent == Intent.ESCALATE for turn in context.history
    )


def hand_over(
    context: TurnContext,
    reason: str,
    priority: str,
    *,
    unanswered_question: str | None = None,
) -> AgentReply:
    """Transfer when an escalation number is set and the business is open now; otherwise an
    escalation record (once per call) and a promise that someone will call back."""
    config, now = context.config, context.now
    open_now = clock.is_open(config.business_hours, config.timezone, now)
    if config.escalation_numbers and open_now:
        return AgentReply(
            TRANSFER_TEXT,
            Intent.TRANSFER,
            AgentAction.TRANSFER,
            escalation_reason=reason,
            escalation_priority=priority,
            transfer_to=config.escalation_numbers[0],
            unanswered_question=unanswered_question,
        )
    emergency = priority == "urgent"
    advice = f"{EMERGENCY_ADVICE} " if emergency else ""
    if already_escalated(context):
        return AgentReply(
            f"{advice}I've already asked our team to call you back. {ANYTHING_ELSE}",
            Intent.COURTESY,
            unanswered_question=unanswered_question,
        )
    opening = clock.next_opening(config.business_hours, config.timezone, now)
    if open_now:
        when = "shortly"
    elif opening is not None:
        when = f"when we open {clock.spoken_next_opening(opening, now, config.timezone)}"
    else:
        when = "as soon as possible"
    return AgentReply(
        f"{advice}I've asked a member of our team to call you back {when}. {ANYTHING_ELSE}",
        Intent.ESCALATE,
        AgentAction.ESCALATE,
        escalation_reason=reason,
        escalation_priority=priority,
        unanswered_question=unanswered_question,
    )
