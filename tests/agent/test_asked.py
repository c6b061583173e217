"""What a spoken question asks, apart from the caller's story: the yes/no rule looks only at
the sentence that asks, a yes/no answer begins with "Yes." or "No." as a person's would, and
seasonal hours come from the knowledge rather than the configured week."""

from __future__ import annotations

from aicaller.agent.asked import (
    COUNT,
    QUANTITY,
    asked_sentence,
    asks_quantity,
    on_the_days,
    seasonal,
)
from aicaller.agent.grounded import grounded_answer, question_kind
from aicaller.agent.offline import OfflineAgent
from aicaller.agent.protocol import AgentAction, Intent
from tests.agent.fakes import Passages, context

SHOP = Passages(
    {
        "Team > Luis Ortega, paralegal": "Luis schedules all closings and speaks Spanish.",
        "Payment": "We accept cash, Visa, Mastercard and Apple Pay at the front desk.",
        "Repairs": "We do not repair electric bikes or e-scooters.",
        "Hours > Summer hours": (
            "From June 1 through September 30 we open at 6:30 am on weekdays."
        ),
    }
)
agent = OfflineAgent()


def test_the_sentence_that_asks_is_told_from_the_story_around_it() -> None:
    asked = "Is there anybody who speaks Spanish? My mom's bringing the dog in."
    assert asked_sentence(asked) == "Is there anybody who speaks Spanish?"
    assert asked_sentence("I need a tune-up") == "I need a tune-up"


def test_a_yes_no_question_after_the_callers_story_is_a_yes_no_question() -> None:
    assert question_kind("My Harley's ticking, do y'all work on bikes?") == "yes_no"
    assert question_kind("It's my Prius. Can you guys replace the battery?") == "yes_no"
    assert question_kind("My Harley's ticking and I need it fixed.") == "other"


async def test_words_of_the_callers_story_do_not_decline_a_question_the_knowledge_answers() -> None:
    # "mother" is nowhere in the knowledge, but it is not what was asked about.
    question = "Does anybody there speak Spanish? It's for my mother."
    found = await grounded_answer(SHOP, question)
    assert found.reply is not None
    assert "speaks Spanish" in found.reply.text
    # Asked about, the same missing word still declines.
    reply = await agent.reply(context("Does your mother speak Spanish?", knowledge=SHOP))
    assert (reply.intent, reply.action) == (Intent.DECLINE, AgentAction.ESCALATE)


async def test_a_yes_no_answer_says_yes_when_the_sentence_names_what_was_asked() -> None:
    found = await grounded_answer(SHOP, "Can I pay with Apple Pay?")
    assert found.reply is not None
    assert found.reply.text.startswith("Yes. We accept cash")


async def test_a_yes_no_answer_says_no_when_the_sentence_says_no() -> None:
    found = await grounded_answer(SHOP, "do you repair electric bikes?")
    assert found.reply is not None
    assert found.reply.text == "No. We do not repair electric bikes or e-scooters."


async def test_a_question_that_is_not_yes_no_gets_no_yes_or_no() -> None:
    found = await grounded_answer(SHOP, "how can I pay, with Apple Pay?")
    assert found.reply is not None
    assert found.reply.text.startswith("We accept cash")


def test_seasons_months_and_holidays_are_what_the_week_cannot_answer() -> None:
    assert seasonal("what time do you open in the summer?")
    assert seasonal("are you open over Christmas?")
    assert seasonal("what are your hours in May?")
    assert not seasonal("may I ask what your hours are?")
    assert not seasonal("what time do you open on Saturday?")


async def test_summer_hours_come_from_the_knowledge_and_other_hours_from_the_week() -> None:
    reply = await agent.reply(context("What time do you open in the summer?", knowledge=SHOP))
    assert reply.intent is Intent.ANSWER
    assert "6:30 am" in reply.text
    weekly = await agent.reply(context("What time do you open on Saturday?", knowledge=SHOP))
    assert weekly.intent is Intent.HOURS
    assert "10 AM" in weekly.text


async def test_seasonal_hours_the_knowledge_lacks_come_from_the_week() -> None:
    plain = Passages({"Payment": "We accept cash and Visa."})
    reply = await agent.reply(context("what are your hours over Christmas?", knowledge=plain))
    assert reply.intent is Intent.HOURS


def test_how_long_how_many_and_what_time_ask_for_a_quantity() -> None:
    assert asks_quantity("If I wait, how long am I sitting there? I'm in a hurry.")
    assert asks_quantity("What time am I picking her up?")
    assert not asks_quantity("How do I book? It takes me ten minutes to get there.")
    assert QUANTITY.search("It usually takes about forty-five minutes.")
    assert not QUANTITY.search("Bring your adoption paperwork.")


async def test_a_how_long_question_is_answered_only_by_a_sentence_with_a_quantity() -> None:
    waits = Passages(
        {
            "Oil changes": (
                "Oil changes need no appointment and you can wait in our lounge. "
                "An oil change takes about 45 minutes."
            )
        }
    )
    found = await grounded_answer(waits, "how long does an oil change take if I wait?")
    assert found.reply is not None
    assert "45 minutes" in found.reply.text
    vague = Passages({"Oil changes": "Oil changes need no appointment; wait in our lounge."})
    assert (
        await grounded_answer(vague, "how long does an oil change take if I wait?")
    ).reply is None


async def test_how_long_wants_a_duration_not_any_number() -> None:
    about = Passages(
        {
            "EV chargers > For businesses": (
                "We install up to four Level 2 chargers for a small business."
            ),
        }
    )
    assert (await grounded_answer(about, "How long have you guys been in business?")).reply is None
    since = Passages({"About us": "We have served small businesses since 1998."})
    found = await grounded_answer(since, "How long have you guys been in business?")
    assert found.reply is not None
    assert "since 1998" in found.reply.text


async def test_a_condition_is_no_no_and_a_sentence_found_by_its_heading_gets_neither() -> None:
    office = Passages(
        {
            "Consultations": (
                "Free estate planning consultations: please call if you can't make it."
            ),
            "Insurance > Direct billing": "Trupanion pays us at checkout for covered care.",
        }
    )
    free = await grounded_answer(office, "is the estate planning consultation free?")
    assert free.reply is not None
    assert free.reply.text.startswith("Yes. Free estate planning consultations")
    # "billing" is in the heading only: the sentence does not say whether they bill directly.
    beside = await grounded_answer(office, "do you do direct billing?")
    assert beside.reply is not None
    assert beside.reply.text.startswith("Trupanion pays us")


async def test_no_yes_when_the_sentence_names_only_one_of_the_asked_words_equally_rare() -> None:
    hours = Passages(
        {
            "Hours": "We are open weekdays from nine to five.",
            "Sunday closings": "On Sundays we hold closings by appointment only.",
        }
    )
    found = await grounded_answer(hours, "Are you open on Sundays at all?")
    assert found.reply is not None
    assert not found.reply.text.startswith(("Yes.", "No."))


def test_a_title_before_a_name_ends_no_sentence() -> None:
    assert asked_sentence("What's Mr. Vale's hourly rate?") == "What's Mr Vale's hourly rate?"
    assert asked_sentence("Is Dr. Patel in? She saw my cat.") == "Is Dr Patel in?"


async def test_a_how_many_question_is_answered_by_a_count_of_what_it_asks_about() -> None:
    team = Passages(
        {
            "Our vets > Dr. Marquez": (
                "Dr. Marquez graduated in 2015. She lives with two elderly cats."
            ),
            "Our team": "Four vets and six nurses work at the clinic.",
        }
    )
    found = await grounded_answer(team, "How many vets have you got over there?")
    assert found.reply is not None
    assert "Four vets" in found.reply.text
    # A year is no count, and a count of something else (cats) does not answer.
    alone = Passages({"Our vets > Dr. Marquez": team.passages["Our vets > Dr. Marquez"]})
    assert (await grounded_answer(alone, "How many vets have you got over there?")).reply is None
    assert COUNT.search("We have 3 exam rooms.")
    assert not COUNT.search("UC Davis, 2015.")


async def test_a_sentence_that_says_yes_itself_gets_no_lead_from_a_heading_that_says_no() -> None:
    movers = Passages(
        {
            "What's not included? > Furniture": (
                "Yes, beds, cribs and tables are taken apart at no extra charge."
            ),
        }
    )
    found = await grounded_answer(movers, "Do your guys take the beds apart?")
    assert found.reply is not None
    assert found.reply.text.startswith("Yes, beds, cribs")


async def test_a_day_outside_the_days_stated_is_answered_no() -> None:
    movers = Passages(
        {"FAQ > Moving on a Sunday": "We move Monday through Saturday. Crews start at 8 AM."}
    )
    sunday = await grounded_answer(movers, "Do you guys move on Sundays?")
    assert sunday.reply is not None
    assert sunday.reply.text.startswith("No. We move Monday through Saturday.")
    saturday = await grounded_answer(movers, "Do you move on a Saturday?")
    assert saturday.reply is not None
    assert saturday.reply.text.startswith("Yes. We move Monday through Saturday.")


def test_a_run_of_days_off_or_round_the_weekend_is_read_as_written() -> None:
    assert on_the_days("open Tuesday?", "We are closed Monday to Friday.") == ""
    assert on_the_days("do you come out on a Sunday?", "Crews work Friday to Monday.") == "Yes. "
    assert on_the_days("do you come out on a Wednesday?", "Crews work Friday to Monday.") == "No. "
    assert on_the_days("can you come today?", "We move Monday through Saturday.") == ""
    # The day asked about, not the one in the caller's story; an FAQ's own "No," is kept.
    sunday_off = "Sunday's my only day off. Could you come Saturday instead?"
    assert on_the_days(sunday_off, "We move Monday through Saturday.") == "Yes. "
    assert on_the_days("Sundays?", "No, we move Monday through Saturday.") == ""
