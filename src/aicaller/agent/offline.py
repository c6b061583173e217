"""The offline knowledge agent: deterministic, no network, the default and the LLM fallback.

It greets with the configured greeting; answers opening-hours and contact questions from the
configuration (in the business's timezone; a question about a season or a holiday asks the
knowledge first); answers other questions with at most two sentences
of the best knowledge passage when that passage supports the question; otherwise says it does
not have that information and has someone call back (an escalation carrying the question, which
also lands in the knowledge-gap report), asking to rephrase only when nothing searchable was
said. It hands over at once on a request for a person, an urgent situation
(``aicaller.agent.urgency``; with an embeddings endpoint also a question that sounds like
the urgent examples, ``aicaller.agent.urgency_likeness``: the business's safety instructions
first, urgent priority) or
repeated frustration (a transfer when an escalation number is set and the business is open,
otherwise an escalation and a callback promise); and ends the call on goodbye.
"""

from __future__ import annotations

from dataclasses import replace

from aicaller.agent import hours as clock
from aicaller.agent.asked import seasonal
from aicaller.agent.grounded import grounded_answer
from aicaller.agent.handover import decline, hand_over
from aicaller.agent.language import (
    asked_contact_kinds,
    asked_day,
    asks_about_now,
    asks_about_today,
    asks_about_tomorrow,
    classify,
    without_frustration,
)
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext, intent_of
from aicaller.agent.urgency import urgent_situation
from aicaller.agent.urgency_likeness import sounds_urgent
from aicaller.businesses.schemas import BusinessConfig
from aicaller.core.schemas import spoken_phone_number

ASKING = frozenset({Intent.CALLER_QUESTION, Intent.CALLER_HOURS, Intent.CALLER_CONTACT})
"""What the caller says when asking something, which may be urgent in words no rule names."""
LIKENESS = "sounds like an emergency"
REPHRASE = "I'm sorry, I'm not sure I can answer that. Could you say it another way?"


class OfflineAgent:
    name = "offline"

    def greet(self, config: BusinessConfig) -> AgentReply:
        return AgentReply(config.greeting, Intent.GREETING)

    async def reply(self, context: TurnContext) -> AgentReply:
        config = context.config
        caller = classify(context.utterance, config.emergency_phrases, config.trade)
        if caller in ASKING and await sounds_urgent(context.knowledge, context.utterance):
            # No rule names it, but it sounds like the urgent callers (ADR 0048).
            caller = Intent.CALLER_EMERGENCY
        reply = await self._respond(context, caller)
        return replace(reply, caller_intent=caller)

    async def _respond(self, context: TurnContext, caller: Intent) -> AgentReply:
        utterance = context.utterance.strip()
        config = context.config
        situation = urgent_situation(utterance, config.trade, config.emergency_phrases)
        handovers = {
            Intent.CALLER_EMERGENCY: (
                f"Urgent ({situation or LIKENESS}): the caller said {utterance!r}",
                "urgent",
            ),
            Intent.CALLER_HUMAN: ("The caller asked for a person", "normal"),
        }
        if caller in handovers:
            return hand_over(context, *handovers[caller])
        if caller is Intent.CALLER_FRUSTRATED:
            return await self._frustrated(context)
        fixed = {
            Intent.CALLER_GOODBYE: AgentReply(
                f"Thank you for calling {config.name}. Goodbye!", Intent.GOODBYE, AgentAction.END
            ),
            Intent.CALLER_THANKS: AgentReply(
                "You're welcome! Is there anything else I can help you with?", Intent.COURTESY
            ),
        }
        if caller in fixed:
            return fixed[caller]
        # Hours and contact details come from the configuration; without them, the knowledge.
        if caller is Intent.CALLER_HOURS and config.business_hours:
            return await self._hours(context)
        contact = _contact_answer(context) if caller is Intent.CALLER_CONTACT else None
        if contact:
            return AgentReply(contact, Intent.CONTACT)
        return await self._answer(context)

    async def _hours(self, context: TurnContext) -> AgentReply:
        utterance = context.utterance.strip()
        # The configured week says nothing of summer or holiday hours; the site may.
        if seasonal(utterance):
            found = await grounded_answer(context.knowledge, utterance)
            if found.reply is not None:
                return found.reply
        return AgentReply(_hours_answer(context), Intent.HOURS)

    async def _frustrated(self, context: TurnContext) -> AgentReply:
        before = any(turn.intent == Intent.CALLER_FRUSTRATED for turn in context.history)
        if before or _last_agent_intent(context) is Intent.REPHRASE:
            return hand_over(context, "The caller is frustrated", "high")
        found = await grounded_answer(context.knowledge, without_frustration(context.utterance))
        if found.reply is not None:
            return replace(found.reply, text=f"I'm sorry about that. {found.reply.text}")
        return AgentReply(
            "I'm sorry about that. Could you tell me what you need? "
            "I can also get a member of our team for you.",
            Intent.COURTESY,
        )

    async def _answer(self, context: TurnContext) -> AgentReply:
        question = context.utterance.strip()
        found = await grounded_answer(context.knowledge, question)
        if found.reply is not None:
            return found.reply
        if found.searchable:
            return decline(context, question)
        # Nothing searchable was said ("hmm, well"): ask again, then hand over.
        if _last_agent_intent(context) is Intent.REPHRASE:
            return hand_over(
                context,
                f"The agent could not answer: {question!r}",
                "normal",
                unanswered_question=question,
            )
        return AgentReply(REPHRASE, Intent.REPHRASE, confidence=0.0, unanswered_question=question)


def _last_agent_intent(context: TurnContext) -> Intent | None:
    for turn in reversed(context.history):
        if turn.speaker == "agent":
            return intent_of(turn.intent)
    return None


def _hours_answer(context: TurnContext) -> str:
    config, now, utterance = context.config, context.now, context.utterance
    hours, timezone = config.business_hours, config.timezone
    if asks_about_now(utterance):
        if clock.is_open(hours, timezone, now):
            closes = clock.closing_time(hours, timezone, now)
            until = f" until {clock.spoken_time(closes)}" if closes else ""
            return f"Yes, we're open right now{until}."
        opening = clock.next_opening(hours, timezone, now)
        again = (
            f" We open again {clock.spoken_next_opening(opening, now, timezone)}."
            if opening
            else ""
        )
        return f"No, we're closed right now.{again}"
    local = clock.local_now(now, timezone)
    day = asked_day(utterance)
    label = None
    if day is None and asks_about_today(utterance):
        day, label = clock.WEEK[local.weekday()], "Today"
    elif day is None and asks_about_tomorrow(utterance):
        day, label = clock.WEEK[(local.weekday() + 1) % 7], "Tomorrow"
    if day is not None:
        intervals = hours.get(day, [])
        when = label or f"On {day.value.capitalize()}s"
        if not intervals:
            return (
                f"{when} we're closed." if label else f"We're closed on {day.value.capitalize()}s."
            )
        return f"{when} we're open {clock.spoken_intervals(intervals)}."
    status = "open" if clock.is_open(hours, timezone, now) else "closed"
    return f"{clock.spoken_week(hours)} We're {status} right now."


def _contact_answer(context: TurnContext) -> str | None:
    config = context.config
    asked = asked_contact_kinds(context.utterance) or {"phone", "email", "address", "website"}
    parts: list[str] = []
    if "phone" in asked and config.phone_numbers:
        parts.append(f"You can call us on {spoken_phone_number(config.phone_numbers[0])}.")
    if "email" in asked and config.contact_email:
        parts.append(f"Our email address is {config.contact_email}.")
    if "address" in asked and config.address:
        parts.append(f"We're at {config.address.rstrip('.')}.")
    if "website" in asked and config.website:
        site = config.website.split("://", 1)[-1].rstrip("/")
        parts.append(f"Our website is {site}.")
    return " ".join(parts) or None
