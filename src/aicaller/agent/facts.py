"""Whether a sentence holds the kind of fact a question asks for, not just a number.

Words can match while the fact does not: a caller who asks what something costs is not
answered by how much it covers, nor one who asks how long by how often. A person reading the
page would not make these mistakes, so the offline agent checks the kind of amount
(``fact_asked``) before it weighs words (``grounded.py``):

- an interest rate, an APR or a percentage is a percentage ("What's the interest rate on
  that financing?" is not answered by "Financing is available for projects over $2,000");
- a price is an amount the caller pays for something: not a limit or a threshold ("repairs
  up to $100,000", "projects over $2,000", "never more than $40") and not an amount named
  as something else ("a $100 deposit", "$2 million in liability insurance") unless the
  question asks for that very thing ("how much is the deposit?");
- how long is a duration, not an interval ("every 21 days", "twice a year" say how often).
"""

from __future__ import annotations

import re
from collections.abc import Callable

from aicaller.agent.asked import DURATION, asked_sentence, quantity_asked
from aicaller.agent.language import MONEY, normalise

Fact = Callable[[str], bool]  # does a sentence hold the fact asked for

PERCENT = re.compile(r"\d\s?(?:%|percent\b|per cent\b)|\b(?:percent|per cent)\b", re.IGNORECASE)
_RATE_ASKED = re.compile(r"\b(?:interest|apr|percent|percentage|per cent)\b")
# Said right before an amount, these make it a limit or a threshold rather than a price.
_LIMIT_BEFORE = re.compile(
    r"\b(?:up to|upto|over|above|exceeding|in excess of|more than|less than|under|below"
    r"|at most|maximum(?: of)?|minimum(?: of)?)\s*$",
    re.IGNORECASE,
)
# Said right after an amount, these name it as something other than a price.
_NAMED_AFTER = re.compile(
    r"^[\d,.]*\s*(?:million|thousand|k)?\s*(?:in\s+(?:\w+\s+)?)?"
    r"(deposit|retainer|insurance|coverage|bond|credit|limit|liability)",
    re.IGNORECASE,
)
_INTERVAL_BEFORE = re.compile(r"\b(?:every|each|per|once|twice|times)\s+(?:other\s+)?$", re.I)
_INTERVAL = re.compile(r"^(?:once|twice|\w+ times)\s+(?:a|an|per|every)\b", re.IGNORECASE)


def asks_rate(question: str) -> bool:
    """The question asks for a percentage: an interest rate, an APR."""
    return bool(_RATE_ASKED.search(normalise(asked_sentence(question))))


def prices(sentence: str, question: str = "") -> bool:
    """``sentence`` names an amount the caller would pay: some amount in it is no limit or
    threshold, and is not named as a deposit, insurance... the question does not ask about."""
    asked = normalise(question)
    for match in MONEY.finditer(sentence):
        if _LIMIT_BEFORE.search(sentence[: match.start()]):
            continue
        named = _NAMED_AFTER.search(sentence[match.start() + 1 :])
        if named is not None and named.group(1).lower() not in asked:
            continue
        return True
    return False


def lasts(sentence: str) -> bool:
    """``sentence`` says how long something takes or lasts, not how often it happens."""
    for match in DURATION.finditer(sentence):
        if _INTERVAL_BEFORE.search(sentence[: match.start()]) or _INTERVAL.search(match[0]):
            continue
        return True
    return False


def fact_asked(question: str, kind: str) -> Fact | None:
    """What a sentence must hold to answer ``question`` of ``kind`` (``grounded.question_kind``):
    a percentage, a price, a duration, a count or another quantity; None when the question
    asks for no amount."""
    if asks_rate(question):
        return lambda sentence: bool(PERCENT.search(sentence))
    if kind == "price":
        return lambda sentence: prices(sentence, question)
    wanted = quantity_asked(question)
    if wanted is None:
        return None
    if wanted is DURATION:
        return lasts
    return lambda sentence: bool(wanted.search(sentence))
