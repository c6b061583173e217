"""The offline knowledge agent: deterministic, no network, the default and the LLM fallback.

It greets with the configured greeting; answers opening-hours and contact questions from the
configuration (in the business's timezone); answers other questions with at most two sentences
of the best knowledge passage; asks once to rephrase when unsure, then hands over; hands over
at once on a request for a person, an emergency phrase or repeated frustration (a transfer when
an escalation number is set and the business is open, otherwise an escalation and a callback
promise); and ends the call on goodbye.
"""

from __future__ import annotations

from dataclasses import replace

from aicaller.agent import hours as clock
from aicaller.agent.handover import hand_over
from aicaller.agent.language import (
    MONEY,
    QUESTION_WORDS,
    asked_contact_kinds,
    asked_day,
    asks_about_now,
    asks_about_today,
    asks_about_tomorrow,
    asks_price,
    classify,
    without_frustration,
)
from aicaller.agent.protocol import AgentAction, AgentReply, Intent, TurnContext, intent_of
from aicaller.agent.speech import coverage, spoken_answer
from aicaller.businesses.schemas import BusinessConfig
from aicaller.core.schemas import spoken_phone_number

MIN_COVERAGE = 0.5  # share of the question's words a passage must contain to be an answer
SEARCH_LIMIT = 3
REPHRASE = "I'm sorry, I'm not sure I can answer that. Could you say it another way?"


class OfflineAgent:
    name = "offline"

    def greet(self, config: BusinessConfig) -> AgentReply:
        return AgentReply(config.greeting, Intent.GREETING)

    async def reply(self, context: TurnContext) -> AgentReply:
        caller = classify(context.utterance, context.config.emergency_phrases)
        reply = await self._respond(context, caller)
        return replace(reply, caller_intent=caller)

    async def _respond(self, context: TurnContext, caller: Intent) -> AgentReply:
        utterance = context.utterance.strip()
        config = context.config
        handovers = {
            Intent.CALLER_EMERGENCY: (f"Emergency: the caller said {utterance!r}", "urgent"),
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
            return AgentReply(_hours_answer(context), Intent.HOURS)
        contact = _contact_answer(context) if caller is Intent.CALLER_CONTACT else None
        if contact:
            return AgentReply(contact, Intent.CONTACT)
        return await self._answer(context)

    async def _frustrated(self, context: TurnContext) -> AgentReply:
        before = any(turn.intent == Intent.CALLER_FRUSTRATED for turn in context.history)
        if before or _last_agent_intent(context) is Intent.REPHRASE:
            return hand_over(context, "The caller is frustrated", "high")
        answer = await self._knowledge_reply(context, without_frustration(context.utterance))
        if answer is not None:
            return replace(answer, text=f"I'm sorry about that. {answer.text}")
        return AgentReply(
            "I'm sorry about that. Could you tell me what you need? "
            "I can also get a member of our team for you.",
            Intent.COURTESY,
        )

    async def _answer(self, context: TurnContext) -> AgentReply:
        answer = await self._knowledge_reply(context)
        if answer is not None:
            return answer
        question = context.utterance.strip()
        if _last_agent_intent(context) is Intent.REPHRASE:
            return hand_over(
                context,
                f"The agent could not answer: {question!r}",
                "normal",
                unanswered_question=question,
            )
        return AgentReply(REPHRASE, Intent.REPHRASE, confidence=0.0, unanswered_question=question)

    async def _knowledge_reply(
        self, context: TurnContext, question: str | None = None
    ) -> AgentReply | None:
        """Two sentences of the first of the best passages that covers the question."""
        question = question or context.utterance
        found = await context.knowledge.search(question, SEARCH_LIMIT)
        terms = [term for term in found.terms if term not in QUESTION_WORDS]
        if not terms:
            return None
        prefer = MONEY if asks_price(question) else None
        candidates = []
        for rank, hit in enumerate(found.hits):
            share = coverage(terms, hit.title, hit.heading_path, hit.text)
            if share >= MIN_COVERAGE:
                # A price question is answered by a passage with a price in it, if one is found.
                priced = prefer is not None and bool(prefer.search(hit.text))
                candidates.append((not priced, rank, share, hit))
        for _, _, share, hit in sorted(candidates, key=lambda item: item[:2]):
            text, covered = spoken_answer(hit.text, terms, prefer)
            if text and covered:
                source = hit.url or f"document:{hit.document_id}"
                return AgentReply(text, Intent.ANSWER, confidence=share, sources=(source,))
        return None


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
