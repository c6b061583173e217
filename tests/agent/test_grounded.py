"""Answers only when what is said supports the question: negative statements, price tables,
rare words that the knowledge lacks, and spoken filler."""

from __future__ import annotations

from dataclasses import replace

from aicaller.agent.grounded import grounded_answer, question_kind
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import AgentAction, Intent, KnowledgeAnswer
from aicaller.agent.speech import sentences
from aicaller.agent.terms import Terms
from tests.agent.fakes import Passages, context

SHOP = Passages(
    {
        "Repairs": (
            "We repair road, mountain and kids' bikes. A basic tune-up takes a day.\n\n"
            "We do not repair electric bikes or e-scooters: their batteries need a dealer."
        ),
        "Prices": (
            "| Service | Price |\n|---|---|\n| Basic tune-up | $65 |\n| Full overhaul | $180 |\n"
            "| Wheel truing | — |"
        ),
        "Rentals": "We rent mountain bikes by the day. Helmets are included with every bike.",
    }
)
agent = OfflineAgent()


def test_a_tables_rows_are_spoken_as_sentences() -> None:
    assert sentences(SHOP.passages["Prices"]) == ["Basic tune-up: $65.", "Full overhaul: $180."]
    three = "| Vaccine | Dog | Cat |\n|---|---|---|\n| Rabies | $26 | $36 |\n| Lepto | $30 | — |"
    assert sentences(three) == ["Rabies: dog $26, cat $36.", "Lepto: dog $30."]


async def test_a_price_is_read_from_the_price_list() -> None:
    found = await grounded_answer(SHOP, "um, how much is a full overhaul?")
    assert found.reply is not None
    assert "Full overhaul: $180." in found.reply.text


async def test_a_negative_statement_answers_a_yes_no_question() -> None:
    reply = await agent.reply(context("do you guys repair electric bikes?", knowledge=SHOP))
    assert reply.intent is Intent.ANSWER
    assert reply.text.startswith("No. We do not repair electric bikes")


async def test_a_subject_the_knowledge_lacks_is_declined_though_its_other_words_match() -> None:
    # "rent" and "bikes" are all over the knowledge; "tandem" is nowhere.
    reply = await agent.reply(context("can I rent a tandem bike?", knowledge=SHOP))
    assert (reply.intent, reply.action) == (Intent.DECLINE, AgentAction.ESCALATE)
    assert reply.unanswered_question == "can I rent a tandem bike?"


def test_questions_are_sorted_into_the_kinds_that_are_calibrated() -> None:
    assert question_kind("Hi, um, how much is a tune-up") == "price"
    assert question_kind("so do you rent bikes") == "yes_no"
    assert question_kind("when can I pick it up") == "when"
    assert question_kind("where do I park") == "where"
    assert question_kind("how do I book") == "how"
    assert question_kind("which brands do you sell") == "what"
    assert question_kind("my chain keeps slipping") == "other"


TEAM = Passages(
    {
        "Our Team > Dr. Elena Marquez, owner": (
            "Dr. Marquez studied at Oregon State. She loves ultrasound. She speaks Spanish."
        ),
        "Vehicles > What we don't work on": (
            "- Diesel engines, in trucks or anything else. - Motorcycles and scooters."
        ),
        "Warranty": "Every repair carries a 36-month warranty on parts and labor.",
    }
)


async def test_a_sentence_that_begins_with_a_pronoun_is_said_with_whom_it_is_about() -> None:
    found = await grounded_answer(TEAM, "does anybody there speak Spanish?")
    assert found.reply is not None
    assert "Dr. Elena Marquez" in found.reply.text
    assert found.reply.text.endswith("She speaks Spanish.")


async def test_a_list_item_under_a_heading_that_says_no_is_said_with_its_heading() -> None:
    found = await grounded_answer(TEAM, "do you work on motorcycles?")
    assert found.reply is not None
    assert found.reply.text == "No. What we don't work on: Motorcycles and scooters."


async def test_the_synonyms_the_search_added_count_as_the_callers_words() -> None:
    # The search widened "guarantee" with "warranty" (knowledge/search/synonyms.py).
    class Widened(Passages):
        async def search(self, question: str, limit: int) -> KnowledgeAnswer:
            found = await super().search(question + " warranty", limit)
            return replace(found, terms=["guarantee"], equivalents={"guarantee": ("warranty",)})

    found = await grounded_answer(Widened(TEAM.passages), "what guarantee do you give?")
    assert found.reply is not None
    assert "36-month warranty" in found.reply.text
    plain = await grounded_answer(TEAM, "what guarantee do you give?")
    assert plain.reply is None


FEES = Passages(
    {
        "Fees": (
            "| Service | Fee |\n|---|---|\n| Simple will | $450 |\n"
            "| Prenuptial agreement | $1,400 |\n| Uncontested divorce | $1,200 |"
        ),
        "Office policies": "Returned checks are charged a $35 fee.",
    }
)


async def test_a_callers_short_form_of_the_sites_word_is_that_word() -> None:
    # "prenup" and "prenuptial" stem apart; without the prefix, "$35" for returned checks
    # or nothing would be said.
    found = await grounded_answer(FEES, "What does a prenup cost with you guys?")
    assert found.reply is not None
    assert "Prenuptial agreement: $1,400." in found.reply.text


def test_only_a_long_stem_stands_for_the_longer_words_it_begins() -> None:
    assert Terms(["prenup"], {}).present("Prenuptial agreement") == {"prenup"}
    # Four letters begin too many unrelated words: "card" is no "cardiology".
    assert Terms(["card"], {}).present("Our cardiology team") == set()


async def test_a_price_is_said_only_when_its_sentence_names_what_was_asked() -> None:
    outdoor = Passages(
        {
            "Services > Hot tubs, docks and boat lifts": (
                "We test docks and lifts for stray voltage in the water for $175."
            ),
        }
    )
    asked = "How much to get power run for a hot tub?"
    assert (await grounded_answer(outdoor, asked)).reply is None
    priced = Passages(
        {
            "Services > Hot tubs, docks and boat lifts": (
                "A hot tub circuit with its disconnect runs $1,150."
            ),
        }
    )
    found = await grounded_answer(priced, asked)
    assert found.reply is not None
    assert "$1,150" in found.reply.text
