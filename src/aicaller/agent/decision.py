"""Whether the offline agent says the sentence it chose, by words alone (ADR 0036).

The sentence is said when its ``support`` (the weighted share of the question's words it
and its headings have, less the lower-passage penalty) reaches ``MIN_SUPPORT`` for the kind
of question (``grounded.question_kind``). The thresholds were calibrated per kind with
``benchmarks/answer_eval_calibrate.py`` on the dialogue evaluation's businesses that are not
held out: per kind, the lowest threshold with the best ``correct - 2 * (wrong + unanswerable
answered)``, since a wrong answer costs more than a declined one, which still gets a callback.

``Evidence`` also carries what a person would check besides the share of words: does the
sentence itself name the question's most telling word, and does it hold the amount or
quantity asked for? ``benchmarks/answer_eval_decision.py`` fits a logistic regression on
these and measures it leave-one-business-out beside these thresholds. It was not adopted:
on the four development businesses it answered as many questions right within two or
three either way, and which side won turned on how one feature was defined (ADR 0036).
"""

from __future__ import annotations

from dataclasses import dataclass

# The weighted share of the question's words a sentence and its headings must contain.
MIN_SUPPORT = {
    "price": 0.45,
    "yes_no": 0.4,
    "when": 0.25,
    "where": 0.65,
    "how": 0.3,
    "what": 0.7,
    "other": 0.4,
}


@dataclass(frozen=True, slots=True)
class Evidence:
    """What speaks for the chosen sentence answering the question."""

    kind: str  # question_kind: price, yes_no, when, where, how, what, other
    support: float  # weighted share of the question's terms, less the lower-passage penalty
    key_in_sentence: bool  # the sentence itself names the rarest asked terms found
    has_fact: bool  # an amount or a quantity, when the question asks for one
    names_asked: bool = True  # the sentence itself, not only its headings, names an asked term


def accept(evidence: Evidence) -> bool:
    """Say the sentence: its support reaches its kind of question's threshold, and a price's
    sentence names something asked about (an amount whose sentence names nothing asked prices
    whatever else sits under the same heading: "hot tub" found only in the heading "Hot tubs,
    docks and boat lifts" is no price of a hot tub)."""
    if evidence.kind == "price" and not evidence.names_asked:
        return False
    return evidence.support >= MIN_SUPPORT[evidence.kind]
