"""Every branch of the offline agent, on fixed clocks and a fixed set of passages."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import AgentAction, Intent, PastTurn
from tests.agent.fakes import CLOSED_NOW, OPEN_NOW, Passages, config, context

agent = OfflineAgent()


def test_greets_with_the_configured_greeting() -> None:
    reply = agent.greet(config(greeting="Hi, Acme here."))
    assert (reply.text, reply.intent, reply.action) == (
        "Hi, Acme here.",
        Intent.GREETING,
        AgentAction.CONTINUE,
    )


async def test_answers_from_the_best_passage_in_two_plain_sentences() -> None:
    reply = await agent.reply(context("how much does a cleaning cost?"))
    assert reply.intent is Intent.ANSWER
    assert reply.caller_intent is Intent.CALLER_QUESTION
    # The next sentence (whitening) is about something else, so it is not said.
    assert reply.text == "A routine check-up and cleaning costs $120."
    assert reply.sources == ("https://brightsmile.example/prices",)
    assert reply.action is AgentAction.CONTINUE


async def test_never_reads_code_markdown_or_web_addresses_aloud() -> None:
    passages = Passages(
        {
            "Setup": (
                "## Installing\n\nRun `pip install aicaller` in a terminal. Then open "
                "[the dashboard](https://example.com/x) and **sign in** with your email.\n\n"
                "| plan | price |\n|---|---|\n| pro | $9 |\n\n```python\nimport aicaller\n```"
            )
        }
    )
    reply = await agent.reply(context("how do I sign in to the dashboard", knowledge=passages))
    assert reply.intent is Intent.ANSWER
    assert reply.text == "Then open the dashboard and sign in with your email."
    for unspoken in ("`", "**", "http", "|", "import", "#"):
        assert unspoken not in reply.text


async def test_a_question_the_knowledge_does_not_answer_is_declined_with_a_callback() -> None:
    reply = await agent.reply(context("do you fix broken violins?"))
    assert reply.intent is Intent.DECLINE
    assert reply.text.startswith("I'm sorry, I don't have that information.")
    assert "call you back about it" in reply.text
    # A callback (never a transfer, even while open) carrying the question, and a gap.
    assert (reply.action, reply.escalation_priority) == (AgentAction.ESCALATE, "normal")
    assert "violins" in (reply.escalation_reason or "")
    assert reply.unanswered_question == "do you fix broken violins?"


async def test_a_second_unanswered_question_joins_the_callback_already_filed() -> None:
    history = [
        PastTurn("agent", "Hi", Intent.GREETING),
        PastTurn("caller", "do you fix broken violins?", Intent.CALLER_QUESTION),
        PastTurn("agent", "I'm sorry, I don't have that information.", Intent.DECLINE),
    ]
    second = await agent.reply(context("and do you sell harps", history=history))
    assert (second.intent, second.action) == (Intent.DECLINE, AgentAction.CONTINUE)
    assert second.unanswered_question == "and do you sell harps"


async def test_nothing_searchable_asks_once_to_rephrase_then_hands_over() -> None:
    first = await agent.reply(context("and what about it then"))
    assert first.intent is Intent.REPHRASE
    history = [
        PastTurn("agent", "Hi", Intent.GREETING),
        PastTurn("caller", "and what about it then", Intent.CALLER_QUESTION),
        PastTurn("agent", first.text, Intent.REPHRASE),
    ]
    second = await agent.reply(context("so, is it, you know", history=history))
    assert second.action is AgentAction.TRANSFER  # open, with an escalation number
    assert second.transfer_to == "+14155550100"


@pytest.mark.parametrize(
    "utterance",
    ["can I speak to a real person", "put me through to someone please", "agent", "human please"],
)
async def test_a_request_for_a_person_transfers_while_open(utterance: str) -> None:
    reply = await agent.reply(context(utterance))
    assert reply.caller_intent is Intent.CALLER_HUMAN
    assert reply.action is AgentAction.TRANSFER
    assert (reply.intent, reply.transfer_to) == (Intent.TRANSFER, "+14155550100")
    assert reply.escalation_reason == "The caller asked for a person"


async def test_a_request_for_a_person_after_hours_files_an_escalation_and_promises_a_callback() -> (
    None
):
    reply = await agent.reply(context("I want to talk to a human", now=CLOSED_NOW))
    assert reply.action is AgentAction.ESCALATE
    assert reply.transfer_to is None
    assert "call you back when we open tomorrow at 9 AM" in reply.text


async def test_without_an_escalation_number_it_escalates_even_when_open() -> None:
    reply = await agent.reply(context("speak to a manager", escalation_numbers=[]))
    assert reply.action is AgentAction.ESCALATE
    assert "call you back shortly" in reply.text


async def test_a_second_request_after_an_escalation_files_no_second_one() -> None:
    history = [PastTurn("agent", "I've asked a member of our team...", Intent.ESCALATE)]
    reply = await agent.reply(context("get me a person", now=CLOSED_NOW, history=history))
    assert reply.action is AgentAction.CONTINUE
    assert "already asked our team" in reply.text


async def test_an_emergency_phrase_hands_over_at_once_with_urgent_priority() -> None:
    reply = await agent.reply(context("my son has severe bleeding after an extraction"))
    assert reply.caller_intent is Intent.CALLER_EMERGENCY
    assert reply.action is AgentAction.TRANSFER
    assert reply.escalation_priority == "urgent"
    closed = await agent.reply(context("there's SEVERE  bleeding", now=CLOSED_NOW))
    assert closed.action is AgentAction.ESCALATE
    assert closed.text.startswith("If anyone is in danger")


async def test_frustration_once_apologises_and_helps_twice_hands_over() -> None:
    first = await agent.reply(context("this is ridiculous, what do you charge for whitening"))
    assert first.caller_intent is Intent.CALLER_FRUSTRATED
    assert first.text.startswith("I'm sorry about that. ")
    assert "$350" in first.text
    history = [PastTurn("caller", "this is ridiculous", Intent.CALLER_FRUSTRATED)]
    second = await agent.reply(context("you are useless", history=history))
    assert second.action is AgentAction.TRANSFER
    assert second.escalation_priority == "high"


@pytest.mark.parametrize("utterance", ["bye", "no thanks, that's all", "goodbye!", "nope"])
async def test_goodbye_ends_the_call(utterance: str) -> None:
    reply = await agent.reply(context(utterance))
    assert (reply.intent, reply.action) == (Intent.GOODBYE, AgentAction.END)
    assert reply.text == "Thank you for calling Bright Smile Dental. Goodbye!"


async def test_thanks_is_answered_politely_and_the_call_goes_on() -> None:
    reply = await agent.reply(context("thank you so much"))
    assert (reply.intent, reply.action) == (Intent.COURTESY, AgentAction.CONTINUE)


@pytest.mark.parametrize(
    ("utterance", "now", "expected"),
    [
        ("are you open now?", None, "Yes, we're open right now until 5 PM."),
        (
            "are you open right now",
            CLOSED_NOW,
            "No, we're closed right now. We open again tomorrow at 9 AM.",
        ),
        ("are you open on Saturday?", None, "On Saturdays we're open from 10 AM to 2 PM."),
        ("are you open on sunday", None, "We're closed on Sundays."),
        ("what time do you close today", None, "Today we're open from 9 AM to 5 PM."),
        (
            "what are your opening hours",
            None,
            "We're open Monday to Friday from 9 AM to 5 PM, and Saturday from 10 AM to 2 PM. "
            "We're open right now.",
        ),
    ],
)
async def test_hours_come_from_the_configuration_in_the_business_timezone(
    utterance: str, now: datetime | None, expected: str
) -> None:
    reply = await agent.reply(context(utterance, now=now or OPEN_NOW))
    assert (reply.intent, reply.text) == (Intent.HOURS, expected)


async def test_open_now_follows_the_business_timezone_not_utc() -> None:
    # 15:30 UTC is 10:30 in New York (open) but 00:30 the next day in Tokyo (closed).
    now = datetime(2026, 12, 1, 15, 30, tzinfo=UTC)
    tokyo = await agent.reply(context("are you open now", now=now, timezone="Asia/Tokyo"))
    assert tokyo.text == "No, we're closed right now. We open again today at 9 AM."


async def test_hours_without_a_configuration_are_looked_up_in_the_knowledge() -> None:
    passages = Passages({"Hours": "Our opening hours are 8 AM to 6 PM on weekdays."})
    reply = await agent.reply(
        context("what are your opening hours", business_hours={}, knowledge=passages)
    )
    assert reply.intent is Intent.ANSWER
    assert reply.text == "Our opening hours are 8 AM to 6 PM on weekdays."


@pytest.mark.parametrize(
    ("utterance", "expected"),
    [
        ("what's your phone number", "You can call us on +1 415-555-0123."),
        ("what is your email address", "Our email address is hello@brightsmile.example."),
        ("where are you located", "We're at 12 Main Street, Springfield."),
        ("what's your website", "Our website is brightsmile.example."),
    ],
)
async def test_contact_details_come_from_the_configuration(utterance: str, expected: str) -> None:
    reply = await agent.reply(context(utterance))
    assert (reply.intent, reply.text) == (Intent.CONTACT, expected)
