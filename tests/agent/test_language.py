"""Reading callers: intents, days, contact details; speaking: passages and times."""

from __future__ import annotations

import pytest

from aicaller.agent.hours import spoken_time, spoken_week
from aicaller.agent.language import asked_contact_kinds, asked_day, asks_price, classify
from aicaller.agent.protocol import Intent
from aicaller.agent.speech import said_from, sentences, stems
from aicaller.businesses.schemas import OpeningInterval, Weekday


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("How do I open a file in Python?", Intent.CALLER_QUESTION),
        ("what does the close method do", Intent.CALLER_QUESTION),
        ("When do you open on Saturday?", Intent.CALLER_HOURS),
        ("is the office open tomorrow", Intent.CALLER_HOURS),
        ("what are your business hours", Intent.CALLER_HOURS),
        ("what's your address", Intent.CALLER_CONTACT),
        ("how can I contact you", Intent.CALLER_CONTACT),
        ("what is the address of the python docs", Intent.CALLER_QUESTION),
        ("Can I talk to someone?", Intent.CALLER_HUMAN),
        ("are you a robot", Intent.CALLER_HUMAN),
        ("you're not listening to me", Intent.CALLER_FRUSTRATED),
        ("okay thanks", Intent.CALLER_THANKS),
        ("no that's all, thank you, bye", Intent.CALLER_GOODBYE),
        (
            "no, I mean how do I cancel an appointment that I booked yesterday",
            Intent.CALLER_QUESTION,
        ),
        ("   ", Intent.CALLER_SILENT),
    ],
)
def test_classify(utterance: str, intent: Intent) -> None:
    assert classify(utterance) is intent


def test_emergency_phrases_win_over_everything() -> None:
    assert classify("Gas leak! get me a person", ["gas leak"]) is Intent.CALLER_EMERGENCY
    assert classify("get me a person", ["gas leak"]) is Intent.CALLER_HUMAN


def test_days_and_contact_kinds() -> None:
    assert asked_day("are you open on sat?") is Weekday.SATURDAY
    assert asked_day("open mondays?") is Weekday.MONDAY
    assert asked_day("are you open") is None
    assert asked_contact_kinds("what's your email address") == {"email"}
    assert asked_contact_kinds("where can I find you") == {"address"}
    assert asked_contact_kinds("what number can I call") == {"phone"}


def test_spoken_times_and_weeks() -> None:
    assert [spoken_time(t) for t in ("09:00", "12:00", "17:30", "00:00", "24:00")] == [
        "9 AM",
        "noon",
        "5:30 PM",
        "midnight",
        "midnight",
    ]
    day = [
        OpeningInterval(open="08:00", close="12:00"),
        OpeningInterval(open="13:00", close="18:00"),
    ]
    hours = {Weekday.MONDAY: day, Weekday.TUESDAY: day, Weekday.THURSDAY: day}
    assert spoken_week(hours) == (
        "We're open Monday and Tuesday from 8 AM to noon and from 1 PM to 6 PM, and Thursday "
        "from 8 AM to noon and from 1 PM to 6 PM."
    )
    assert spoken_week({}) == "We don't have regular opening hours."


def test_passages_lose_what_cannot_be_said() -> None:
    passage = (
        "Python > Tutorial\n\n# Reading files\n\nUse the `open()` function to get a file "
        "object. Call `f.read(size=-1)` to read. Details at https://docs.python.org/3/.\n\n"
        "    indented = code\n\n- Files are closed with the close method when you are done."
    )
    assert sentences(passage) == [
        "Use the open function to get a file object.",
        "Files are closed with the close method when you are done.",
    ]


def test_long_sentences_are_cut_at_a_clause() -> None:
    long = (
        "The clinic offers whitening, which takes about an hour, and it is done by a "
        "hygienist who has trained for many years in cosmetic treatments of all kinds, "
        "including veneers and bonding for patients of every age group."
    )
    said = sentences(f"Parking is free.\n\n{long}")
    text = said_from(said, 1, stems(["whitening", "hygienist"]))
    assert text.startswith("The clinic offers whitening")
    assert len(text.split()) <= 32


def test_spoken_hours_questions_are_hours_questions() -> None:
    for said in ("You guys open on Saturday? Till when?", "is there a night you stay open later"):
        assert classify(said) is Intent.CALLER_HOURS


def test_how_much_notice_or_time_is_no_price_question() -> None:
    assert asks_price("how much is a cleaning")
    assert not asks_price("how much notice do you need for a refill")
    assert not asks_price("how much time does it take")


@pytest.mark.parametrize(
    ("utterance", "intent"),
    [
        ("where are you located", Intent.CALLER_CONTACT),
        ("where are you guys", Intent.CALLER_CONTACT),
        ("where is your office", Intent.CALLER_CONTACT),
        ("where is the clinic", Intent.CALLER_CONTACT),
        # Something else of the business is a question for its knowledge, not its address.
        ("Where is your storage place? Is it at the office?", Intent.CALLER_QUESTION),
        ("where is your warehouse", Intent.CALLER_QUESTION),
        ("where is your parking", Intent.CALLER_QUESTION),
    ],
)
def test_where_the_business_is_differs_from_where_something_of_it_is(
    utterance: str, intent: Intent
) -> None:
    assert classify(utterance) is intent
