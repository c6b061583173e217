"""The offline agent checks the fact itself, not only the words around it: the kind of amount
asked for, a common word said only inside a proper name, a list item of another topic."""

from __future__ import annotations

from aicaller.agent.facts import lasts, prices
from aicaller.agent.grounded import grounded_answer
from aicaller.agent.names import CallersNames
from tests.agent.fakes import Passages

FINANCING = "Financing through North Star Credit Union is available for projects over $2,000."


async def _said(passages: dict[str, str], question: str) -> str | None:
    found = await grounded_answer(Passages(passages), question)
    return None if found.reply is None else found.reply.text


async def test_an_interest_rate_is_answered_by_a_percentage_not_by_an_amount() -> None:
    asked = "What's the interest rate on that credit union financing?"
    assert await _said({"Policies > Payment": FINANCING}, asked) is None
    rated = "Financing through North Star Credit Union is available at 7.9% APR."
    said = await _said({"Policies > Payment": rated}, asked)
    assert said is not None
    assert "7.9%" in said


async def test_what_a_bond_covers_is_no_price_of_the_bond() -> None:
    bond = (
        "After a treatment you can keep a termite bond that pays for repairs of new termite "
        "damage up to $100,000. The bond is renewed every year."
    )
    asked = "How much a year is it to keep the termite bond going?"
    assert await _said({"Termites > Termite bonds": bond}, asked) is None
    renewal = bond.replace("up to $100,000", "for $325 a year")
    said = await _said({"Termites > Termite bonds": renewal}, asked)
    assert said is not None
    assert "$325" in said


def test_limits_thresholds_and_deposits_are_no_prices_unless_asked_for() -> None:
    assert not prices("Repairs are covered up to $100,000.")
    assert not prices(FINANCING)
    assert not prices("Bonded, with $2 million in liability insurance.")
    assert not prices("A $100 deposit holds your date.", "How much is a move?")
    assert prices("A $100 deposit holds your date.", "How much is the deposit?")
    assert prices("Dog neuter, 50 lb and over: $450.")
    assert prices("Shop supplies: 6% of labor (never more than $40), then $85 an hour.")


async def test_how_long_is_not_answered_by_how_often() -> None:
    asked = "How long do I keep the dog off the grass after you spray for mosquitoes?"
    often = {
        "Mosquitoes > Yard spraying": (
            "From April through October we spray the shady spots in your yard every 21 days."
        )
    }
    assert await _said(often, asked) is None
    long = {
        "Preparing > Pets": (
            "Outside, keep the dog off the grass for two hours after we spray for mosquitoes."
        )
    }
    said = await _said(long, asked)
    assert said is not None
    assert "two hours" in said


async def test_how_long_a_business_has_been_is_a_year_not_how_long_a_job_takes() -> None:
    asked = "How long have y'all been in business?"
    days = {"Pickup": "Please pick up your vehicle within 3 business days of our call."}
    assert await _said(days, asked) is None
    year = {"About us": "We have been in business on Ironwood Road since 1998."}
    said = await _said(year, asked)
    assert said is not None
    assert "1998" in said


def test_an_interval_is_no_duration() -> None:
    assert not lasts("We spray every 21 days.")
    assert not lasts("We treat the lawn twice a year.")
    assert lasts("Keep pets off the lawn for two hours.")
    assert lasts("Twice a year we come out, and each visit takes about an hour.")


async def test_a_common_word_found_only_in_a_proper_name_is_not_what_was_asked() -> None:
    passages = {
        "Policies > Payment": FINANCING,
        "About": "Every job is done by a licensed electrician.",
        "Team": "Our electricians are licensed.",
    }
    assert await _said(passages, "Are your electricians union?") is None
    # Said as the name, it is the name.
    said = await _said(passages, "Is the credit union financing for projects over $2,000?")
    assert said is not None
    assert "North Star Credit Union" in said


def test_a_name_counts_when_the_caller_names_it_or_the_question_is_in_lower_case() -> None:
    assert "Union" not in CallersNames("Are your electricians union?").common(FINANCING)
    assert "Union" in CallersNames("Any credit union loans?").common(FINANCING)
    assert "Union" in CallersNames("Do you work with North Star?").common(FINANCING)
    assert "Union" in CallersNames("are your electricians union").common(FINANCING)
    # A sentence's first two words are no name for its capital alone.
    plan = CallersNames("Is there a plan?").common("Quarterly Plan customers save.")
    assert plan.startswith("Quarterly Plan")


async def test_a_list_item_answers_a_yes_no_question_only_about_itself() -> None:
    passages = {
        "Termites > Treatments": (
            "- Liquid soil treatment around the whole foundation, lasting up to ten years.\n"
            "- Bait stations with the Sentricon system."
        ),
        "Fire ants > Treatments": "- Granular bait over the whole lawn, twice a year.",
        "Commercial": "Businesses sign a service agreement for each location.",
    }
    assert await _said(passages, "Do I have to sign up for a whole year or something?") is None
    said = await _said(passages, "Do you do liquid soil treatment for termites?")
    assert said is not None
    assert "Liquid soil treatment" in said


async def test_an_amount_asked_of_a_named_thing_is_said_of_that_thing() -> None:
    warranty = {
        "Policies > Warranty": "Residential work: 2 years on labor.",
        "Generators": "We install Generac standby generators.",
        "Generators > Maintenance": "A Generac needs an oil change every year.",
    }
    asked = "How many years is the warranty on a Generac if you put it in?"
    assert await _said(warranty, asked) is None
    warranty["Generators > Warranty"] = "A Generac carries a 5 years warranty on parts."
    said = await _said(warranty, asked)
    assert said is not None
    assert "5 years" in said


async def test_whether_a_charge_applies_is_not_answered_by_its_row() -> None:
    asked = (
        "If I pay you to check out my engine light and then you do the repair, do I still pay "
        "that checking fee on top?"
    )
    shop = {
        "Prices > Diagnostics": "Check engine light diagnosis: $129. Brake inspection: $49.",
        "Repairs > How it works": "We check the car, then call you before we do any repair.",
        "About": "You pay when you pick up the car.",
    }
    assert await _said(shop, asked) is None
    credited = "The $129 check engine light fee is credited toward the repair if we do the work."
    said = await _said({**shop, "Prices > Diagnostics": credited}, asked)
    assert said is not None
    assert "credited toward the repair" in said
    # What it costs is still answered by the row.
    said = await _said(shop, "How much do you charge to check the engine light?")
    assert said is not None
    assert "$129" in said
