"""Urgent situations: recognised in the caller's own words by trade and by the business's
phrases, the safety instructions said first, and handed over at once at urgent priority."""

from __future__ import annotations

import pytest

from aicaller.agent.handover import EMERGENCY_ADVICE
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import AgentAction, Intent, PastTurn
from aicaller.agent.urgency import GENERAL_IN_BRIEF, NOT_NOW_IN_WORDS, described, urgent_situation
from aicaller.businesses.schemas import Trade
from tests.agent.fakes import CLOSED_NOW, Passages, context

agent = OfflineAgent()


@pytest.mark.parametrize(
    ("trade", "utterance"),
    [
        (Trade.PLUMBING_HVAC, "I can smell gas in the kitchen"),
        (Trade.PLUMBING_HVAC, "there's a really strong gas smell upstairs"),
        (Trade.PLUMBING_HVAC, "a pipe burst and the basement is flooding"),
        (Trade.PLUMBING_HVAC, "my toilet is overflowing and it won't stop"),
        (Trade.PLUMBING_HVAC, "I can't shut off the water, the valve is stuck"),
        (Trade.PLUMBING_HVAC, "water is leaking into the electrical panel"),
        (Trade.PLUMBING_HVAC, "our heat went out last night and it's twelve degrees"),
        (Trade.PLUMBING_HVAC, "the sump pump died and the basement has water"),
        (Trade.PLUMBING_HVAC, "water is coming through the ceiling light in the kitchen"),
        (Trade.PLUMBING_HVAC, "sewage is coming up in the shower downstairs"),
        (Trade.PLUMBING_HVAC, "we've got no heat and it's freezing, I have a baby"),
        (Trade.PLUMBING_HVAC, "the pipe under the sink cracked and hot water is spraying"),
        (Trade.PLUMBING_HVAC, "we all have headaches whenever the furnace runs"),
        (Trade.PLUMBING_HVAC, "there's a burning smell coming out of the vents"),
        (Trade.PLUMBING_HVAC, "the relief valve on the water heater is blowing water"),
        (Trade.PLUMBING_HVAC, "a pipe busted in the garage"),
        (Trade.PLUMBING_HVAC, "the water line to the fridge broke"),
        (Trade.PLUMBING_HVAC, "the washing machine hose popped off"),
        (Trade.PLUMBING_HVAC, "water is shooting out from under the sink"),
        (Trade.PLUMBING_HVAC, "our furnace won't turn on and it's ten degrees out"),
        (Trade.PLUMBING_HVAC, "the boiler isn't firing and the kids are cold"),
        (Trade.PLUMBING_HVAC, "I hit the gas line while digging in the yard"),
        (Trade.PLUMBING_HVAC, "there was a loud boom from the furnace"),
        (Trade.DENTAL, "my face is swollen and my tooth hurts"),
        (Trade.VETERINARY, "my dog just ate a whole bar of chocolate"),
        (Trade.VETERINARY, "our cat was hit by a car"),
        (Trade.LOCKSMITH, "I'm locked out of my house with the baby inside"),
        (Trade.AUTO_REPAIR, "my car broke down on the highway"),
        (Trade.LEGAL, "my son was just arrested, what do we do"),
        (Trade.GENERAL, "my husband has chest pains"),
        (Trade.GENERAL, "he passed out in the waiting room"),
        (Trade.GENERAL, "she's bleeding a lot"),
    ],
)
def test_a_trades_urgent_situations_are_heard_in_the_callers_words(
    trade: Trade, utterance: str
) -> None:
    assert urgent_situation(utterance, trade) is not None


@pytest.mark.parametrize(
    ("trade", "utterance"),
    [
        (Trade.PLUMBING_HVAC, "do you install gas lines for a new stove"),
        (Trade.PLUMBING_HVAC, "do you install sump pumps"),
        (Trade.PLUMBING_HVAC, "is there a fee to shut off water for a remodel"),
        (Trade.PLUMBING_HVAC, "can you install a light over the water heater"),
        (Trade.PLUMBING_HVAC, "do you winterize pipes so they don't freeze"),
        (Trade.PLUMBING_HVAC, "how much to replace a cracked toilet tank lid"),
        (Trade.PLUMBING_HVAC, "do you fix ceiling fans or just the lights"),
        (Trade.PLUMBING_HVAC, "can you check our heating before it gets freezing"),
        (Trade.PLUMBING_HVAC, "how much do you charge to replace a relief valve"),
        (Trade.PLUMBING_HVAC, "do you clean air vents and registers"),
        (Trade.PLUMBING_HVAC, "can you look at my furnace before winter"),
        (Trade.PLUMBING_HVAC, "do you replace gas lines and gas meters"),
        (Trade.PLUMBING_HVAC, "how much is a new hose bib"),
        (Trade.PLUMBING_HVAC, "do you service boilers in the summer"),
        (Trade.DENTAL, "do you treat bleeding gums"),
        (Trade.AUTO_REPAIR, "do you do collision repair"),
        (Trade.LEGAL, "do you handle child custody cases"),
        (Trade.VETERINARY, "what should my dog eat after surgery"),
        (Trade.GENERAL, "how much is an emergency visit"),
        # Another trade's situation is not this one's.
        (Trade.DENTAL, "I can smell gas in the kitchen"),
    ],
)
def test_questions_about_the_same_things_are_not_urgent(trade: Trade, utterance: str) -> None:
    assert urgent_situation(utterance, trade) is None


def test_a_business_adds_its_own_situations_in_any_word_order() -> None:
    freezer = "the walk in freezer is warm and the food is thawing"
    assert urgent_situation(freezer, Trade.GENERAL) is None
    assert urgent_situation(freezer, Trade.GENERAL, ["freezer warm"]) == "freezer warm"
    assert urgent_situation("the elevator trapped someone", Trade.GENERAL, ["trapped"])


def test_the_llm_is_told_the_situations_in_words() -> None:
    told = described(Trade.PLUMBING_HVAC, ["roof collapse"])
    # The general layer in brief: the rules hear its phrases before the model is asked.
    assert told[0] == GENERAL_IN_BRIEF
    assert "chest pain or tightness" in told[0]
    assert "chest pain or pains" not in told
    # The trade's situations and the business's own, word for word.
    assert "burst or broken or bursting or spraying or gushing pipe or pipes or main" in told
    assert told[-2] == "roof collapse"
    # The exceptions come last, in words: the rules' NOT_NOW phrases.
    assert told[-1] == NOT_NOW_IN_WORDS
    assert "do you fix" in told[-1]


def test_a_group_named_by_a_situation_told_is_said_once_before_it() -> None:
    told = described(Trade.GENERAL, ["PET stuck in the dryer vent"])
    assert told.count("PET means dog or cat or puppy or kitten or pet or pets") == 1
    assert told.index("PET means dog or cat or puppy or kitten or pet or pets") < told.index(
        "PET stuck in the dryer vent"
    )
    assert urgent_situation("the puppy is stuck in the dryer vent", Trade.GENERAL, told[-2:-1])


def test_a_question_asked_beforehand_is_no_emergency_but_the_same_words_told_are() -> None:
    asked = "will the spray make my cat sick"
    told = "the spray made my cat sick, will she be okay"
    assert urgent_situation(asked, Trade.PEST_CONTROL) is None
    assert urgent_situation(told, Trade.PEST_CONTROL) is not None


async def test_an_urgent_situation_gets_the_safety_instructions_and_a_transfer_while_open() -> None:
    safety = "If you smell gas, leave the house now and call the gas company from outside"
    reply = await agent.reply(
        context("I can smell gas in the kitchen", trade="plumbing_hvac", safety_instructions=safety)
    )
    assert reply.caller_intent is Intent.CALLER_EMERGENCY
    assert (reply.action, reply.transfer_to) == (AgentAction.TRANSFER, "+14155550100")
    assert reply.escalation_priority == "urgent"
    assert reply.text.startswith(safety + ". I'm connecting you")
    assert "smell gas" in (reply.escalation_reason or "")


async def test_when_closed_an_urgent_situation_is_escalated_urgently_even_after_a_callback() -> (
    None
):
    history = [
        PastTurn("agent", "Hi", Intent.GREETING),
        PastTurn("caller", "do you fix violins", Intent.CALLER_QUESTION),
        PastTurn("agent", "I'm sorry, I don't have that information.", Intent.DECLINE),
    ]
    reply = await agent.reply(
        context("my face is swollen", history=history, now=CLOSED_NOW, trade="dental")
    )
    assert (reply.action, reply.escalation_priority) == (AgentAction.ESCALATE, "urgent")
    # No safety instructions configured: the general advice.
    assert reply.text.startswith(EMERGENCY_ADVICE)
    assert "call you back urgently" in reply.text


async def test_an_urgent_situation_never_waits_for_the_knowledge() -> None:
    # The knowledge has a sentence about the very situation; the hand-over does not use it,
    # nor search at all: what is said and done comes from the rules and the configuration.
    knowledge = Passages(
        {"Emergencies": "If your toilet is overflowing, we can usually come next week."}
    )
    reply = await agent.reply(
        context(
            "my toilet is overflowing and it won't stop",
            knowledge=knowledge,
            trade="plumbing_hvac",
        )
    )
    assert reply.caller_intent is Intent.CALLER_EMERGENCY
    assert (reply.action, reply.escalation_priority) == (AgentAction.TRANSFER, "urgent")
    assert "next week" not in reply.text
    assert knowledge.questions == []
