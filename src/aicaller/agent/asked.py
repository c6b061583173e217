"""What a spoken question actually asks, apart from the story told around it.

Callers explain before or after they ask ("Is there anybody who speaks Spanish? My mom's
bringing the dog in."). The words of the explanation are no part of what the knowledge must
name: declining because no page mentions "mom" throws away an answer the site has. So the
rule "a yes/no question naming what no passage names is declined" (``grounded.py``) looks
only at the words of the question sentence (``asked_sentence``).

A yes/no question is answered as a person would, "Yes." or "No." first, but only when the
sentence itself names the question's most telling word that the knowledge has
(``yes_no_lead``): "No." when its main statement or its heading says no (a condition such as
"if you can't make it" is no "no"), else "Yes.". A sentence about something near the question
("we do not bill insurers directly" for "can I pay with a check?") gets neither.

A question asking how long, how many, how often or what time is answered only by a sentence
with a quantity in it (``asks_quantity``, ``QUANTITY``): "It takes a day" answers "how long",
"Bring your paperwork" does not, however many of the question's words it shares. "How
many" wants a count: a year is none ("How many vets?" is not answered by "UC Davis, 2015."),
and the sentence must itself name what is counted (``quantity_asked``, ``counted``), so that a
vet's biography counting her cats does not answer it either. "How long" and "how soon" want a
duration ("2 years", "same-day", "since 1998"): "We install up to four chargers for a small
business" does not say how long the business has been open (``DURATION``).

A sentence giving a run of days ("We move Monday through Saturday.") answers a yes/no question
about one day by whether the day is in the run (``on_the_days``): "No." for Sunday.

Configured opening hours are weekly. A question about hours in a season, a month or on a
holiday ("what time do you open in the summer?") is one the week cannot answer; the
knowledge may (``seasonal``).
"""

from __future__ import annotations

import re

from aicaller.agent.language import asked_day, normalise
from aicaller.agent.passage import negative
from aicaller.businesses.schemas import Weekday

_CONDITION = re.compile(r"\b(?:if|when|unless|until|because|in case)\b[^,.;:]*", re.IGNORECASE)
_SENTENCE = re.compile(r"[^.?!]+[.?!]*")
_SEASONAL = re.compile(
    r"\b(?:summer|winter|spring|autumn|fall|season(?:al)?|holidays?|christmas|thanksgiving"
    r"|easter|new year'?s?|independence day|labou?r day|memorial day|july|june|august"
    r"|september|october|november|december|january|february|march|april|may)\b",
    re.IGNORECASE,
)
_WHEN_IN_SEASON = re.compile(r"\b(?:in|during|over|on|for|around)\s+(?:the\s+)?$", re.IGNORECASE)

_QUANTITY_ASKED = re.compile(
    r"\b(?:how (?:long|soon|many|far|often|old|much notice|much time|early|late)|what time)\b"
)
_NUMBER_WORDS = (
    "one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty"
    "|forty|fifty|sixty|ninety|hundred|thousand|dozen|half|few|several|noon|midnight"
    "|once|twice|daily|weekly|monthly|yearly|annually|same[- ]day|overnight"
    "|a (?:day|week|month|year|minute|hour)"
)
QUANTITY = re.compile(rf"\d|\b(?:{_NUMBER_WORDS})\b", re.IGNORECASE)
# A count is no year: "How many vets have you got?" is not answered by "UC Davis, 2015."
COUNT = re.compile(
    r"\b(?!(?:19|20)\d\d\b)\d|\b(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven"
    r"|twelve|fifteen|twenty|thirty|forty|fifty|hundred|thousand|dozen|few|several|couple)\b",
    re.IGNORECASE,
)
_COUNT_ASKED = re.compile(r"\bhow many\b")
_DURATION_ASKED = re.compile(r"\bhow (?:long|soon|much time|much notice)\b")
_UNIT = r"(?:second|minute|min|hour|hr|day|night|week|month|year|yr|decade)s?"
# "How long" wants a duration, not any number: "We install up to four chargers" does not say
# how long a business has been open; "2 years", "half an hour", "same-day" and "since 1998" do.
DURATION = re.compile(
    rf"\b(?:\d+(?:[.,]\d+)?|{_NUMBER_WORDS}|a|an|one|couple|few|several)"
    rf"(?:\s*(?:-|to|or|and a half)?\s*\S+)?[\s-]+(?:\w+[\s-]+)?{_UNIT}\b"
    r"|\b(?:same[- ]day|overnight|since (?:19|20)\d\d|(?:19|20)\d\d)\b",
    re.IGNORECASE,
)
_COUNTED = re.compile(r"\bhow many ([a-z']+)")
# "How long have you been in business?" asks since when, answered by a year or a number of
# years ("opened in 1998", "for 30 years"), not by how long a job takes ("3 business days").
_SINCE_ASKED = re.compile(r"\bhow long (?:have|has|had)\b.*\bbeen\b")
SINCE = re.compile(
    r"\b(?:19|20)\d\d\b|\b(?:\d+|[a-z]+(?:-[a-z]+)?) (?:years|decades)\b|\bdecades\b",
    re.IGNORECASE,
)


def asks_quantity(question: str) -> bool:
    """The sentence that asks wants a number: a duration, a count, a time of day."""
    return bool(_QUANTITY_ASKED.search(normalise(asked_sentence(question))))


# Titles said before a name: their full stop ends no sentence ("What's Mr. Vale's rate?").
_TITLE = re.compile(r"\b(Mr|Mrs|Ms|Dr|St|Jr|Sr|Prof)\.", re.IGNORECASE)


def quantity_asked(question: str) -> re.Pattern[str] | None:
    """What a sentence must hold to answer a question asking for a number: a count (no year)
    for "how many", a duration for how long and how soon, any quantity for what time, how
    often..., a year or a number of years for how long something has been; None otherwise."""
    asked = normalise(asked_sentence(question))
    if not _QUANTITY_ASKED.search(asked):
        return None
    if _COUNT_ASKED.search(asked):
        return COUNT
    if _SINCE_ASKED.search(asked):
        return SINCE
    return DURATION if _DURATION_ASKED.search(asked) else QUANTITY


def counted(question: str) -> str | None:
    """What "how many" counts ("how many vets" -> "vets"): a count of something else (the
    two cats of a vet's biography) does not answer it."""
    found = _COUNTED.search(normalise(asked_sentence(question)))
    return found.group(1) if found else None


def asked_sentence(question: str) -> str:
    """The first sentence of ``question`` that ends with a question mark, or all of it."""
    question = _TITLE.sub(r"\1", question)
    for match in _SENTENCE.finditer(question):
        if match.group(0).rstrip().endswith("?"):
            return match.group(0).strip()
    return question


def says_no(heading: str, sentence: str) -> bool:
    """The heading or the sentence's main statement says no: "We don't do grooming", not
    "Free consultations: please call if you can't make it" (a condition saying no)."""
    return negative(heading) or negative(_CONDITION.sub(" ", sentence))


_SAYS_YES_OR_NO = re.compile(r"^\W*(?:yes|no|yep|nope|sure|absolutely|of course)\b", re.IGNORECASE)


def yes_no_lead(heading: str, sentence: str, names_key_term: bool) -> str:
    """What a yes/no answer begins with: nothing unless the sentence itself names what was
    asked about and does not already begin with its own yes or no (an FAQ's "Yes, beds are
    included" under a heading that says no would be heard "No. Yes, ..."); then "No." when
    it says no, else "Yes."."""
    if not names_key_term or _SAYS_YES_OR_NO.search(sentence):
        return ""
    return "No. " if says_no(heading, sentence) else "Yes. "


def seasonal(utterance: str) -> bool:
    """The hours question is about a season, a month or a holiday, which weekly hours do
    not describe ("may" only after "in"/"during": "may I come in" is no month)."""
    for match in _SEASONAL.finditer(utterance):
        if match.group(0).lower() != "may" or _WHEN_IN_SEASON.search(utterance[: match.start()]):
            return True
    return False


_DAYS = "|".join(day.value for day in Weekday)
_OFF = re.compile(r"\b(?:closed|except|excluding|off)\b")  # a run of days not worked
_DAY_RUN = re.compile(rf"\b({_DAYS})s? (?:through|thru|to|until|till|-|\u2013) ({_DAYS})s?\b")


def on_the_days(question: str, sentence: str) -> str:
    """ "Yes. " or "No. " when ``sentence`` states a run of days and ``question`` asks about
    one day, by whether the run holds it; otherwise nothing. A run of days off ("closed Monday
    to Friday", "except Monday through Wednesday") is left to ``yes_no_lead``."""
    day = asked_day(asked_sentence(question))  # the day asked about, not one in the story
    run = _DAY_RUN.search(sentence.lower())
    if day is None or run is None or negative(sentence) or _OFF.search(sentence.lower()):
        return ""
    if _SAYS_YES_OR_NO.search(sentence):  # "No, we move Monday through Saturday."
        return ""
    week = list(Weekday)
    first, last = week.index(Weekday(run.group(1))), week.index(Weekday(run.group(2)))
    covered = week[first : last + 1] if first <= last else week[first:] + week[: last + 1]
    return "Yes. " if day in covered else "No. "
